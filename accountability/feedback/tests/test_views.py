import io
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from accountability.feedback import forms, receipts, selectors, services
from accountability.feedback.models import Feedback, Kind, Message, Status
from integrity.roles import Role
from rules.tests.factories import draft_rule

from .factories import feedback, report

pytestmark = pytest.mark.django_db


def _form(rule_, **extra):
    data = {"token": receipts.new_token(), "rule": rule_.code, "kind": Kind.AMBIGUOUS, "text": "Article 3 is unclear."}
    return data | extra


def _report_form(**extra):
    return {"token": receipts.new_token(), "kind": Kind.VIOLATION, "text": "Gifts taken at the bureau."} | extra


def _body(response):
    return response.content.decode()


# Pages and access


@pytest.mark.parametrize("url", ["/feedback/", "/feedback/new/", "/feedback/mine/", "/report/", "/report/follow-up/"])
def test_every_page_opens_for_an_officer(client, officer, url):
    client.force_login(officer)
    assert client.get(url).status_code == 200


def test_a_cadre_is_told_the_queue_is_for_officers(client, cadre):
    client.force_login(cadre)
    response = client.get("/feedback/")
    assert response.status_code == 403
    assert "Only discipline officers triage feedback" in _body(response)
    assert client.get("/feedback/mine/").status_code == 200


