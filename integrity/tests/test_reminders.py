"""Reminders: each is sent once per (occasion, object, recipient, step), whatever the sweep timing."""

import threading
import time
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from integrity import reminders
from integrity.celery import app
from integrity.models import DeliveryMode, Notification, NotificationPreference, ReminderRecord
from integrity.reminders import registry, sweep
from integrity.reminders.sweep import reminder_sweep
from integrity.roles import Role
from integrity.tasks import run_reminder_sweep
from integrity.tests.celery_helpers import running_worker
from integrity.tests.reminder_helpers import CODE, Board, Thing, only_occasions, register_test_occasion

DAY = timedelta(days=1)


@pytest.fixture
def board():
    """Only the test occasion is registered while a test runs (the apps' own are set aside)."""
    board = Board()
    with only_occasions():
        register_test_occasion(board)
        yield board


@pytest.fixture
def people(make_user):
    return {
        "owner": make_user(Role.CADRE, username="owner"),
        "supervisor": make_user(Role.OFFICER, username="supervisor"),
        "leader": make_user(Role.CADRE, username="leader"),
    }


def sent(**filters):
    """(object key, recipient username, step) of every sent-record."""
    return sorted(ReminderRecord.objects.filter(**filters).values_list("object_key", "recipient__username", "step"))


