"""The life of an implementation task, as one table that the services read."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integrity.services import ServiceError

from .models import TaskState
from .permissions import why_not_report, why_not_review

REPORTER = "reporter"  # the task's owner or a liaison of its unit
REVIEWER = "reviewer"  # a discipline officer
SYSTEM = "system"  # no person: the rule ended

_report = {"label": gettext_lazy("report progress"), "by": REPORTER}
_done = {"label": gettext_lazy("mark done"), "by": REPORTER}
_cancel = {"label": gettext_lazy("cancel"), "by": REVIEWER, "reason": True}

# (from, to) → what the move needs.
TRANSITIONS = {
    (TaskState.OPEN, TaskState.IN_PROGRESS): _report,
    (TaskState.IN_PROGRESS, TaskState.IN_PROGRESS): _report,
    (TaskState.RETURNED, TaskState.IN_PROGRESS): _report,
    (TaskState.OPEN, TaskState.SUBMITTED): _done,
    (TaskState.IN_PROGRESS, TaskState.SUBMITTED): _done,
    (TaskState.RETURNED, TaskState.SUBMITTED): _done,
    (TaskState.SUBMITTED, TaskState.ACCEPTED): {"label": gettext_lazy("accept"), "by": REVIEWER},
    (TaskState.SUBMITTED, TaskState.RETURNED): {"label": gettext_lazy("return"), "by": REVIEWER, "reason": True},
    (TaskState.OPEN, TaskState.CANCELLED): _cancel,
    (TaskState.IN_PROGRESS, TaskState.CANCELLED): _cancel,
    (TaskState.SUBMITTED, TaskState.CANCELLED): _cancel,
    (TaskState.RETURNED, TaskState.CANCELLED): _cancel,
}

WHY_STATE = {
    TaskState.SUBMITTED: gettext_lazy("The task is done and awaits the officer's acceptance."),
    TaskState.ACCEPTED: gettext_lazy("The task was accepted; it is closed."),
    TaskState.CANCELLED: gettext_lazy("The task was cancelled; it is closed."),
}


class TaskTransitionError(ServiceError):
    """The move is not allowed; the message says why, for the user."""


def check_task_transition(task, *, to: str, actor=None, reason: str = "") -> str | None:
    """None when the move is allowed, else the reason it is not (in the user's language). actor=None is
    the system (used when the rule ends)."""
    rule = TRANSITIONS.get((task.state, to))
    if rule is None:
        if task.state in WHY_STATE:
            return str(WHY_STATE[task.state])
        return _("A task that is “%(current)s” cannot become “%(target)s”.") % {
            "current": TaskState(task.state).label,
            "target": TaskState(to).label,
        }
    if actor is not None:
        problem = why_not_report(actor, task) if rule["by"] == REPORTER else why_not_review(actor, task)
        if problem:
            return problem
    if rule.get("reason") and not (reason or "").strip():
        return _("A reason is required to %(action)s.") % {"action": rule["label"]}
    return None


def ensure_task_transition(task, *, to: str, actor=None, reason: str = "") -> None:
    problem = check_task_transition(task, to=to, actor=actor, reason=reason)
    if problem:
        raise TaskTransitionError(problem)


ACTIONS = [
    ("report", gettext_lazy("Report progress"), TaskState.IN_PROGRESS, REPORTER),
    ("done", gettext_lazy("Mark done"), TaskState.SUBMITTED, REPORTER),
    ("accept", gettext_lazy("Accept"), TaskState.ACCEPTED, REVIEWER),
    ("return", gettext_lazy("Return"), TaskState.RETURNED, REVIEWER),
    ("cancel", gettext_lazy("Cancel task"), TaskState.CANCELLED, REVIEWER),
]


def task_actions(user, task) -> list[tuple[str, str, str | None]]:
    """[(action code, label, reason it is not allowed now or None)] for the task's action panel.
    Officers' actions are listed only for officers; a closed task has none."""
    if task.is_closed:
        return []
    actions = []
    for code, label, to, by in ACTIONS:
        if by == REVIEWER and why_not_review(user, task):
            continue
        actions.append((code, str(label), check_task_transition(task, to=to, actor=user, reason="-")))
    return actions