def test_the_public_channel_needs_no_account_and_the_rest_does(client):
    assert client.get("/report/").status_code == 200
    assert client.get("/report/follow-up/").status_code == 200
    for url in ["/feedback/", "/feedback/new/", "/feedback/mine/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_someone_elses_feedback_is_404_like_a_missing_one(client, cadre, make_user, rule):
    other = feedback(sender=make_user(), rule=rule)
    client.force_login(cadre)
    assert client.get(f"/feedback/{other.pk}/").status_code == 404
    assert client.get("/feedback/999999/").status_code == 404


# The cadre form


def test_the_form_from_a_rule_page_offers_its_articles(client, cadre, rule):
    client.force_login(cadre)
    body = _body(client.get(f"/feedback/new/?rule={rule.code}&article=3"))
    assert re.search(r'<option value="3" selected>', body)
    assert 'name="token"' in body and 'enctype="multipart/form-data"' in body


def test_the_rule_is_typed_by_code_with_a_short_list_of_suggestions(client, cadre, rule):
    """No <select> of every rule in force: a code input, pre-filled from ?rule=, suggesting recent rules."""
    client.force_login(cadre)
    body = _body(client.get(f"/feedback/new/?rule={rule.code}"))
    assert '<select name="rule"' not in body
    assert re.search(rf'<input type="text" name="rule" value="{rule.code}"[^>]* list="id_rule-codes"', body)
    assert f'<datalist id="id_rule-codes"><option value="{rule.code}">' in body
    # the conflicting rule's input suggests from the same list, which the page holds once
    assert re.search(r'<input type="text" name="conflicting_rule"[^>]* list="id_rule-codes"', body)
    assert body.count("<datalist") == 1
    public = _body(client.get("/report/"))
    assert '<select name="rule"' not in public and '<datalist id="id_rule-codes">' in public
    assert public.count("<option value=") <= forms.RECENT_RULES


def test_a_rule_code_is_accepted_in_lower_case(client, cadre, rule):
    client.force_login(cadre)
    response = client.post("/feedback/new/", _form(rule, rule=f" {rule.code.lower()} ", article="3"))
    assert response.status_code == 302
    assert Feedback.objects.get().rule == rule


def test_a_cadre_sends_feedback_on_article_3(client, cadre, rule):
    client.force_login(cadre)
    response = client.post("/feedback/new/", _form(rule, article="3"))
    item = Feedback.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/feedback/{item.pk}/"
    assert item.article.number == 3 and item.sender == cadre
    body = _body(client.get(response["Location"]))
    assert "was received" in body and "#article-3" in body


@pytest.mark.parametrize(
    "change,message",
    [
        ({"text": ""}, "Write what the feedback is about."),
        ({"text": "x" * (1024 * 1024)}, "The text is too long: at most 10000 characters"),
        ({"rule": "IR-1999-404"}, "No rule in force has the code IR-1999-404."),
        ({"rule": ""}, "Choose the rule the feedback is about."),
        ({"kind": ""}, "Choose what kind of feedback this is."),
        ({"kind": Kind.CONFLICT}, "Say which rule it conflicts with."),
        ({"article": "99"}, "Select a valid choice."),
        ({"token": ""}, "This field is required."),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_kept(client, cadre, rule, change, message):
    client.force_login(cadre)
    response = client.post("/feedback/new/", _form(rule, **change))
    assert response.status_code == 200
    body = _body(response)
    assert 'data-testid="error-summary"' in body
    assert message in body
    assert Feedback.objects.count() == 0
    if change.get("text") != "":
        assert "Article 3 is unclear." in body or len(change.get("text", "")) > 10_000


def test_a_rule_not_in_force_is_refused_like_a_missing_one(client, cadre, officer):
    draft = draft_rule(author=officer)
    client.force_login(cadre)
    response = client.post("/feedback/new/", _form(draft))
    assert f"No rule in force has the code {draft.code}." in _body(response)
    assert Feedback.objects.count() == 0


def test_an_attachment_that_lies_about_its_type_is_refused(client, cadre, rule):
    client.force_login(cadre)
    fake = SimpleUploadedFile("evidence.pdf", b"MZ\x90\x00 this is an executable", content_type="application/pdf")
    response = client.post("/feedback/new/", _form(rule, attachment=fake))
    assert "does not match its name" in _body(response)
    assert Feedback.objects.count() == 0


def test_a_real_attachment_is_kept_and_only_officers_download_it(client, cadre, officer, rule):
    client.force_login(cadre)
    pdf = SimpleUploadedFile("evidence.pdf", b"%PDF-1.4 minimal", content_type="application/pdf")
    client.post("/feedback/new/", _form(rule, attachment=pdf))
    item = Feedback.objects.get()
    assert item.attachment_name == "evidence.pdf" and "evidence" not in item.attachment.name
    assert client.get(f"/feedback/{item.pk}/attachment/").status_code == 403
    client.force_login(officer)
    response = client.get(f"/feedback/{item.pk}/attachment/")
    assert response.status_code == 200 and response["Content-Type"] == "application/octet-stream"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_html_and_script_are_rendered_inert(client, cadre, officer, rule):
    client.force_login(cadre)
    client.post("/feedback/new/", _form(rule, text='<script>alert("x")</script><b onclick=evil()>hi</b>'))
    item = Feedback.objects.get()
    for user in (cadre, officer):
        client.force_login(user)
        body = _body(client.get(f"/feedback/{item.pk}/"))
        assert '<script>alert("x")</script>' not in body and "<b onclick" not in body
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert "<script>alert" not in _body(client.get("/feedback/"))


def test_a_double_submit_creates_one_item(client, cadre, rule):
    client.force_login(cadre)
    data = _form(rule)
    first = client.post("/feedback/new/", data)
    second = client.post("/feedback/new/", data, follow=True)
    assert Feedback.objects.count() == 1
    assert first["Location"] == second.redirect_chain[-1][0]
    assert "already received" in _body(second)


def test_anonymous_feedback_shows_a_receipt_code_once_and_is_not_listed_as_mine(client, cadre, rule):
    client.force_login(cadre)
    response = client.post("/feedback/new/", _form(rule, anonymous="on"))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    code = re.search(r'data-testid="receipt-code"[^>]*>([0-9A-Z-]+)<', _body(response)).group(1)
    item = Feedback.objects.get()
    assert item.sender is None and item.receipt_hash == receipts.hash_code(code)
    assert item.reference not in _body(client.get("/feedback/mine/"))
    assert client.get(f"/feedback/{item.pk}/").status_code == 404


# Officers: queue, assignment, reply, notes


def test_assign_reply_and_the_cadre_reads_the_reply_but_never_the_note(client, cadre, officer, officer2, rule):
    item = feedback(sender=cadre, rule=rule)
    client.force_login(officer)
    client.post(f"/feedback/{item.pk}/assign/", {"assignee": officer2.pk})
    client.post(f"/feedback/{item.pk}/note/", {"text": "Check with the finance bureau"})
    client.force_login(officer2)
    response = client.post(f"/feedback/{item.pk}/reply/", {"token": receipts.new_token(), "text": "Five days."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.assignee, item.status) == (officer2, Status.ANSWERED)
    client.force_login(cadre)
    body = _body(client.get(f"/feedback/{item.pk}/"))
    assert "Five days." in body and "Check with the finance bureau" not in body
    assert 'data-testid="reply-count"' in _body(client.get("/feedback/mine/"))


def test_the_officer_list_is_cached_but_the_chosen_officer_is_checked_again(client, officer, officer2, cadre, rule):
    item = feedback(sender=cadre, rule=rule)
    client.force_login(officer)
    client.get(f"/feedback/{item.pk}/")
    assert (officer2.pk, str(officer2)) in selectors.officer_choices()
    with CaptureQueriesContext(connection) as ctx:
        selectors.officer_choices()
    assert len(ctx) == 0
    officer2.groups.clear()  # no longer an officer; the cached list still names them
    response = client.post(f"/feedback/{item.pk}/assign/", {"assignee": officer2.pk}, follow=True)
    assert "Select a valid choice." in _body(response)
    item.refresh_from_db()
    assert item.assignee is None


def test_status_moves_need_their_reason(client, officer, cadre, rule):
    item = feedback(sender=cadre, rule=rule)
    client.force_login(officer)
    response = client.post(f"/feedback/{item.pk}/status/", {"to": "closed", "reason": ""}, follow=True)
    assert "A reason is required" in _body(response)
    client.post(f"/feedback/{item.pk}/status/", {"to": "closed", "reason": "Duplicate of FB-1"})
    item.refresh_from_db()
    assert item.status == Status.CLOSED


def test_bulk_assign_assigns_the_selected_rows(client, officer, officer2, cadre, rule):
    items = [feedback(sender=cadre, rule=rule) for _ in range(3)]
    client.force_login(officer)
    response = client.post(
        "/feedback/bulk-assign/",
        {"items": [items[0].pk, items[1].pk], "assignee": officer2.pk, "next": "/feedback/?status=open"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/feedback/?status=open"
    assert "2 items assigned" in _body(response)
    assert Feedback.objects.filter(assignee=officer2).count() == 2
    response = client.post("/feedback/bulk-assign/", {"assignee": officer2.pk, "next": "https://evil.example/"})
    assert response["Location"] == "/feedback/"
    assert client.post("/feedback/bulk-assign/", {"items": [items[2].pk], "assignee": cadre.pk}).status_code == 302
    assert Feedback.objects.get(pk=items[2].pk).assignee is None


def test_the_queue_filters_from_the_url_and_downloads_exactly_that(client, officer, cadre, rule):
    feedback(sender=cadre, rule=rule, kind=Kind.SUGGESTION, text="Add an online form")
    feedback(sender=cadre, rule=rule, kind=Kind.OTHER, text="Other matter")
    client.force_login(officer)
    body = _body(client.get("/feedback/?kind=suggestion"))
    assert "Add an online form" in body and "Other matter" not in body
    assert "1 item" in body
    csv = _body(client.get("/feedback/?kind=suggestion&format=csv"))
    assert "Add an online form" in csv and "Other matter" not in csv
    response = client.get("/feedback/?kind=suggestion&format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert len(rows) == 2 and rows[1][3] == "Suggestion"
    assert "No feedback matches" in _body(client.get("/feedback/?q=nothing-like-this"))


def _queue_queries(client, url):
    cache.clear()  # count without the cached officer list,
    client.session.load()  # but with the session cached, as it is between two requests
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


def _bulk(n, *, rule, officer, start):
    article = rule.current_version.articles.get(number=3)
    today = timezone.localdate()
    Feedback.objects.bulk_create(
        [
            Feedback(
                kind=Kind.INFEASIBLE if i % 3 else Kind.AMBIGUOUS,
                rule=rule,
                article=article if i % 2 else None,
                text=f"Item {i}",
                submission_key=f"bulk-{start + i}",
                response_due_on=today - timezone.timedelta(days=i % 5),
                assignee=officer if i % 2 else None,
                status=[Status.RECEIVED, Status.TRIAGED, Status.ANSWERED][i % 3],
            )
            for i in range(n)
        ],
        batch_size=1000,
    )


def test_the_triage_lists_query_count_is_flat_from_10_to_5000_items(client, settings, officer, rule):
    settings.INTEGRITY_PAGE_SIZE = 1  # every list runs past its page at both sizes, so it is counted at both
    client.force_login(officer)
    for _ in range(3):
        services.review_suggestion_refresh(rule=rule)
    _bulk(10, rule=rule, officer=officer, start=0)
    urls = ["/feedback/", "/feedback/?status=open&assignee=me&sort=due", f"/feedback/?rule={rule.code}&page=2"]
    small = [_queue_queries(client, url) for url in urls]
    _bulk(4990, rule=rule, officer=officer, start=10)
    assert Feedback.objects.count() == 5000
    large = [_queue_queries(client, url) for url in urls]
    assert small == large, (small, large)
    assert max(large) <= 16  # four headline counts, each from its own index


# The public channel


def _code(response):
    return re.search(r'data-testid="receipt-code"[^>]*>([0-9A-Z-]+)<', _body(response)).group(1)


def test_a_public_report_gives_a_receipt_code_once_per_form(client):
    data = _report_form()
    first = client.post("/report/", data)
    again = client.post("/report/", data)
    assert Feedback.objects.count() == 1
    assert _code(first) == _code(again)
    assert 'data-testid="duplicate"' in _body(again)
    assert first["Cache-Control"].startswith("no-store") or "no-store" in first["Cache-Control"]


def test_a_logged_in_person_reporting_publicly_is_not_recorded(client, cadre):
    client.force_login(cadre)
    client.post("/report/", _report_form())
    item = Feedback.objects.get()
    assert item.sender is None and item.history.get().history_user is None


@pytest.mark.parametrize(
    "change,message",
    [
        ({"text": ""}, "Describe what you want to report."),
        ({"kind": "ambiguous"}, "Select a valid choice."),
        ({"rule": "IR-1999-404"}, "No rule in force has the code IR-1999-404."),
    ],
)
def test_bad_public_reports_are_refused(client, change, message):
    response = client.post("/report/", _report_form(**change))
    assert response.status_code == 200 and message in _body(response)
    assert Feedback.objects.count() == 0


@override_settings(FEEDBACK_REPORTS_PER_CLIENT_PER_HOUR=2)
def test_reports_are_rate_limited_per_client_with_a_clear_message(client):
    for _ in range(2):
        client.post("/report/", _report_form(), REMOTE_ADDR="198.51.100.4")
    response = client.post("/report/", _report_form(text="Kept text"), REMOTE_ADDR="198.51.100.4")
    assert response.status_code == 429 and response["Retry-After"] == "3600"
    assert "Too many attempts from your connection" in _body(response) and "Kept text" in _body(response)
    assert Feedback.objects.count() == 2
    assert client.post("/report/", _report_form(), REMOTE_ADDR="198.51.100.5").status_code == 200


@override_settings(FEEDBACK_REPORTS_GLOBAL_PER_MINUTE=1)
def test_reports_are_rate_limited_globally(client):
    client.post("/report/", _report_form(), REMOTE_ADDR="198.51.100.4")
    response = client.post("/report/", _report_form(), REMOTE_ADDR="198.51.100.99")
    assert response.status_code == 429 and "very busy" in _body(response)


def _open(client, code, **extra):
    return client.post("/report/follow-up/", {"action": "open", "code": code}, **extra)


def test_wrong_and_malformed_codes_get_the_same_answer(client):
    report()
    wrong = _open(client, "AAAA-BBBB-CCCC-DDDD")
    malformed = _open(client, "<script>alert(1)</script>")
    too_long = _open(client, "A" * 500)
    for response in (wrong, malformed, too_long):
        assert response.status_code == 200
        assert "That receipt code does not open a report." in _body(response)

    def strip(response):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"', "", _body(response))

    assert strip(wrong) == strip(malformed) == strip(too_long)
    assert "&lt;script&gt;" not in _body(malformed)


@override_settings(FEEDBACK_RECEIPT_FAILURES_PER_CLIENT_PER_HOUR=3)
def test_repeated_wrong_codes_are_throttled_even_before_a_right_one(client):
    code = report().receipt_code
    for _ in range(3):
        _open(client, "AAAA-BBBB-CCCC-DDDD", REMOTE_ADDR="203.0.113.9")
    response = _open(client, code, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429 and "Too many attempts" in _body(response)
    assert _open(client, code, REMOTE_ADDR="203.0.113.10").status_code == 302


def test_the_reporter_reads_the_question_and_answers_it(client, officer):
    submission = report()
    item = submission.feedback
    services.feedback_reply(feedback=item, actor=officer, text="Which unit was it?")
    services.feedback_note_add(feedback=item, actor=officer, text="Internal: likely finance")
    response = _open(client, submission.receipt_code.lower().replace("-", " "))
    assert response.status_code == 302 and response["Location"] == "/report/follow-up/"
    body = _body(client.get("/report/follow-up/"))
    assert "Which unit was it?" in body and "Internal: likely finance" not in body
    assert str(officer) not in body
    data = {"action": "message", "token": receipts.new_token(), "text": "The finance bureau, in May."}
    client.post("/report/follow-up/", data)
    client.post("/report/follow-up/", data)  # sent twice: recorded once
    assert Message.objects.filter(kind="sender").count() == 1
    item.refresh_from_db()
    assert item.status == Status.TRIAGED
    client.post("/report/follow-up/", {"action": "leave"})
    assert "Which unit was it?" not in _body(client.get("/report/follow-up/"))


def test_a_message_without_an_opened_report_shows_the_code_form(client):
    response = client.post("/report/follow-up/", {"action": "message", "token": "x" * 22, "text": "hi"})
    assert 'data-testid="receipt-form"' in _body(response)
    assert Message.objects.count() == 0


# Integration with the rest of the product


def test_rule_pages_link_to_the_feedback_form_and_officers_see_the_count(client, cadre, officer, rule):
    feedback(sender=cadre, rule=rule)
    client.force_login(cadre)
    body = _body(client.get(rule.get_absolute_url()))
    assert f"/feedback/new/?rule={rule.code}" in body and "Give feedback on this rule" in body
    assert "Feedback (1)" not in body
    client.force_login(officer)
    assert "Feedback (1)" in _body(client.get(rule.get_absolute_url()))


def test_home_shows_feedback_panels_per_role(client, make_user, cadre, officer, rule):
    item = feedback(sender=cadre, rule=rule)
    services.feedback_reply(feedback=item, actor=officer, text="Answer")
    client.force_login(officer)
    body = _body(client.get("/"))
    assert "/feedback/?overdue=on" in body and 'href="/feedback/"' in body
    client.force_login(cadre)
    body = _body(client.get("/"))
    assert f"Reply to {item.reference}" in body and 'href="/feedback/mine/"' in body
    client.force_login(make_user(Role.LIAISON))
    assert 'href="/feedback/mine/"' in _body(client.get("/"))
