"""Demo execution data: rules assigned to units, tasks in every state (some overdue), a campaign and
partial acknowledgement, so the completion figures are interesting. Built through the real services,
then dated back (overdue deadlines, acknowledgements given over the past weeks). Idempotent."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from integrity.models import Unit, User
from rules.models import Rule

from . import services
from .models import Acknowledgement, Assignment, Campaign, Task, TaskState

# code: (lead unit, co-responsible units, supervising officer)
ASSIGNMENTS = {
    "IR-2019-001": ("org-dept", ["finance", "housing"], "officer"),
    "IR-2019-002": ("drc", ["finance", "city-invest"], "officer2"),
    "IR-2019-003": ("finance", ["finance-budget"], "officer"),
    "IR-2020-001": ("finance-procure", ["finance", "health"], "officer"),
    "IR-2020-002": ("housing", ["housing-works", "city-invest"], "officer2"),
    "IR-2020-003": ("resources", ["resources-land"], "officer2"),
    "IR-2020-004": ("resources", [], "officer2"),
    "IR-2020-005": ("org-dept", [], "officer"),
    "IR-2021-001": ("cdi-inspect", ["finance", "education"], "officer"),
    "IR-2021-002": ("transport", [], "officer2"),
    "IR-2021-003": ("health", [], "officer2"),
    "IR-2021-005": ("city-invest", ["housing"], "officer2"),
    "IR-2022-001": ("transport", [], "officer2"),
    "IR-2022-003": ("org-dept", [], "officer"),
    "IR-2025-001": ("finance-procure", [], "officer"),
    "IR-2025-002": ("finance-budget", [], "officer"),
}
# Left unassigned on purpose (the officer's home page shows them): IR-2021-004, IR-2022-002.

STATES = [
    TaskState.OPEN,
    TaskState.IN_PROGRESS,
    TaskState.SUBMITTED,
    TaskState.RETURNED,
    TaskState.ACCEPTED,
    "overdue",
    TaskState.CANCELLED,
    "overdue_open",
]
TASK_TEXTS = [
    "建立本单位执行台账，逐项登记并按月报送。",
    "组织全体干部专题学习，形成学习记录。",
    "开展一次执行情况自查，形成自查报告。",
    "修订内部工作流程，明确审批环节和责任人。",
]
CADRE_STILL_OWES = ("IR-2022-002", "IR-2019-003")
CAMPAIGN_TITLE = "2026年度廉政制度学习确认"


def _owner(unit, liaison):
    if liaison is not None and liaison.unit_id == unit.pk:
        return liaison
    if unit.top_leader_id:
        return unit.top_leader
    return User.objects.filter(unit=unit, is_active=True).order_by("username").first()


def _drive(task, state, officer):
    """Walk a new task to the wanted state through the services, as its owner and officer would."""
    owner = task.owner
    if state == TaskState.OPEN or state == "overdue_open":
        return
    services.task_report(task=task, actor=owner, percent=40, text="已完成前期准备，正在推进。")
    if state in (TaskState.IN_PROGRESS, "overdue"):
        return
    if state == TaskState.CANCELLED:
        services.task_cancel(task=task, actor=officer, reason="任务已并入新的整改要求。")
        return
    services.task_mark_done(task=task, actor=owner, text="已全部完成，附台账。")
    if state == TaskState.ACCEPTED:
        services.task_accept(task=task, actor=officer)
    elif state == TaskState.RETURNED:
        services.task_return(task=task, actor=officer, reason="台账缺少第三季度记录，请补齐后再报。")


@transaction.atomic
def _assign(rule, spec, units, people, today, counter):
    lead, co, supervisor_name = spec
    supervisor = people[supervisor_name]
    services.rule_assign(
        rule=rule,
        actor=supervisor,
        lead_unit=units[lead],
        co_units=[units[c] for c in co],
        supervisor=supervisor,
    )
    articles = list(rule.current_version.articles.order_by("number"))
    for unit in [units[lead], *[units[c] for c in co[:1]]]:
        owner = _owner(unit, people.get("liaison"))
        if owner is None:
            continue
        state = STATES[counter % len(STATES)]
        task = services.task_create(
            rule=rule,
            actor=supervisor,
            unit=unit,
            article=articles[counter % len(articles)] if articles else None,
            description=TASK_TEXTS[counter % len(TASK_TEXTS)],
            deadline=today + timedelta(days=10 + 7 * (counter % 5)),
            owner=owner,
        )
        _drive(task, state, supervisor)
        if state in ("overdue", "overdue_open"):
            Task.objects.filter(pk=task.pk).update(deadline=today - timedelta(days=3 + counter % 9))
        counter += 1
    return counter


def _acknowledge_some(today):
    """About half of the people have acknowledged; leading cadres and top leaders more often (lever 2).
    The demo cadre has acknowledged all but two rules (IR-2022-002 is left for the browser journey)."""
    rng = random.Random(2026)
    leaders = set(Unit.objects.filter(top_leader__isnull=False).values_list("top_leader_id", flat=True))
    rows = (
        Acknowledgement.objects.filter(version__status="in_force", acknowledged_at__isnull=True)
        .values_list("pk", "user_id", "user__is_leading_cadre", "user__username", "rule__code")
        .order_by("pk")
    )
    by_day = {}
    for pk, user_id, leading, username, code in rows:
        if username == "cadre":
            if code not in CADRE_STILL_OWES:
                by_day.setdefault(5, []).append(pk)
            continue
        chance = 0.85 if user_id in leaders else 0.7 if leading else 0.5
        if rng.random() < chance:
            by_day.setdefault(rng.randint(1, 40), []).append(pk)
    for days, ids in by_day.items():
        Acknowledgement.objects.filter(pk__in=ids).update(acknowledged_at=timezone.now() - timedelta(days=days))


def seed_accountability(stdout=None, scale=1):
    today = timezone.localdate()
    units = {u.code: u for u in Unit.objects.all()}
    people = {u.username: u for u in User.objects.filter(username__in=["officer", "officer2", "liaison"])}
    rules = Rule.objects.in_force().select_related("current_version")
    # Everyone in a rule's audience owes its version in force (the signal does this live; repeat it here).
    for rule in rules:
        services.acknowledgements_owe(version=rule.current_version)
    assigned = set(Assignment.objects.values_list("rule__code", flat=True))
    counter = 0
    for rule in rules.filter(code__in=ASSIGNMENTS).order_by("code"):
        if rule.code not in assigned:
            counter = _assign(rule, ASSIGNMENTS[rule.code], units, people, today, counter)
    if not Campaign.objects.filter(title=CAMPAIGN_TITLE).exists():
        _acknowledge_some(today)
        services.campaign_start(
            actor=people["officer"],
            title=CAMPAIGN_TITLE,
            deadline=today + timedelta(days=14),
            rules=list(rules.filter(code__in=["IR-2019-001", "IR-2019-003", "IR-2020-001", "IR-2022-002"])),
            units=[units["finance"], units["housing"], units["org-dept"]],
            note="请各单位组织全体干部完成学习确认，领导干部和一把手带头。",
        )
    if stdout:
        stdout.write(
            f"accountability: {Assignment.objects.count()} assignments, {Task.objects.count()} tasks, "
            f"{Acknowledgement.objects.filter(acknowledged_at__isnull=False).count()}/"
            f"{Acknowledgement.objects.count()} acknowledgements"
        )
