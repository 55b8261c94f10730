"""Business actions of the execution layer: one plain function per action, keyword-only arguments.

Each locks the rows it changes, checks the move (accountability.transitions for tasks) and records
who did it and why.
"""

from .acknowledgements import acknowledge, acknowledgements_owe, campaign_start
from .assignments import assignment_carry_over, assignment_end, responsible_person_change, rule_assign
from .tasks import (
    task_accept,
    task_cancel,
    task_create,
    task_mark_done,
    task_report,
    task_return,
    tasks_cancel_for_rule,
)

__all__ = [
    "acknowledge",
    "acknowledgements_owe",
    "assignment_carry_over",
    "assignment_end",
    "campaign_start",
    "responsible_person_change",
    "rule_assign",
    "task_accept",
    "task_cancel",
    "task_create",
    "task_mark_done",
    "task_report",
    "task_return",
    "tasks_cancel_for_rule",
]
