"""No IP address, user agent or forwarded-for header is stored with feedback, anywhere."""

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import connection

from accountability.feedback import receipts
from accountability.feedback.models import Event, Feedback, Message
from integrity.models import Notification

from .factories import report

pytestmark = pytest.mark.django_db(transaction=False)

ADDRESS = "203.0.113.199"
FORWARDED = "198.51.100.201"
AGENT = "DistinctiveAgent/7f3a-privacy-probe"
TRACES = (ADDRESS, FORWARDED, AGENT, "7f3a-privacy-probe")
CLIENT = {"REMOTE_ADDR": ADDRESS, "HTTP_X_FORWARDED_FOR": FORWARDED, "HTTP_USER_AGENT": AGENT}


def _text_columns_of(tables):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'inet', 'cidr') AND table_name = ANY(%s)",
            [list(tables)],
        )
        return cursor.fetchall()


def _find_traces(tables):
    found = []
    with connection.cursor() as cursor:
        for table, column in _text_columns_of(tables):
            quoted_table, quoted_column = connection.ops.quote_name(table), connection.ops.quote_name(column)
            for trace in TRACES:
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quoted_table} WHERE {quoted_column}::text LIKE %s",  # noqa: S608
                    [f"%{trace}%"],
                )
                if cursor.fetchone()[0]:
                    found.append((table, column, trace))
    return found


def _feedback_tables():
    models = apps.get_app_config("feedback").get_models(include_auto_created=True)
    return {m._meta.db_table for m in models}


def test_the_feedback_app_has_history_tables_to_scan():
    tables = _feedback_tables()
    assert {"feedback_feedback", "feedback_historicalfeedback", "feedback_message", "feedback_event"} <= tables
    assert "feedback_reviewsuggestion_items" in tables


def test_no_ip_or_user_agent_is_stored_anywhere(client, cadre, officer, rule):
    # A cadre sends named and anonymous feedback, a visitor reports and follows up, officers reply.
    client.force_login(cadre)
    for anonymous in ("", "on"):
        form = {"token": receipts.new_token(), "rule": rule.code, "kind": "infeasible", "text": "Too short a deadline"}
        client.post("/feedback/new/", form | ({"anonymous": anonymous} if anonymous else {}), **CLIENT)
    client.logout()
    response = client.post(
        "/report/", {"token": receipts.new_token(), "kind": "violation", "text": "Gift not registered"}, **CLIENT
    )
    code = response.context["submission"].receipt_code
    item = Feedback.objects.get(channel="public")
    client.force_login(officer)
    client.post(f"/feedback/{item.pk}/reply/", {"token": receipts.new_token(), "text": "When?"}, **CLIENT)
    client.post(f"/feedback/{item.pk}/note/", {"text": "Internal"}, **CLIENT)
    client.logout()
    client.post("/report/follow-up/", {"action": "open", "code": code}, **CLIENT)
    client.post("/report/follow-up/", {"action": "open", "code": "WRONG-CODE"}, **CLIENT)
    client.post("/report/follow-up/", {"action": "message", "token": receipts.new_token(), "text": "In May"}, **CLIENT)
    assert Feedback.objects.count() == 3 and Message.objects.filter(kind="sender").count() == 1
    assert Event.objects.exists()

    assert _find_traces(_feedback_tables()) == []
    # And nowhere else in the database either (sessions are checked decoded below).
    with connection.cursor() as cursor:
        all_tables = connection.introspection.table_names(cursor)
    assert _find_traces(all_tables) == []
    for session in Session.objects.all():
        decoded = str(session.get_decoded())
        assert not any(trace in decoded for trace in TRACES)


def test_anonymous_feedback_leaves_no_link_to_the_logged_in_sender(client, cadre, officer, rule):
    client.force_login(cadre)
    form = {"token": receipts.new_token(), "rule": rule.code, "kind": "outdated", "text": "Old", "anonymous": "on"}
    response = client.post("/feedback/new/", form)
    code = response.context["submission"].receipt_code
    item = Feedback.objects.get()
    # Still logged in as the cadre, the sender follows up through the receipt code.
    client.post("/report/follow-up/", {"action": "open", "code": code})
    client.post("/report/follow-up/", {"action": "message", "token": receipts.new_token(), "text": "More"})
    assert item.sender_id is None
    assert not item.history.filter(history_user=cadre).exists()
    assert not Message.objects.filter(author=cadre).exists()
    assert not Event.objects.filter(actor=cadre).exists()
    assert not Notification.objects.filter(recipient=cadre).exists()
    client.force_login(officer)
    body = client.get(f"/feedback/{item.pk}/").content.decode()
    assert str(cadre) not in body and cadre.username not in body


def test_the_report_page_promises_no_ip_logging(client):
    assert "We do not record your IP address" in client.get("/report/").content.decode()
    assert report().feedback.contact == ""


def test_the_scan_would_find_a_stored_address():
    """The scanner itself works: an address typed into a report (by the reporter) is found."""
    report(text=f"I was at {ADDRESS}")
    found = _find_traces(_feedback_tables())
    assert ("feedback_feedback", "text", ADDRESS) in found
    assert ("feedback_historicalfeedback", "text", ADDRESS) in found
