"""A test-only reminder occasion over plain users: due items live in a dict, no extra model."""

import contextlib
import threading
from dataclasses import dataclass, field
from datetime import date, datetime

from integrity import reminders
from integrity.models import User

CODE = "test_due"


@dataclass
class Thing:
    due: date | datetime
    roles: dict  # role -> [user ids]
    title: str


@dataclass
class Board:
    """The open items of the test occasion; acting on one removes it from the window."""

    things: dict = field(default_factory=dict)
    acted: set = field(default_factory=set)
    finished: int = 0  # sweeps that walked every batch
    barrier: threading.Barrier | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, key, due, primary, supervisor=None, top_leader=None, title=None):
        roles = {"primary": [primary.pk]}
        if supervisor:
            roles["supervisor"] = [supervisor.pk]
        if top_leader:
            roles["top_leader"] = [top_leader.pk]
        self.things[key] = Thing(due=due, roles=roles, title=title or f"Thing {key}")

    def act(self, key):
        self.acted.add(key)

    def items(self, window):
        def starts(thing):
            return thing.due.date() if isinstance(thing.due, datetime) else thing.due

        keys = sorted(k for k, t in self.things.items() if k not in self.acted and starts(t) <= window.due_until_date)
        if self.barrier is not None:
            with contextlib.suppress(threading.BrokenBarrierError):
                self.barrier.wait()  # two sweeps reach the insert together
        for start in range(0, len(keys), window.batch_size):
            chunk = keys[start : start + window.batch_size]
            ids = {uid for k in chunk for uids in self.things[k].roles.values() for uid in uids}
            users = User.objects.in_bulk(ids)  # one query per batch
            yield [
                reminders.ReminderItem(
                    key=f"test.thing:{k}",
                    due=self.things[k].due,
                    title=self.things[k].title,
                    recipients={role: [users[i] for i in uids] for role, uids in self.things[k].roles.items()},
                    url=f"/things/{k}/",
                )
                for k in chunk
            ]
        with self.lock:
            self.finished += 1


def register_test_occasion(board, code=CODE, **options):
    options.setdefault("before_days", (7, 1))
    options.setdefault(
        "escalations",
        (
            reminders.Escalation("overdue"),
            reminders.Escalation("escalate-1", after_days=2, to="supervisor"),
            reminders.Escalation("escalate-2", after_days=5, to="top_leader"),
        ),
    )
    return reminders.register(reminders.Occasion(code=code, label="Test thing due", items=board.items, **options))


@contextlib.contextmanager
def only_occasions(*occasions):
    """While the block runs, only these occasions are registered; the apps' own come back after."""
    from integrity.reminders import registry

    saved = dict(registry._occasions)
    registry._occasions.clear()
    try:
        for occasion in occasions:
            reminders.register(occasion)
        yield
    finally:
        registry._occasions.clear()
        registry._occasions.update(saved)
