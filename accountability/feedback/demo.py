"""Demo feedback: ~80 items of every kind and status, public reports with documented receipt codes,
and one rule over the "review suggested" threshold. Built through the real services, then dated
back (demo only) so that some items are overdue. Idempotent: each item has a fixed form token.

Documented demo receipt codes (open them at /report/follow-up/):

* 7K3M-Q9TX-2HVD-4WPA — a suspected violation; an officer asked a question, waiting for the reporter
* 8N5R-C2YF-6JBE-3GZS — an implementation problem, just received
* 4P8W-H7KD-9QXC-5MTR — an implementation problem, answered and closed
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from integrity.models import User
from rules.models import Rule
from rules.models import Status as RuleStatus

from . import services
from .models import REVIEW_KINDS, Event, Feedback, Kind, Message, Status

DEMO_RECEIPTS = [
    # (code, kind, text, days ago, what happens)
    (
        "7K3M-Q9TX-2HVD-4WPA",
        Kind.VIOLATION,
        "某局工作人员在政府采购评审中与投标人私下接触，疑似违反回避规定。",
        6,
        "question",
    ),
    ("8N5R-C2YF-6JBE-3GZS", Kind.IMPLEMENTATION, "公务接待清单未按规定公开，群众无法查询。", 1, "received"),
    (
        "4P8W-H7KD-9QXC-5MTR",
        Kind.IMPLEMENTATION,
        "项目竣工结算审计结果没有按期公示。",
        40,
        "closed",
    ),
]

TEXTS = {
    Kind.AMBIGUOUS: "第{n}条中“及时报告”没有明确时限，各单位理解不一致。",
    Kind.INFEASIBLE: "第{n}条要求5个工作日内完成登记，基层单位人手不足，实际难以做到。",
    Kind.OUTDATED: "第{n}条引用的审批流程已经调整，条文与现行做法不符。",
    Kind.CONFLICT: "第{n}条关于审批权限的规定与另一项制度的规定不一致。",
    Kind.MISSING_DETAILS: "第{n}条没有说明由哪个科室牵头、台账采用什么格式。",
    Kind.SUGGESTION: "建议在第{n}条增加线上登记方式，方便干部及时填报。",
    Kind.OTHER: "对第{n}条的执行有疑问，希望得到解释。",
    Kind.IMPLEMENTATION: "本单位未按第{n}条要求建立台账。",
    Kind.VIOLATION: "发现有人违反第{n}条规定，收受礼品未登记。",
}
CADRE_CYCLE = [
    Kind.AMBIGUOUS,
    Kind.INFEASIBLE,
    Kind.OUTDATED,
    Kind.CONFLICT,
    Kind.MISSING_DETAILS,
    Kind.SUGGESTION,
    Kind.OTHER,
    Kind.IMPLEMENTATION,
    Kind.VIOLATION,
]
STATUS_CYCLE = [Status.RECEIVED, Status.TRIAGED, Status.ANSWERED, Status.REFERRED, Status.CLOSED]
REPLY = "感谢反馈。经研究，将在下一次修订时予以明确，执行中请参照上级规定办理。"
QUESTION = "请补充说明具体涉及哪个单位、大致时间，以便我们核实。"
ITEMS = 76


def _back_date(feedback, days_ago):
    """Move an item and its record back in time (demo only); the response date follows."""
    received = timezone.now() - timedelta(days=days_ago, hours=3)
    due = services.response_due_on(kind=feedback.kind, received_on=timezone.localdate(received))
    Feedback.objects.filter(pk=feedback.pk).update(received_at=received, response_due_on=due)
    shift = timezone.now() - received
    for model, field in ((Event, "at"), (Message, "created_at")):
        for row in model.objects.filter(feedback=feedback):
            model.objects.filter(pk=row.pk).update(**{field: getattr(row, field) - shift + timedelta(hours=1)})
    Feedback.objects.filter(pk=feedback.pk, answered_at__isnull=False).update(answered_at=received + timedelta(days=2))


def _advance(feedback, status, officer, officer2, n):
    """Take an item through the services to the wanted status."""
    if status == Status.RECEIVED:
        return
    assignee = officer2 if n % 2 else officer
    services.feedback_assign(feedback=feedback, assignee=assignee, actor=officer)
    if n % 3 == 0:
        services.feedback_note_add(feedback=feedback, actor=assignee, text="已电话了解情况，待核实后答复。")
    if status == Status.TRIAGED:
        return
    services.feedback_reply(feedback=feedback, actor=assignee, text=REPLY, token=f"demo-reply-{feedback.pk}-0000")
    if status == Status.REFERRED:
        services.feedback_move(feedback=feedback, to=Status.REFERRED, actor=assignee, reason="转入制度评估。")
    elif status == Status.CLOSED:
        services.feedback_move(feedback=feedback, to=Status.CLOSED, actor=assignee)


def _article(rule, n):
    articles = list(rule.current_version.articles.order_by("number")) if rule.current_version_id else []
    return articles[n % len(articles)] if articles and n % 4 else None


@transaction.atomic
def seed_feedback(stdout=None, scale=1):
    officer = User.objects.get(username="officer")
    officer2 = User.objects.get(username="officer2")
    senders = [User.objects.get(username="cadre"), User.objects.get(username="leader")] + list(
        User.objects.filter(unit__code="finance", username__startswith="demo-").order_by("username")
    )
    rules = list(Rule.objects.filter(status=RuleStatus.IN_FORCE).select_related("current_version").order_by("code"))
    if len(rules) < 3:
        return
    target, others = rules[0], rules[1:]
    created = 0
    counted = 0
    for n in range(ITEMS):
        kind = CADRE_CYCLE[n % len(CADRE_CYCLE)]
        status = STATUS_CYCLE[(n // 2) % len(STATUS_CYCLE)]
        if kind in REVIEW_KINDS:
            # At most two items of the review kinds per rule: only the target rule crosses the threshold.
            rule = others[counted % len(others)]
            counted += 1
        else:
            rule = others[n % len(others)]
        article = _article(rule, n)
        text = TEXTS[kind].format(n=article.number if article else 1)
        token = f"demo-feedback-{n:03d}-000000"
        if kind in (Kind.IMPLEMENTATION, Kind.VIOLATION):
            submission = services.report_submit(token=token, kind=kind, text=text, rule=rule if n % 2 else None)
        else:
            submission = services.feedback_submit(
                actor=senders[n % len(senders)],
                token=token,
                rule=rule,
                kind=kind,
                text=text,
                article=article,
                conflicting_rule=others[(n + 1) % len(others)] if kind == Kind.CONFLICT else None,
                anonymous=n % 10 == 7,
            )
        if not submission.created:
            continue
        created += 1
        _advance(submission.feedback, status, officer, officer2, n)
        # Every fifth open item is old enough to be overdue; the rest within the last weeks.
        _back_date(submission.feedback, 40 + n if n % 5 == 0 else n % 20)
    created += _seed_target(target, others, senders, officer)
    created += _seed_receipts(rules, officer)
    if stdout:
        stdout.write(f"feedback: {Feedback.objects.count()} items ({created} new)")


def _seed_target(target, others, senders, officer):
    """Four items of the review kinds on one rule within the window: "review suggested"."""
    created = 0
    for i, kind in enumerate([Kind.INFEASIBLE, Kind.OUTDATED, Kind.CONFLICT, Kind.INFEASIBLE]):
        article = _article(target, i + 1)
        submission = services.feedback_submit(
            actor=senders[i % len(senders)],
            token=f"demo-target-{i:02d}-0000000000",
            rule=target,
            kind=kind,
            text=TEXTS[kind].format(n=article.number if article else 1),
            article=article,
            conflicting_rule=others[0] if kind == Kind.CONFLICT else None,
        )
        if submission.created:
            created += 1
            if i % 2:
                services.feedback_assign(feedback=submission.feedback, assignee=officer, actor=officer)
            _back_date(submission.feedback, 10 + 12 * i)
    services.review_suggestion_refresh(rule=target)
    return created


def _seed_receipts(rules, officer):
    created = 0
    for i, (code, kind, text, days_ago, plot) in enumerate(DEMO_RECEIPTS):
        submission = services.report_submit(
            token=f"demo-receipt-{i:02d}-000000000",
            kind=kind,
            text=text,
            rule=rules[(i * 5 + 3) % len(rules)],
            receipt_code=code,
        )
        if not submission.created:
            continue
        created += 1
        feedback = submission.feedback
        if plot == "question":
            services.feedback_assign(feedback=feedback, assignee=officer, actor=officer)
            services.feedback_reply(
                feedback=feedback, actor=officer, text=QUESTION, token=f"demo-receipt-reply-{i}-00000"
            )
        elif plot == "closed":
            services.feedback_reply(feedback=feedback, actor=officer, text=REPLY, token=f"demo-receipt-reply-{i}-00000")
            services.feedback_move(feedback=feedback, to=Status.CLOSED, actor=officer)
        _back_date(feedback, days_ago)
    return created
