import io
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from accountability import selectors, services
from accountability.models import Acknowledgement, Assignment, ProgressReport, Task, TaskState
from integrity.models import User
from integrity.roles import Role
from integrity.tests.factories import UnitFactory

from .factories import in_force, pdf, task

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def count_queries(client, url):
    cache.clear()  # count the page's queries without the figures it caches,
    client.session.load()  # but with the session cached, as it is between two requests
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context)


# --- pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona,url,status",
    [
        ("officer", "/my/", 200),
        ("officer", "/my/supervised/", 200),
        ("officer", "/acknowledgements/", 200),
        ("officer", "/acknowledgements/new/", 200),
        ("officer", "/my/tasks/?overdue=on&state=open_all&sort=unit", 200),
        ("liaison", "/my/", 200),
        ("liaison", "/my/unit/", 200),
        ("liaison", "/my/tasks/", 200),
        ("liaison", "/my/supervised/", 403),
        ("liaison", "/acknowledgements/", 403),
        ("cadre", "/my/rules/", 200),
        ("cadre", "/my/rules/?state=pending", 200),
        ("cadre", "/acknowledgements/new/", 403),
        ("leader", "/my/unit/", 200),
    ],
)
def test_pages_by_role(client, request, rule, assignment, persona, url, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url).status_code == status


def test_home_links_to_each_my_page(client, rule, assignment, officer, liaison, cadre):
    client.force_login(cadre)
    body = client.get("/").content.decode()
    assert "/my/rules/?state=pending" in body and "/my/" in body
    client.force_login(liaison)
    assert "/my/unit/" in client.get("/").content.decode()
    client.force_login(officer)
    body = client.get("/").content.decode()
    assert "/my/supervised/" in body and "/acknowledgements/" in body


def test_home_caches_the_organisation_figures_not_the_persons_own(rule, assignment, officer, cadre):
    from accountability.dashboard import accountability_panels

    def figures(user):
        return {label: count for panel in accountability_panels(user) for label, count, _url, _tone in panel.items}

    assert figures(officer)["acknowledged (%)"] == "0%"
    assert figures(cadre)["rules to acknowledge"] == 1
    services.acknowledge(version=rule.current_version, actor=cadre)
    assert figures(cadre)["rules to acknowledge"] == 0  # the person's own count is live
    assert figures(officer)["acknowledged (%)"] == "0%"  # the organisation's is cached (five minutes)
    cache.clear()
    assert figures(officer)["acknowledged (%)"] != "0%"


def test_rule_page_has_the_implementation_tab(client, rule, assignment, officer, cadre):
    client.force_login(cadre)
    body = client.get(f"/rules/{rule.code}/").content.decode()
    assert f"/rules/{rule.code}/implementation/" in body
    assert f"/rules/{rule.code}/acknowledgements/" not in body
    page = client.get(f"/rules/{rule.code}/implementation/").content.decode()
    assert "Finance Bureau" in page and "Lead unit" in page
    assert 'data-testid="assign"' not in page
    client.force_login(officer)
    page = client.get(f"/rules/{rule.code}/implementation/").content.decode()
    assert 'data-testid="assign"' in page and 'data-testid="create-task"' in page


def test_cadre_cannot_open_the_assign_form(client, rule, cadre):
    client.force_login(cadre)
    assert client.get(f"/rules/{rule.code}/implementation/assign/").status_code == 403


def test_officer_assigns_over_http(client, rule, unit, sub_unit, officer):
    client.force_login(officer)
    response = client.post(
        f"/rules/{rule.code}/implementation/assign/",
        {"lead_unit": unit.pk, "co_units": [sub_unit.pk], "supervisor": officer.pk},
    )
    assert response.status_code == 302
    assert Assignment.objects.get(rule=rule).units.filter(is_active=True).count() == 2


def test_lead_unit_also_co_responsible_shows_the_error_and_saves_nothing(client, rule, unit, officer):
    client.force_login(officer)
    response = client.post(
        f"/rules/{rule.code}/implementation/assign/",
        {"lead_unit": unit.pk, "co_units": [unit.pk], "supervisor": officer.pk},
    )
    assert response.status_code == 200
    assert "cannot also be a co-responsible unit" in response.content.decode()
    assert not Assignment.objects.exists()


# --- bad input ------------------------------------------------------------------------------