def wait_for(predicate, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


# --- the steps, service level ------------------------------------------------------------------


@pytest.mark.django_db
def test_steps_go_to_the_owner_then_escalate_to_the_supervisor_then_the_top_leader(board, people):
    due = timezone.now().replace(microsecond=0) + 30 * DAY
    board.add("a", due, people["owner"], people["supervisor"], people["leader"])

    assert reminder_sweep(now=due - 8 * DAY).sent == 0
    assert reminder_sweep(now=due - 7 * DAY).sent == 1
    assert reminder_sweep(now=due - 1 * DAY).sent == 1
    assert reminder_sweep(now=due + timedelta(minutes=1)).sent == 1
    assert sent() == [("test.thing:a", "owner", "before-1"), ("test.thing:a", "owner", "before-7"),
                      ("test.thing:a", "owner", "overdue")]  # fmt: skip
    assert reminder_sweep(now=due + 2 * DAY).sent == 1
    assert sent(recipient=people["supervisor"]) == [("test.thing:a", "supervisor", "escalate-1")]
    assert reminder_sweep(now=due + 4 * DAY).sent == 0
    assert reminder_sweep(now=due + 5 * DAY).sent == 1
    assert sent(recipient=people["leader"]) == [("test.thing:a", "leader", "escalate-2")]

    subjects = list(Notification.objects.order_by("pk").values_list("recipient__username", "subject"))
    assert subjects[0] == ("owner", f"Reminder: Thing a is due on {timezone.localtime(due).date():%Y-%m-%d}")
    assert subjects[2][1].startswith("Overdue: Thing a")
    assert subjects[3] == ("supervisor", subjects[3][1])
    assert subjects[3][1].startswith("Escalation: Thing a is overdue")
    assert Notification.objects.filter(occasion=CODE, url="/things/a/").count() == 5


@pytest.mark.django_db
def test_a_date_is_due_by_the_end_of_its_day(board, people):
    due_date = timezone.localdate() + 10 * DAY
    board.add("d", due_date, people["owner"])
    start_of_due_day = timezone.make_aware(timezone.datetime.combine(due_date, timezone.datetime.min.time()))

    reminder_sweep(now=start_of_due_day - DAY + timedelta(hours=7))
    assert sent() == [("test.thing:d", "owner", "before-1")]
    reminder_sweep(now=start_of_due_day + timedelta(hours=23))  # the due day itself: not overdue yet
    assert len(sent()) == 1
    reminder_sweep(now=start_of_due_day + DAY + timedelta(hours=7))
    assert sent()[-1] == ("test.thing:d", "owner", "overdue")


@pytest.mark.django_db
def test_a_missed_sweep_catches_up_with_one_reminder_per_step_not_per_day(board, people):
    now = timezone.now()
    board.add("soon", now + 4 * DAY, people["owner"])  # its 7-day reminder fell due 3 days ago
    board.add("late", now - 3 * DAY, people["owner"], people["supervisor"], people["leader"])

    assert reminder_sweep(now=now).sent == 3
    assert sent() == [
        ("test.thing:late", "owner", "overdue"),  # the overtaken 7- and 1-day reminders are not sent late
        ("test.thing:late", "supervisor", "escalate-1"),
        ("test.thing:soon", "owner", "before-7"),
    ]
    for _ in range(3):
        assert reminder_sweep(now=now).sent == 0
    assert Notification.objects.count() == 3


@pytest.mark.django_db
def test_once_someone_acts_no_further_reminder_goes_out(board, people):
    due = timezone.now() + 30 * DAY
    board.add("a", due, people["owner"], people["supervisor"], people["leader"])
    reminder_sweep(now=due - 7 * DAY)
    board.act("a")
    for when in (due - DAY, due + DAY, due + 3 * DAY, due + 10 * DAY):
        assert reminder_sweep(now=when).sent == 0
    assert sent() == [("test.thing:a", "owner", "before-7")]


@pytest.mark.django_db
def test_muting_silences_the_owners_reminders_but_never_an_escalation(board, people):
    NotificationPreference.objects.create(user=people["owner"], muted_occasions=[CODE])
    NotificationPreference.objects.create(user=people["supervisor"], muted_occasions=[CODE])
    due = timezone.now() - 3 * DAY
    board.add("a", due, people["owner"], people["supervisor"])
    assert reminder_sweep(now=timezone.now()).sent == 1
    assert sent() == [("test.thing:a", "supervisor", "escalate-1")]


@pytest.mark.django_db
def test_inactive_people_and_missing_roles_are_skipped(board, people):
    people["supervisor"].is_active = False
    people["supervisor"].save()
    board.add("a", timezone.now() - 10 * DAY, people["owner"], people["supervisor"])  # no top leader
    assert reminder_sweep().sent == 1
    assert sent() == [("test.thing:a", "owner", "overdue")]


@pytest.mark.django_db
def test_offsets_can_be_changed_per_deployment(board, people, settings):
    settings.INTEGRITY_REMINDERS = {CODE: {"before_days": [3], "after_days": {"escalate-1": 4}}}
    due = timezone.now() + 30 * DAY
    board.add("a", due, people["owner"], people["supervisor"])
    assert reminder_sweep(now=due - 7 * DAY).sent == 0
    assert reminder_sweep(now=due - 3 * DAY).sent == 1
    assert reminder_sweep(now=due + 3 * DAY).sent == 1  # overdue, but no escalation yet
    assert reminder_sweep(now=due + 4 * DAY).sent == 1
    assert sorted(step for *_, step in sent()) == ["before-3", "escalate-1", "overdue"]


@pytest.mark.django_db
def test_digest_readers_get_the_inbox_message_but_no_immediate_email(board, people, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=people["owner"], delivery=DeliveryMode.DIGEST)
    board.add("a", timezone.now() - 3 * DAY, people["owner"], people["supervisor"])
    with django_capture_on_commit_callbacks() as callbacks:
        reminder_sweep()
    owner_msg = Notification.objects.get(recipient=people["owner"])
    supervisor_msg = Notification.objects.get(recipient=people["supervisor"])
    assert owner_msg.in_digest is True
    assert supervisor_msg.in_digest is False
    assert len(callbacks) == 1  # one e-mail task for the batch, carrying only the supervisor's message


@pytest.mark.django_db
def test_a_failing_occasion_does_not_hold_up_the_others(board, people):
    def broken(window):
        raise RuntimeError("provider down")
        yield

    reminders.register(reminders.Occasion(code="broken", label="Broken", items=broken))
    try:
        board.add("a", timezone.now() - DAY, people["owner"])
        with pytest.raises(RuntimeError, match="provider down"):
            reminder_sweep()
        assert sent() == [("test.thing:a", "owner", "overdue")]
    finally:
        reminders.unregister("broken")


@pytest.mark.django_db
def test_the_sent_record_is_unique_per_occasion_object_recipient_and_step(people):
    values = {"occasion": "x", "object_key": "a:1", "recipient": people["owner"], "step": "overdue"}
    values["due_at"] = timezone.now()
    ReminderRecord.objects.create(sweep_token="00000000-0000-0000-0000-000000000001", **values)
    with pytest.raises(IntegrityError):
        ReminderRecord.objects.create(sweep_token="00000000-0000-0000-0000-000000000002", **values)


@pytest.mark.django_db
def test_a_sweep_makes_the_same_number_of_queries_for_10_or_200_due_items(board, make_user):
    owners = [make_user(Role.CADRE) for _ in range(20)]
    due = timezone.now() - 3 * DAY

    def sweep_queries(first, count):
        for i in range(first, first + count):
            board.add(f"{i:04d}", due, owners[i % 20])
        with CaptureQueriesContext(connection) as ctx:
            assert reminder_sweep(now=timezone.now(), batch_size=500).sent == count
        board.things.clear()
        return len(ctx.captured_queries)

    small, large = sweep_queries(0, 10), sweep_queries(100, 200)
    assert small == large <= 10
    # With smaller batches the queries grow with the number of batches, not of items.
    for i in range(1000, 1200):
        board.add(str(i), due, owners[i % 20])
    with CaptureQueriesContext(connection) as ctx:
        assert reminder_sweep(now=timezone.now(), batch_size=50).sent == 200
    assert len(ctx.captured_queries) <= 4 * small + 1


@pytest.mark.django_db
def test_a_rerun_finds_everything_sent_with_two_queries_per_batch(board, people):
    board.add("a", timezone.now() - 3 * DAY, people["owner"], people["supervisor"])
    reminder_sweep()
    with CaptureQueriesContext(connection) as ctx:
        assert reminder_sweep().sent == 0
    assert len(ctx.captured_queries) == 2  # the provider's users, then the records sent before


@pytest.mark.django_db
def test_a_message_is_rendered_once_per_item_step_and_language(people, make_user):
    rendered = []

    def subject(occasion, item, step, now):
        rendered.append((item.key, step.code, translation.get_language()))
        return f"{item.title} [{translation.get_language()}]"

    readers = [people["owner"], people["supervisor"], make_user(Role.CADRE, username="reader")]
    NotificationPreference.objects.create(user=readers[2], language="zh-hans")
    board = Board()
    board.things["shared"] = Thing(
        due=timezone.now() - DAY, roles={"primary": [r.pk for r in readers]}, title="Shared thing"
    )
    with only_occasions():
        register_test_occasion(board, subject=subject)
        assert reminder_sweep().sent == 3
    assert sorted(rendered) == [("test.thing:shared", "overdue", "en"), ("test.thing:shared", "overdue", "zh-hans")]
    assert sorted(Notification.objects.values_list("recipient__username", "subject")) == [
        ("owner", "Shared thing [en]"),
        ("reader", "Shared thing [zh-hans]"),
        ("supervisor", "Shared thing [en]"),
    ]


@pytest.fixture(params=[True, False], ids=["insert-returning", "bulk-create-and-read-back"])
def recording(request, monkeypatch):
    """Both ways a batch records what it sends: PostgreSQL's INSERT ... RETURNING, and the
    portable bulk_create followed by a read-back of the batch's token."""
    monkeypatch.setattr(sweep, "_insert_returning_supported", lambda: request.param)
    return request.param


@pytest.mark.django_db
def test_either_way_of_recording_sends_the_same_messages(recording, board, people, monkeypatch):
    queued = []
    monkeypatch.setattr(sweep, "enqueue_on_commit", lambda task, ids: queued.append(ids))
    NotificationPreference.objects.create(user=people["owner"], delivery=DeliveryMode.DIGEST)
    people["leader"].email = ""
    people["leader"].save()
    now = timezone.now()
    board.add("late", now - 12 * DAY, people["owner"], people["supervisor"], people["leader"])
    board.add("soon", now + 4 * DAY, people["supervisor"])

    assert reminder_sweep(now=now).sent == 4
    assert sent() == [
        ("test.thing:late", "leader", "escalate-2"),
        ("test.thing:late", "owner", "overdue"),
        ("test.thing:late", "supervisor", "escalate-1"),
        ("test.thing:soon", "supervisor", "before-7"),
    ]
    messages = list(
        Notification.objects.order_by("pk").values_list("pk", "recipient__username", "in_digest", "url", "occasion")
    )
    assert [m[1:] for m in messages] == [  # in the order of (object, recipient, step)
        ("owner", True, "/things/late/", CODE),
        ("supervisor", False, "/things/late/", CODE),
        ("leader", False, "/things/late/", CODE),
        ("supervisor", False, "/things/soon/", CODE),
    ]
    assert Notification.objects.get(recipient=people["owner"]).subject.startswith("Overdue: Thing late")
    # Only the supervisor is e-mailed straight away: the owner reads a digest, the leader has no address.
    assert queued == [[pk for pk, username, *_ in messages if username == "supervisor"]]
    assert reminder_sweep(now=now).sent == 0
    assert queued == [[pk for pk, username, *_ in messages if username == "supervisor"]]


@pytest.mark.django_db
def test_either_way_of_recording_delivers_only_the_rows_it_inserted(recording, people):
    """A record another worker inserted meanwhile (after this batch looked) is skipped, not sent twice."""
    occasion = reminders.Occasion(code="raced", label="Raced", items=lambda window: [])
    overdue = occasion.steps()[-1]
    item = reminders.ReminderItem(key="raced:1", due=timezone.now() - DAY, title="Raced", recipients={})
    ReminderRecord.objects.create(
        occasion="raced",
        object_key="raced:1",
        recipient=people["owner"],
        step="overdue",
        due_at=item.deadline,
        sweep_token=uuid.uuid4(),
    )
    todo = {
        ("raced:1", people["owner"].pk, "overdue"): (item, overdue, people["owner"]),
        ("raced:1", people["supervisor"].pk, "overdue"): (item, overdue, people["supervisor"]),
    }
    assert sweep._record(occasion=occasion, todo=todo) == [("raced:1", people["supervisor"].pk, "overdue")]
    assert ReminderRecord.objects.filter(object_key="raced:1").count() == 2
    assert ReminderRecord.objects.get(recipient=people["supervisor"]).due_at == item.deadline


def test_registering_an_occasion_twice_is_refused():
    board = Board()
    register_test_occasion(board, code="dup")
    try:
        with pytest.raises(ValueError, match="already registered"):
            register_test_occasion(board, code="dup")
        assert reminders.get_occasion("dup").label == "Test thing due"
    finally:
        reminders.unregister("dup")
    with pytest.raises(LookupError):
        reminders.get_occasion("dup")


def test_two_steps_with_one_code_are_refused():
    with pytest.raises(ValueError, match="two steps"):
        register_test_occasion(Board(), code="twice", escalations=(reminders.Escalation("overdue"),) * 2)
    assert "twice" not in [o.code for o in reminders.occasions()]


def test_escalations_cannot_be_muted_unless_said_so():
    occasion = reminders.Occasion(
        code="x",
        label="x",
        items=lambda window: [],
        before_days=(),
        escalations=(reminders.Escalation("overdue", to="supervisor"),),
    )
    assert occasion.can_be_muted is False
    steps = reminders.Occasion(code="y", label="y", items=lambda window: []).steps()
    assert [(s.code, s.mutable) for s in steps] == [
        ("before-30", True),
        ("before-7", True),
        ("before-1", True),
        ("overdue", True),
    ]


@pytest.mark.django_db
def test_object_key_names_the_model_and_pk(people):
    assert reminders.object_key(people["owner"]) == f"integrity.user:{people['owner'].pk}"
    assert reminders.object_key(type(people["owner"]), pk=7) == "integrity.user:7"  # a provider reading values()


# --- a real Celery worker against Redis ----------------------------------------------------------


@pytest.fixture
def worker(transactional_db):
    app.conf.task_always_eager = False
    with running_worker() as worker:
        yield worker


@pytest.fixture
def two_thread_worker(transactional_db):
    app.conf.task_always_eager = False
    with running_worker(pool="threads", concurrency=2) as worker:
        yield worker


def _seed_due_items(board, people, make_user):
    now = timezone.now()
    owners = [make_user(Role.CADRE) for _ in range(5)]
    for i, owner in enumerate(owners):
        board.add(f"soon-{i}", now + 4 * DAY, owner)  # before-7 to the owner
    board.add("late", now - 3 * DAY, people["owner"], people["supervisor"], people["leader"])
    return 5 + 2  # and the overdue one: owner + supervisor (escalate-2 not due yet)


@pytest.mark.celery_worker
def test_worker_sweep_sends_each_reminder_once_even_run_again(worker, board, people, make_user):
    expected = _seed_due_items(board, people, make_user)
    run_reminder_sweep.delay()
    assert wait_for(lambda: board.finished == 1)
    assert wait_for(lambda: len(mail.outbox) == expected)
    run_reminder_sweep.delay()
    run_reminder_sweep.delay(occasion=CODE)
    assert wait_for(lambda: board.finished == 3)
    time.sleep(1)  # any e-mail task the reruns queued would have run by now
    assert ReminderRecord.objects.count() == expected
    assert Notification.objects.count() == expected
    assert len(mail.outbox) == expected
    assert sorted(m.to[0] for m in mail.outbox).count("supervisor@example.org") == 1


@pytest.mark.celery_worker
def test_two_sweeps_running_at_once_send_nothing_twice(two_thread_worker, board, people, make_user):
    expected = _seed_due_items(board, people, make_user)
    board.barrier = threading.Barrier(2, timeout=10)
    run_reminder_sweep.delay()
    run_reminder_sweep.delay()
    assert wait_for(lambda: board.finished == 2)
    assert not board.barrier.broken  # both sweeps really ran side by side
    assert ReminderRecord.objects.count() == expected
    assert Notification.objects.count() == expected
    assert wait_for(lambda: len(mail.outbox) == expected)
    time.sleep(1)
    assert len(mail.outbox) == expected


@pytest.mark.celery_worker
def test_worker_catches_up_a_sweep_skipped_for_three_days(worker, board, people):
    today = timezone.now()
    due = today + 5 * DAY
    board.add("a", due, people["owner"], people["supervisor"], people["leader"])
    # The last sweep ran 3 days ago: nothing was due yet (the 7-day reminder fell due 2 days ago).
    run_reminder_sweep.delay(as_of=(today - 3 * DAY).isoformat())
    assert wait_for(lambda: board.finished == 1)
    assert ReminderRecord.objects.count() == 0
    run_reminder_sweep.delay()
    assert wait_for(lambda: board.finished == 2)
    assert sent() == [("test.thing:a", "owner", "before-7")]
    # Days later still without a sweep: one reminder per step that has come due since, not per day.
    run_reminder_sweep.delay(as_of=(due + 6 * DAY).isoformat())
    run_reminder_sweep.delay(as_of=(due + 6 * DAY).isoformat())
    assert wait_for(lambda: board.finished == 4)
    assert sent() == [
        ("test.thing:a", "leader", "escalate-2"),
        ("test.thing:a", "owner", "before-7"),
        ("test.thing:a", "owner", "overdue"),
        ("test.thing:a", "supervisor", "escalate-1"),
    ]


@pytest.mark.django_db
def test_items_long_past_their_last_step_are_not_asked_for():
    """The window's lower bound: last escalation + catch-up days; the backlog is not re-read."""
    from integrity.reminders import registry

    occasion = registry.Occasion(
        code="bounded",
        label="Bounded",
        items=lambda w: [],
        before_days=(7,),
        escalations=(registry.Escalation("overdue"), registry.Escalation("escalate-1", after_days=10, to="x")),
    )
    now = timezone.now()
    window = occasion.window(now, 100)
    assert (
        window.due_from_date
        == (now - timedelta(days=10 + registry.CATCH_UP_DAYS + 1)).astimezone(timezone.get_current_timezone()).date()
    )
    assert window.due_dates("deadline") == {
        "deadline__lte": (now + timedelta(days=7)).astimezone(timezone.get_current_timezone()).date(),
        "deadline__gte": window.due_from_date,
    }


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "Europe/Berlin"])
def test_an_items_start_and_deadline_are_midnights_in_the_current_time_zone(zone):
    """Days are turned into midnights through a cache; they stay the midnights make_aware gives, in the
    time zone active at the time (across a daylight-saving change too), and due_steps agrees with them."""
    from datetime import date, datetime
    from datetime import time as clock

    occasion = reminders.Occasion(code="midnights", label="midnights", items=lambda window: [])
    item = reminders.ReminderItem(key="x:1", due=date(2026, 3, 29), title="t", recipients={})
    with timezone.override(zone):
        expected = timezone.make_aware(datetime.combine(date(2026, 3, 29), clock.min))
        assert item.starts_at == expected and item.starts_at.tzinfo == expected.tzinfo
        assert item.deadline == timezone.make_aware(datetime.combine(date(2026, 3, 30), clock.min))
        # Berlin moves its clocks on 29 March 2026: the day starts at UTC+1 and the next at UTC+2
        shift = item.deadline.utcoffset() - item.starts_at.utcoffset()
        assert shift == timedelta(hours=1 if zone == "Europe/Berlin" else 0)
        fired = occasion.due_steps(item, item.deadline)  # the overdue step fires at the deadline
        assert [step.code for step in fired] == ["overdue"]
        assert occasion.due_steps(item, item.deadline - timedelta(microseconds=1)) != fired


