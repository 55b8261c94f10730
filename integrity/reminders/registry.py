"""The occasions the product reminds people of, registered by the apps that own the objects.

An occasion (a task coming due, a review overdue, ...) is declared once, usually in the
owning app's ``AppConfig.ready()``::

    reminders.register(Occasion(
        code="task_due",
        label=_("Implementation task due"),
        items=task_due_items,                       # window -> batches of ReminderItem
        before_days=(30, 7, 1),                     # reminders to the primary recipient
        escalations=(
            Escalation("overdue"),                  # at the deadline, to the primary recipient
            Escalation("escalate-1", after_days=3, to="liaison"),
            Escalation("escalate-2", after_days=10, to="top_leader"),
        ),
    ))

Each step fires at a moment relative to the item's due date: ``before-N`` at the start of the
day N days before it, an escalation ``after_days`` after the deadline has passed (for a date,
the end of that day). The sweep (``integrity.reminders.sweep``) sends, for every item and every
recipient role, the latest step that has fired and was not sent before; an earlier step that a
later one has overtaken (the sweep did not run, or the item came in late) is not sent any more.

Steps addressed to the primary recipient may be muted by that person; escalations (to anyone
else) cannot, unless ``Escalation(mutable=True)`` says so.

Offsets can be changed per deployment without code, read when a sweep runs::

    INTEGRITY_REMINDERS = {"task_due": {"before_days": [14, 3], "after_days": {"escalate-1": 5}}}
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

PRIMARY = "primary"
# A sweep still sends a step this many days after it fired (the sweep did not run meanwhile).
CATCH_UP_DAYS = 14


class StepKind:
    BEFORE = "before"
    OVERDUE = "overdue"
    ESCALATION = "escalation"


@dataclass(frozen=True)
class Escalation:
    """A step after the deadline: ``after_days`` past it, to the recipients under ``to``."""

    step: str
    after_days: int = 0
    to: str = PRIMARY
    mutable: bool | None = None  # None: mutable when addressed to the primary recipient


@dataclass(frozen=True)
class Step:
    """One resolved step of an occasion."""

    code: str
    kind: str
    to: str
    days: int  # days before the due date (BEFORE) or after the deadline (OVERDUE/ESCALATION)
    mutable: bool

    def fires_at(self, item: "ReminderItem") -> datetime:
        return self.fires_between(starts_at=item.starts_at, deadline=item.deadline)

    def fires_between(self, *, starts_at: datetime, deadline: datetime) -> datetime:
        """When the step fires for an item that starts at ``starts_at`` and is overdue at ``deadline``."""
        if self.kind == StepKind.BEFORE:
            return starts_at - timedelta(days=self.days)
        return deadline + timedelta(days=self.days)


@lru_cache(maxsize=4096)
def _midnight(day: date, zone) -> datetime:
    """Midnight at the start of `day` in `zone` (as timezone.make_aware gives it). A sweep asks for the
    same few hundred days thousands of times (every item's start and deadline)."""
    return datetime.combine(day, time.min, tzinfo=zone)


@dataclass
class ReminderItem:
    """Something that is due, with the people to remind at each step, already loaded.

    ``key`` names the object ("accountability.task:42", see ``object_key``); ``due`` is a date
    (due by the end of that day) or an aware datetime; ``recipients`` maps a role ("primary",
    "supervisor", "top_leader", ...) to users, loaded by the provider's own queries
    (select_related, or ``in_bulk`` once per batch), so the sweep never queries per item.
    """

    key: str
    due: date | datetime
    title: str
    recipients: Mapping[str, Sequence]
    url: str = ""
    context: dict = field(default_factory=dict)

    @property
    def due_date(self) -> date:
        return self.due if not isinstance(self.due, datetime) else timezone.localtime(self.due).date()

    def bounds(self, zone=None) -> tuple[datetime, datetime]:
        """(starts_at, deadline). ``zone``: the current time zone, passed by a caller that asks for
        thousands of items (the sweep)."""
        if isinstance(self.due, datetime):
            return self.due, self.due
        zone = zone or timezone.get_current_timezone()
        return _midnight(self.due, zone), _midnight(self.due + timedelta(days=1), zone)

    @property
    def starts_at(self) -> datetime:
        """Reminders before the due date count from the start of its day."""
        return self.bounds()[0]

    @property
    def deadline(self) -> datetime:
        """The moment the item becomes overdue: a date's deadline is the end of that day."""
        return self.bounds()[1]


@dataclass(frozen=True)
class SweepWindow:
    """What a provider is asked for: open items due from ``due_from`` up to ``due_until`` (no step
    of a later item has fired yet, and every step of an earlier one fired so long ago that it was
    sent or is past catching up), yielded in batches of ``batch_size``. Providers that filter on
    ``due_from`` keep a sweep's cost in proportion to what can still be sent, not to the backlog."""

    now: datetime
    due_until: datetime
    batch_size: int
    due_from: datetime | None = None

    @property
    def due_until_date(self) -> date:
        return timezone.localtime(self.due_until).date()

    @property
    def due_from_date(self) -> date | None:
        return timezone.localtime(self.due_from).date() if self.due_from else None

    def due_dates(self, field: str) -> dict:
        """Filter arguments for a date field: due in this window."""
        bounds = {f"{field}__lte": self.due_until_date}
        if self.due_from is not None:
            bounds[f"{field}__gte"] = self.due_from_date
        return bounds


def object_key(obj, pk=None) -> str:
    """The stable key of a model instance in reminder records: "app_label.model:pk". Providers
    that read rows with ``values()`` pass the model and the row's pk: ``object_key(Task, pk=42)``."""
    return f"{obj._meta.label_lower}:{obj.pk if pk is None else pk}"


def batched(queryset, size: int, key: str = "pk") -> Iterable[list]:
    """Walk a queryset in ``key`` order, ``size`` rows per query (keyset pagination); rows may be
    model instances or the dicts of a ``values()`` queryset."""
    queryset = queryset.order_by(key)
    last = None
    while True:
        page = queryset if last is None else queryset.filter(**{f"{key}__gt": last})
        rows = list(page[:size])
        if not rows:
            return
        yield rows
        if len(rows) < size:
            return
        last = rows[-1][key] if isinstance(rows[-1], dict) else getattr(rows[-1], key)


def default_subject(occasion: "Occasion", item: ReminderItem, step: Step, now: datetime) -> str:
    values = {"title": item.title, "date": item.due_date.isoformat()}
    phrases = _default_phrases(translation.get_language())
    return phrases.get(f"subject-{step.kind}", phrases[f"subject-{StepKind.ESCALATION}"]) % values


def default_body(occasion: "Occasion", item: ReminderItem, step: Step, now: datetime) -> str:
    language = translation.get_language()
    phrases = _default_phrases(language)
    today = timezone.localtime(now).date()
    values = {"title": item.title, "date": item.due_date.isoformat()}
    if step.kind == StepKind.BEFORE:
        days = (item.due_date - today).days
        pattern = phrases["due-today"] if days <= 0 else _due_in_days(language, days)
        line = pattern % {**values, "count": days}
    else:
        line = phrases.get(step.kind, phrases[StepKind.ESCALATION]) % values
    return f"{occasion.label_in(language)}: {line}"


@lru_cache(maxsize=32)
def _default_phrases(language: str | None) -> dict[str, str]:
    """The default texts in one language, translated once: a sweep renders thousands of messages in a
    row, and each gettext() looks up the active language again."""
    with translation.override(language):
        return {
            f"subject-{StepKind.BEFORE}": _("Reminder: %(title)s is due on %(date)s"),
            f"subject-{StepKind.OVERDUE}": _("Overdue: %(title)s was due on %(date)s"),
            f"subject-{StepKind.ESCALATION}": _("Escalation: %(title)s is overdue (due %(date)s)"),
            "due-today": _("%(title)s is due today."),
            StepKind.OVERDUE: _("%(title)s was due on %(date)s and is not done yet."),
            StepKind.ESCALATION: _(
                "%(title)s was due on %(date)s and is still not done. It is escalated to you to follow up."
            ),
        }


@lru_cache(maxsize=512)
def _due_in_days(language: str | None, days: int) -> str:
    with translation.override(language):
        return ngettext(
            "%(title)s is due in %(count)d day, on %(date)s.",
            "%(title)s is due in %(count)d days, on %(date)s.",
            days,
        )


@dataclass
class Occasion:
    """A reason to remind people, with its steps and the provider of due items."""

    code: str
    label: str
    items: Callable[[SweepWindow], Iterable[Sequence[ReminderItem]]]
    before_days: Sequence[int] = (30, 7, 1)
    escalations: Sequence[Escalation] = (Escalation("overdue"),)
    subject: Callable = default_subject  # (occasion, item, step, now) -> str, in the active language
    body: Callable = default_body
    description: str = ""

    def label_in(self, language: str | None) -> str:
        """The label in a language, translated once per language (the default texts start with it)."""
        labels = self.__dict__.setdefault("_labels", {})
        if language not in labels:
            with translation.override(language):
                labels[language] = str(self.label)
        return labels[language]

    def _overrides(self) -> dict:
        return getattr(settings, "INTEGRITY_REMINDERS", {}).get(self.code, {})

    def steps(self) -> list[Step]:
        """Every step in firing order, with the deployment's overrides (INTEGRITY_REMINDERS)."""
        overrides = self._overrides()
        before = sorted(set(overrides.get("before_days", self.before_days)), reverse=True)
        after = overrides.get("after_days", {})
        steps = [Step(f"before-{d}", StepKind.BEFORE, PRIMARY, d, True) for d in before]
        for esc in self.escalations:
            kind = StepKind.OVERDUE if esc.to == PRIMARY else StepKind.ESCALATION
            mutable = esc.to == PRIMARY if esc.mutable is None else esc.mutable
            steps.append(Step(esc.step, kind, esc.to, int(after.get(esc.step, esc.after_days)), mutable))
        steps[len(before) :] = sorted(steps[len(before) :], key=lambda s: s.days)
        return steps

    @property
    def can_be_muted(self) -> bool:
        return any(step.mutable for step in self.steps())

    def window(self, now: datetime, batch_size: int) -> SweepWindow:
        steps = self.steps()
        lead = max((s.days for s in steps if s.kind == StepKind.BEFORE), default=0)
        last = max((s.days for s in steps if s.kind != StepKind.BEFORE), default=0)
        catch_up = getattr(settings, "INTEGRITY_REMINDER_CATCH_UP_DAYS", CATCH_UP_DAYS)
        return SweepWindow(
            now=now,
            due_until=now + timedelta(days=lead),
            batch_size=batch_size,
            due_from=now - timedelta(days=last + catch_up + 1),
        )

    def due_steps(
        self, item: ReminderItem, now: datetime, steps: Sequence[Step] | None = None, zone=None
    ) -> list[Step]:
        """For each recipient role, the latest step that has fired by ``now``. ``zone``: as for
        ReminderItem.bounds."""
        starts_at, deadline = item.bounds(zone)
        fired = []
        for step in steps or self.steps():
            fires_at = step.fires_between(starts_at=starts_at, deadline=deadline)
            if fires_at <= now:
                fired.append((fires_at, step))
        latest: dict[str, Step] = {}
        for _fires_at, step in sorted(fired, key=lambda pair: pair[0]):
            latest[step.to] = step
        return list(latest.values())


_occasions: dict[str, Occasion] = {}


def register(occasion: Occasion) -> Occasion:
    """Register an occasion (from AppConfig.ready()); its code must be new."""
    if occasion.code in _occasions:
        raise ValueError(f"Reminder occasion {occasion.code!r} is already registered.")
    codes = [s.code for s in occasion.steps()]
    if len(codes) != len(set(codes)):
        raise ValueError(f"Reminder occasion {occasion.code!r} has two steps with the same code.")
    _occasions[occasion.code] = occasion
    return occasion


def unregister(code: str) -> None:
    """Remove an occasion (tests register their own and clean up)."""
    _occasions.pop(code, None)


def get_occasion(code: str) -> Occasion:
    try:
        return _occasions[code]
    except KeyError:
        raise LookupError(f"No reminder occasion {code!r} is registered.") from None


def occasions() -> list[Occasion]:
    return list(_occasions.values())
