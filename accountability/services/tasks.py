"""Implementation tasks: created by an officer, reported on by the unit, accepted or returned."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.services import ServiceError, notification_send
from integrity.uploads import validate_upload
from rules.models import Rule, Status

from ..models import ProgressReport, ResponsibleUnit, Task, TaskState, TaskTransition
from ..permissions import can
from ..selectors import rule_supervisor
from ..transitions import ensure_task_transition
from ._common import save


def _lock(task: Task) -> Task:
    return Task.objects.select_for_update().select_related("rule", "unit", "owner").get(pk=task.pk)


def _move(task: Task, to: str, actor, reason: str = "", fields=()):
    from_state = task.state
    task.state = to
    save(task, actor, ["state", "updated_at", *fields], reason=reason)
    if from_state != to:
        TaskTransition.objects.create(task=task, from_state=from_state, to_state=to, actor=actor, reason=reason)


def _check_evidence(evidence):
    try:
        validate_upload(evidence)
    except ValidationError as error:
        raise ServiceError(" ".join(error.messages)) from None


def _check_percent(percent):
    if percent is None or not 0 <= percent <= 100:
        raise ServiceError(_("Progress must be a whole number from 0 to 100."))


@transaction.atomic
def task_create(*, rule: Rule, actor, unit, description: str, deadline: date, owner, article=None) -> Task:
    """Give one responsible unit an implementation task of a rule in force."""
    if not can(actor, "create_task"):
        raise ServiceError(_("Only discipline officers create implementation tasks."))
    rule = Rule.objects.select_for_update().get(pk=rule.pk)
    if rule.status != Status.IN_FORCE:
        raise ServiceError(_("Tasks can be created only for a rule in force."))
    if not ResponsibleUnit.objects.active().filter(assignment__rule=rule, unit=unit).exists():
        raise ServiceError(_("%(unit)s is not a responsible unit of this rule: assign it first.") % {"unit": unit})
    if not (description or "").strip():
        raise ServiceError(_("Describe what the unit must do."))
    if deadline is None or deadline < timezone.localdate():
        raise ServiceError(_("The deadline cannot be in the past."))
    if owner is None or not owner.is_active or owner.unit is None or not owner.unit.path.startswith(unit.path):
        raise ServiceError(_("The owner must be an active member of %(unit)s.") % {"unit": unit})
    if article is not None and article.version_id != rule.current_version_id:
        raise ServiceError(_("That article is not part of the version in force."))
    task = Task(
        rule=rule,
        unit=unit,
        article=article,
        description=description.strip(),
        deadline=deadline,
        owner=owner,
        created_by=actor,
    )
    save(task, actor)
    TaskTransition.objects.create(task=task, from_state=TaskState.OPEN, to_state=TaskState.OPEN, actor=actor)
    notification_send(
        recipient=owner,
        subject=_("New implementation task for %(code)s, due %(date)s") % {"code": rule.code, "date": deadline},
        body=task.description,
        url=task.get_absolute_url(),
    )
    return task


@transaction.atomic
def task_report(*, task: Task, actor, percent: int, text: str = "", evidence=None) -> ProgressReport:
    """Report progress on a task (percent, text, optional evidence); reports are appended, never overwritten."""
    task = _lock(task)
    ensure_task_transition(task, to=TaskState.IN_PROGRESS, actor=actor)
    _check_percent(percent)
    _check_evidence(evidence)
    report = ProgressReport(task=task, author=actor, percent=percent, text=(text or "").strip())
    if evidence:
        report.evidence = evidence
    save(report, actor)
    task.percent = percent
    task.last_reported_at = report.created_at
    _move(task, TaskState.IN_PROGRESS, actor, fields=["percent", "last_reported_at"])
    return report


@transaction.atomic
def task_mark_done(*, task: Task, actor, text: str = "", evidence=None) -> Task:
    """The unit says the task is done; it awaits the officer's acceptance."""
    task = _lock(task)
    ensure_task_transition(task, to=TaskState.SUBMITTED, actor=actor)
    _check_evidence(evidence)
    report = ProgressReport(task=task, author=actor, percent=100, text=(text or "").strip(), marks_done=True)
    if evidence:
        report.evidence = evidence
    save(report, actor)
    task.percent = 100
    task.last_reported_at = report.created_at
    _move(task, TaskState.SUBMITTED, actor, fields=["percent", "last_reported_at"])
    supervisor = rule_supervisor(rule_id=task.rule_id)
    if supervisor is not None:
        notification_send(
            recipient=supervisor,
            subject=_("Task done, awaiting your acceptance: %(unit)s, %(code)s")
            % {"unit": task.unit, "code": task.rule.code},
            body=task.description,
            url=task.get_absolute_url(),
        )
    return task


@transaction.atomic
def task_accept(*, task: Task, actor) -> Task:
    """The officer accepts a task that was marked done; it is closed."""
    task = _lock(task)
    ensure_task_transition(task, to=TaskState.ACCEPTED, actor=actor)
    _move(task, TaskState.ACCEPTED, actor)
    notification_send(
        recipient=task.owner,
        subject=_("Task accepted: %(code)s") % {"code": task.rule.code},
        body=task.description,
        url=task.get_absolute_url(),
    )
    return task


@transaction.atomic
def task_return(*, task: Task, actor, reason: str) -> Task:
    """The officer returns a task that was marked done, saying what is missing."""
    task = _lock(task)
    ensure_task_transition(task, to=TaskState.RETURNED, actor=actor, reason=reason)
    task.return_reason = reason.strip()
    _move(task, TaskState.RETURNED, actor, reason.strip(), fields=["return_reason"])
    notification_send(
        recipient=task.owner,
        subject=_("Task returned: %(code)s") % {"code": task.rule.code},
        body=task.return_reason,
        url=task.get_absolute_url(),
    )
    return task


@transaction.atomic
def task_cancel(*, task: Task, actor, reason: str) -> Task:
    """The officer cancels a task that is no longer needed; it stays readable with the reason."""
    task = _lock(task)
    ensure_task_transition(task, to=TaskState.CANCELLED, actor=actor, reason=reason)
    _move(task, TaskState.CANCELLED, actor, reason.strip())
    return task


@transaction.atomic
def tasks_cancel_for_rule(*, rule: Rule, reason: str) -> int:
    """Cancel every unfinished task of a rule that ended; returns how many."""
    count = 0
    for task in Task.objects.select_for_update().filter(rule=rule).not_closed().order_by("pk"):
        ensure_task_transition(task, to=TaskState.CANCELLED, actor=None, reason=reason)
        _move(task, TaskState.CANCELLED, None, reason)
        count += 1
    return count