def test_task_with_a_past_deadline_shows_the_error_keeps_input_and_creates_nothing(
    client, rule, assignment, unit, liaison, officer
):
    client.force_login(officer)
    response = client.post(
        f"/rules/{rule.code}/implementation/tasks/new/",
        {
            "unit": unit.pk,
            "description": "Keep the register",
            "deadline": (TODAY() - timedelta(days=1)).isoformat(),
            "owner": liaison.pk,
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and "The deadline cannot be in the past." in body
    assert "Keep the register" in body and 'data-testid="error-summary"' in body
    assert not Task.objects.exists()


@pytest.mark.parametrize("percent,message", [(150, "cannot be above 100"), (-5, "cannot be below 0")])
def test_progress_out_of_range_over_http(client, rule, assignment, unit, liaison, officer, percent, message):
    item = task(rule, officer=officer, unit=unit, owner=liaison)
    client.force_login(liaison)
    response = client.post(f"/tasks/{item.pk}/report/", {"percent": percent, "text": "typed text"})
    body = response.content.decode()
    assert response.status_code == 400 and message in body and "typed text" in body
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize(
    "upload,message",
    [
        (pdf(size=10 * 1024 * 1024 + 10), "files can be at most 10.0"),
        (SimpleUploadedFile("run.exe", b"MZ\x90"), "This type of file is not accepted"),
    ],
)
def test_bad_evidence_over_http(client, rule, assignment, unit, liaison, officer, upload, message):
    item = task(rule, officer=officer, unit=unit, owner=liaison)
    client.force_login(liaison)
    response = client.post(f"/tasks/{item.pk}/report/", {"percent": 50, "evidence": upload})
    assert response.status_code == 400 and message in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_another_units_liaison_gets_404_on_the_task(client, rule, assignment, unit, liaison, other_liaison, officer):
    item = task(rule, officer=officer, unit=unit, owner=liaison)
    client.force_login(other_liaison)
    assert client.get(f"/tasks/{item.pk}/").status_code == 404
    assert client.post(f"/tasks/{item.pk}/report/", {"percent": 5}).status_code == 404
    assert not ProgressReport.objects.exists()


def test_return_without_reason_is_refused(client, rule, assignment, unit, liaison, officer):
    item = task(rule, officer=officer, unit=unit, owner=liaison)
    services.task_mark_done(task=item, actor=liaison)
    client.force_login(officer)
    response = client.post(f"/tasks/{item.pk}/return/", {"reason": "  "})
    assert response.status_code == 400 and "Give a reason." in response.content.decode()
    assert Task.objects.get(pk=item.pk).state == TaskState.SUBMITTED


def test_acknowledging_over_http_twice_is_one_record(client, rule, cadre):
    client.force_login(cadre)
    for _ in range(2):
        response = client.post(f"/my/rules/{rule.code}/acknowledge/", {"version": rule.current_version_id})
        assert response.status_code == 302
    assert Acknowledgement.objects.filter(user=cadre, acknowledged_at__isnull=False).count() == 1
    body = client.get("/my/rules/").content.decode()
    assert "Acknowledged" in body


def test_my_rules_pending_count_is_the_same_from_the_page_or_counted(client, settings, officer, officer2, unit, cadre):
    rules = [in_force(author=officer, approver=officer2, audience_units=[unit], unit=unit) for _ in range(3)]
    services.acknowledge(version=rules[0].current_version, actor=cadre)
    pending = selectors.pending_count(user=cadre)
    assert pending >= 2
    client.force_login(cadre)
    expected = f"You still have {pending} rules to acknowledge"
    for page_size, query in ((25, ""), (25, "?state=pending"), (1, ""), (1, "?state=pending"), (25, "?state=done")):
        settings.INTEGRITY_PAGE_SIZE = page_size
        assert expected in client.get(f"/my/rules/{query}").content.decode(), (page_size, query)
    services.acknowledge(version=rules[1].current_version, actor=cadre)
    settings.INTEGRITY_PAGE_SIZE = 25
    assert f"You still have {pending - 1} rule" in client.get("/my/rules/").content.decode()


def test_acknowledging_a_rule_that_does_not_apply_says_so(client, rule, other_liaison):
    client.force_login(other_liaison)
    response = client.post(f"/my/rules/{rule.code}/acknowledge/", {"version": rule.current_version_id}, follow=True)
    assert "does not apply to you" in response.content.decode()
    assert not Acknowledgement.objects.filter(user=other_liaison).exists()


def test_campaign_with_past_deadline_shows_error(client, rule, unit, officer):
    client.force_login(officer)
    response = client.post(
        "/acknowledgements/new/",
        {
            "title": "Late",
            "deadline": (TODAY() - timedelta(days=1)).isoformat(),
            "rules": [rule.pk],
            "units": [unit.pk],
        },
    )
    assert response.status_code == 200 and "The deadline cannot be in the past." in response.content.decode()


# --- evidence and exports -------------------------------------------------------------------


def test_evidence_downloads_only_for_people_who_see_the_task(
    client, rule, assignment, unit, liaison, other_liaison, officer
):
    item = task(rule, officer=officer, unit=unit, owner=liaison)
    report = services.task_report(task=item, actor=liaison, percent=50, evidence=pdf())
    client.force_login(officer)
    response = client.get(f"/tasks/reports/{report.pk}/evidence/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(other_liaison)
    assert client.get(f"/tasks/reports/{report.pk}/evidence/").status_code == 404


def test_task_list_downloads_exactly_what_is_filtered(client, rule, assignment, unit, liaison, officer):
    late = task(rule, officer=officer, unit=unit, owner=liaison, description="Late one")
    task(rule, officer=officer, unit=unit, owner=liaison, description="On time")
    Task.objects.filter(pk=late.pk).update(deadline=TODAY() - timedelta(days=1))
    client.force_login(officer)
    csv = client.get("/my/tasks/?overdue=on&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "Late one" in text and "On time" not in text
    xlsx = client.get("/my/tasks/?format=xlsx")
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.values)
    assert rows[0][0] == "Rule" and len(rows) == 3


def test_campaign_completion_downloads(client, rule, unit, cadre, officer):
    services.acknowledge(version=rule.current_version, actor=cadre)
    campaign = services.campaign_start(actor=officer, title="C", deadline=TODAY(), rules=[rule], units=[unit])
    client.force_login(officer)
    units = client.get(f"/acknowledgements/{campaign.pk}/?table=units&format=csv").content.decode("utf-8-sig")
    assert "Finance Bureau,3,1,33.3" in units
    missing = client.get(f"/acknowledgements/{campaign.pk}/?table=missing&format=xlsx")
    rows = list(load_workbook(io.BytesIO(missing.content)).active.values)
    assert len(rows) == 3  # header + liaison + leader
    per_rule = client.get(f"/acknowledgements/{campaign.pk}/?table=rules&format=csv").content.decode("utf-8-sig")
    assert rule.code in per_rule


# --- query counts ---------------------------------------------------------------------------


def _more_tasks(rule, unit, owner, officer, n):
    for i in range(n):
        task(rule, officer=officer, unit=unit, owner=owner, days=5 + i)


@pytest.mark.parametrize(
    "persona,url",
    [
        ("officer", "/my/tasks/"),
        ("liaison", "/my/tasks/"),
        ("officer", "/my/supervised/"),
        ("liaison", "/my/unit/"),
        ("leader", "/my/unit/"),
        ("officer", "/my/"),
        ("officer", "/"),
        ("officer", "/rules/{code}/implementation/"),
        ("officer", "/rules/{code}/acknowledgements/"),
    ],
)
def test_list_pages_query_count_is_flat(
    client, request, settings, rule, assignment, unit, liaison, officer, persona, url
):
    # Pages of one row: every list runs past its page at both sizes, so each is counted at both (a list
    # that ends on its page is counted from its rows, one statement fewer; integrity/pagination.py).
    settings.INTEGRITY_PAGE_SIZE = 1
    url = url.format(code=rule.code)
    client.force_login(request.getfixturevalue(persona))
    _more_tasks(rule, unit, liaison, officer, 2)
    small = count_queries(client, url)
    _more_tasks(rule, unit, liaison, officer, 30)
    assert count_queries(client, url) == small


def test_my_rules_and_task_detail_query_counts_are_flat(
    client, officer, officer2, rule, assignment, unit, liaison, cadre
):
    client.force_login(cadre)
    small = count_queries(client, "/my/rules/")
    for _ in range(5):
        in_force(author=officer, approver=officer2, audience_units=[unit], unit=unit)
    assert count_queries(client, "/my/rules/") == small
    item = task(rule, officer=officer, unit=unit, owner=liaison)
    services.task_report(task=item, actor=liaison, percent=10)
    client.force_login(liaison)
    small = count_queries(client, f"/tasks/{item.pk}/")
    for percent in range(20, 90, 10):
        services.task_report(task=item, actor=liaison, percent=percent, evidence=pdf())
    assert count_queries(client, f"/tasks/{item.pk}/") == small
    page = client.get(f"/tasks/{item.pk}/").content.decode()
    assert f"<dd>{officer}</dd>" in page  # the rule's supervising officer


def _people(units, start, count):
    password = make_password("x")
    people = [
        User(
            username=f"bulk-{i}",
            password=password,
            unit=units[i % len(units)],
            is_leading_cadre=i % 10 == 0,
            full_name=f"Person {i}",
        )
        for i in range(start, start + count)
    ]
    User.objects.bulk_create(people, batch_size=2000)


def test_campaign_page_query_count_is_flat_from_10_to_10000_people(client, settings, officer, officer2):
    settings.INTEGRITY_PAGE_SIZE = 1  # every list runs past its page at both sizes (as above)
    root = UnitFactory(name="City", code="city")
    units = [UnitFactory(name=f"Bureau {i}", code=f"bureau-{i}", parent=root) for i in range(12)]
    _people(units, 0, 10)
    rule = in_force(author=officer, approver=officer2, audience_units=[root], unit=root)
    campaign = services.campaign_start(actor=officer, title="Big", deadline=TODAY(), rules=[rule], units=[root])
    client.force_login(officer)
    url = f"/acknowledgements/{campaign.pk}/"
    at_10 = count_queries(client, url)

    _people(units, 10, 9_990)
    assert services.acknowledgements_owe(version=rule.current_version) == 10_000
    Acknowledgement.objects.filter(user__username__endswith="3").update(acknowledged_at=timezone.now())
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    at_10000 = len(context)
    assert at_10000 == at_10, (at_10, at_10000)
    body = response.content.decode()
    assert "1000 of 10000 acknowledged" in body and "10.0%" in body
    print(f"campaign page queries: {at_10} at 10 people, {at_10000} at 10,000 people")
    assert Acknowledgement.objects.filter(version=rule.current_version).count() == 10_000
    assert User.objects.filter(username__startswith="bulk-").count() == 10_000
    assert Role  # roles are not needed to owe an acknowledgement