AWKWARD_TEXTS = [
    'He said "no", then {left}',
    'back\\slash \\" and a trailing \\',
    "NULL",
    "",
    "line one\nline two\ttab, comma",
    "廉洁 · 规定：“第一条”",
    "  spaces around  ",
]


@pytest.mark.django_db
def test_rows_inserted_column_wise_keep_every_character(people):
    """The batch's columns go to PostgreSQL as array literals: quotes, backslashes, braces, commas,
    line breaks, the word NULL and Chinese come back as they were sent, and so do booleans and times."""
    if connection.vendor != "postgresql":
        pytest.skip("INSERT ... SELECT FROM UNNEST is the PostgreSQL way")
    now = timezone.now()
    owner = people["owner"]
    values = {
        "subject": AWKWARD_TEXTS,
        "body": list(reversed(AWKWARD_TEXTS)),
        "url": [f"/things/{i}/?a=1&b={{2}}" for i in range(len(AWKWARD_TEXTS))],
        "occasion": [CODE] * len(AWKWARD_TEXTS),
        "in_digest": [i % 2 == 0 for i in range(len(AWKWARD_TEXTS))],
        "recipient": [owner.pk] * len(AWKWARD_TEXTS),
        "created_at": [now - timedelta(microseconds=i) for i in range(len(AWKWARD_TEXTS))],
    }
    ids = [pk for (pk,) in sweep._insert_returning(Notification, values, returning=("id",))]
    stored = {n.pk: n for n in Notification.objects.filter(pk__in=ids)}
    assert [
        (stored[pk].subject, stored[pk].body, stored[pk].url, stored[pk].in_digest, stored[pk].created_at) for pk in ids
    ] == list(
        zip(values["subject"], values["body"], values["url"], values["in_digest"], values["created_at"], strict=True)
    )


