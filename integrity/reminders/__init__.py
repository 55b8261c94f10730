"""Reminder delivery: occasions registered by the apps, a sweep that sends each reminder once,
and the daily digest. See registry.py for how an app declares an occasion."""

from .registry import (
    PRIMARY,
    Escalation,
    Occasion,
    ReminderItem,
    Step,
    StepKind,
    SweepWindow,
    batched,
    get_occasion,
    object_key,
    occasions,
    register,
    unregister,
)

__all__ = [
    "PRIMARY",
    "Escalation",
    "Occasion",
    "ReminderItem",
    "Step",
    "StepKind",
    "SweepWindow",
    "batched",
    "get_occasion",
    "object_key",
    "occasions",
    "register",
    "unregister",
]