def test_array_literal_quotes_what_it_must_and_writes_a_repeated_value_once():
    when = timezone.now()
    token = uuid.uuid4()
    literal = sweep._array_literal
    assert literal([None, True, False, 7]) == "{NULL,t,f,7}"
    assert literal(['a"b', "c\\d", "NULL"]) == '{"a\\"b","c\\\\d","NULL"}'
    assert literal([when, when]) == "{" + ",".join([f'"{when.isoformat()}"'] * 2) + "}"
    assert literal([token]) == f'{{"{token}"}}'
    assert literal([]) == "{}"


def test_array_literal_writes_enum_members_as_their_values_and_refuses_other_types():
    from integrity.models import DeliveryMode

    assert sweep._array_literal([DeliveryMode.DIGEST]) == f'{{"{DeliveryMode.DIGEST.value}"}}'
    for value in ({"a": 1}, b"bytes", 1.5):
        with pytest.raises(TypeError):
            sweep._array_literal([value])


def test_default_texts_are_in_the_active_language_with_the_occasion_label():
    occasion = reminders.Occasion(code="texts", label=gettext_lazy("Implementation task due"), items=lambda w: [])
    now = timezone.now()
    today = timezone.localdate(now)
    item = reminders.ReminderItem(
        key="x:1", due=today + timedelta(days=7), title="IR-1 · Register gifts", recipients={}
    )
    steps = {step.code: step for step in occasion.steps()}
    texts = {}
    for language in ("en", "zh-hans", "en"):
        with translation.override(language):
            texts[language] = (
                registry.default_subject(occasion, item, steps["before-7"], now),
                registry.default_body(occasion, item, steps["before-7"], now),
                registry.default_body(occasion, item, steps["overdue"], now),
            )
            expected_label = translation.gettext("Implementation task due")
            expected_line = translation.ngettext(
                "%(title)s is due in %(count)d day, on %(date)s.", "%(title)s is due in %(count)d days, on %(date)s.", 7
            ) % {"title": item.title, "count": 7, "date": item.due_date.isoformat()}
        assert texts[language][1] == f"{expected_label}: {expected_line}"
    assert texts["en"][0] == f"Reminder: IR-1 · Register gifts is due on {item.due_date.isoformat()}"
    assert texts["en"][2].startswith("Implementation task due: IR-1 · Register gifts was due on")
    assert texts["zh-hans"][0] != texts["en"][0] and "IR-1 · Register gifts" in texts["zh-hans"][0]
    assert texts["zh-hans"][1].startswith("落实任务到期: ")
