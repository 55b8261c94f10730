from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accountability import selectors, services
from accountability.models import Task, TaskState
from integrity.roles import Role
from integrity.tests.factories import UnitFactory

from .factories import in_force, task

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_completion_per_unit_counts_leading_cadres_and_top_leaders_apart(rule, cadre, leader, liaison, sub_unit):
    services.acknowledge(version=rule.current_version, actor=leader)
    services.acknowledge(version=rule.current_version, actor=cadre)
    rows = selectors.rule_acknowledgements(rule=rule)
    [row] = list(selectors.completion_by_unit(rows))
    assert (row["name"], row["total"], row["done"], round(row["percent"], 1)) == ("Finance Bureau", 3, 2, 66.7)
    assert (row["leading_total"], row["leading_done"], row["top_total"], row["top_done"]) == (1, 1, 1, 1)
    totals = selectors.completion_totals(rows)
    assert (totals["percent"], totals["top_percent"], totals["leading_percent"]) == (66.7, 100.0, 100.0)


def test_completion_per_unit_sorts_by_completion_either_way_or_by_unit(officer, officer2, unit, make_user):
    """Three units at 0 %, 50 % and 100 %; ties by name; "name" follows the unit tree."""
    units = {name: UnitFactory(name=name, parent=unit) for name in ("Zeta", "Alpha", "Mid")}
    people = {name: [make_user(Role.CADRE, unit=u) for _ in range(2)] for name, u in units.items()}
    rule = in_force(author=officer, approver=officer2, audience_units=[unit], unit=unit)
    services.acknowledgements_owe(version=rule.current_version)
    for person in [*people["Alpha"], people["Mid"][0]]:
        services.acknowledge(version=rule.current_version, actor=person)
    rows = selectors.rule_acknowledgements(rule=rule)
    lowest = selectors.completion_by_unit(rows)
    assert [(r["name"], r["percent"]) for r in lowest] == [("Zeta", 0.0), ("Mid", 50.0), ("Alpha", 100.0)]
    assert [r["name"] for r in selectors.completion_by_unit(rows, sort="-percent")] == ["Alpha", "Mid", "Zeta"]
    by_tree = selectors.completion_by_unit(rows, sort="name")
    assert [r["path"] for r in by_tree] == sorted(u.path for u in units.values())
    assert selectors.completion_by_unit(rows, sort="nonsense") == lowest


def test_top_leaders_are_told_apart_once_per_statement(rule, cadre, leader):
    """The top-leader test is a grouping key, not a filter of each figure: one subplan per statement."""
    services.acknowledge(version=rule.current_version, actor=leader)
    rows = selectors.rule_acknowledgements(rule=rule)
    with CaptureQueriesContext(connection) as captured:
        [row] = selectors.completion_by_unit(rows)
    [statement] = [q["sql"] for q in captured.captured_queries]
    assert statement.count('"integrity_unit" U0') == 1
    assert (row["top_total"], row["top_done"], row["leading_total"], row["leading_done"]) == (1, 1, 1, 1)
    assert selectors.completion_totals(rows)["top_percent"] == 100.0


def test_completion_per_rule_and_lowest_first(officer, officer2, rule, cadre, unit):
    other = in_force(author=officer, approver=officer2, audience_units=[unit], unit=unit)
    services.acknowledge(version=other.current_version, actor=cadre)
    campaign = services.campaign_start(actor=officer, title="C", deadline=TODAY(), rules=[rule, other], units=[unit])
    rows = list(selectors.completion_by_rule(selectors.campaign_acknowledgements(campaign=campaign)))
    assert [(r["code"], r["done"], r["total"]) for r in rows] == [(rule.code, 0, 3), (other.code, 1, 3)]


def test_missing_people_put_top_leaders_then_leading_cadres_first(rule, cadre, leader, liaison, make_user, unit):
    make_user(Role.CADRE, username="aaa-leading", unit=unit, is_leading_cadre=True)
    services.acknowledgements_owe(version=rule.current_version)
    names = [r.user.username for r in selectors.missing_people(selectors.rule_acknowledgements(rule=rule))]
    assert names[:2] == ["leader-a", "aaa-leading"]
    assert set(names[2:]) == {"cadre-a", "liaison-a"}


def test_campaign_covers_only_its_units_and_below(officer, officer2, unit, sub_unit, other_unit, make_user):
    make_user(Role.CADRE, username="sub", unit=sub_unit)
    make_user(Role.CADRE, username="outside", unit=other_unit)
    rule = in_force(author=officer, approver=officer2, unit=unit)
    campaign = services.campaign_start(actor=officer, title="C", deadline=TODAY(), rules=[rule], units=[unit])
    people = set(selectors.campaign_acknowledgements(campaign=campaign).values_list("user__username", flat=True))
    assert "sub" in people and "outside" not in people
    versions = list(selectors.campaign_versions(campaign=campaign).values_list("pk", flat=True))
    assert versions == [rule.current_version_id]
    read_first = selectors.campaign_acknowledgements(campaign=campaign, versions=versions)
    assert set(read_first.values_list("user__username", flat=True)) == people
    assert "campaign_rules" not in str(read_first.query)  # the page's statements join none of it


def test_overdue_means_deadline_passed_and_not_accepted(rule, assignment, unit, liaison, officer):
    late, accepted, fine = (task(rule, officer=officer, unit=unit, owner=liaison) for _ in range(3))
    services.task_mark_done(task=accepted, actor=liaison)
    services.task_accept(task=accepted, actor=officer)
    Task.objects.filter(pk__in=[late.pk, accepted.pk]).update(deadline=TODAY() - timedelta(days=2))
    overdue = selectors.task_list(actor=officer, filters=selectors.TaskFilters(overdue=True))
    assert list(overdue) == [late]
    assert Task.objects.get(pk=late.pk).is_overdue and not Task.objects.get(pk=accepted.pk).is_overdue
    assert selectors.task_counts(Task.objects.all())["overdue"] == 1
    assert list(selectors.tasks_overdue()) == [late]


def test_task_counts_add_up_the_tasks_by_state_and_deadline(rule, assignment, unit, liaison, officer):
    tasks = [task(rule, officer=officer, unit=unit, owner=liaison) for _ in range(6)]
    services.task_mark_done(task=tasks[0], actor=liaison)  # submitted
    services.task_mark_done(task=tasks[1], actor=liaison)
    services.task_accept(task=tasks[1], actor=officer)  # accepted
    services.task_mark_done(task=tasks[2], actor=liaison)
    services.task_return(task=tasks[2], actor=officer, reason="Not enough")  # returned
    Task.objects.filter(pk__in=[tasks[1].pk, tasks[2].pk, tasks[3].pk]).update(deadline=TODAY() - timedelta(days=3))
    rows = list(Task.objects.all())
    closed = set(selectors.CLOSED_STATES)
    expected = {
        "total": len(rows),
        "open": sum(t.state not in closed for t in rows),
        "overdue": sum(t.state not in closed and t.deadline < TODAY() for t in rows),
        "submitted": sum(t.state == TaskState.SUBMITTED for t in rows),
        "returned": sum(t.state == TaskState.RETURNED for t in rows),
        "accepted": sum(t.state == TaskState.ACCEPTED for t in rows),
    }
    assert selectors.task_counts(Task.objects.all()) == expected
    assert expected == {"total": 6, "open": 5, "overdue": 2, "submitted": 1, "returned": 1, "accepted": 1}
    assert selectors.task_counts(Task.objects.none())["total"] == 0


def test_tasks_due_is_a_window(rule, assignment, unit, liaison, officer):
    soon = task(rule, officer=officer, unit=unit, owner=liaison, days=2)
    task(rule, officer=officer, unit=unit, owner=liaison, days=30)
    assert list(selectors.tasks_due(start=TODAY(), end=TODAY() + timedelta(days=3))) == [soon]


def test_my_rules_lists_what_i_still_owe_first(officer, officer2, rule, cadre, unit):
    second = in_force(author=officer, approver=officer2, audience_units=[unit], unit=unit)
    services.acknowledge(version=rule.current_version, actor=cadre)
    rows = list(selectors.my_rules(user=cadre))
    assert [(r.rule.code, r.acknowledged) for r in rows] == [(second.code, False), (rule.code, True)]
    assert selectors.pending_count(user=cadre) == 1
    assert [r.rule.code for r in selectors.my_rules(user=cadre, state="pending")] == [second.code]
    assert [r.rule.code for r in selectors.my_rules(user=cadre, state="done")] == [rule.code]


def test_my_rules_come_from_the_persons_rows_of_versions_in_force_that_still_apply(
    officer, officer2, rule, cadre, unit, make_user
):
    """A rule applies to a person through the row they owe for its version in force: someone who joined
    after it came into force sees it once a campaign adds them, someone who moved no longer sees it."""
    newcomer = make_user(Role.CADRE, username="cadre-new", unit=unit)
    assert list(selectors.my_rules(user=newcomer)) == []
    services.acknowledgements_owe(version=rule.current_version)
    assert [r.rule.code for r in selectors.my_rules(user=newcomer)] == [rule.code]
    other_unit = UnitFactory(name="Audit Office", code="audit")
    newcomer.unit = other_unit
    newcomer.save()
    assert list(selectors.my_rules(user=newcomer)) == []
    assert selectors.pending_count(user=newcomer) == 0


def test_my_units_liaison_own_unit_top_leader_with_sub_units(liaison, leader, unit, sub_unit):
    assert set(selectors.my_units(actor=liaison)) == {unit}
    assert set(selectors.my_units(actor=leader)) == {unit, sub_unit}


def test_a_page_of_responsibilities_carries_its_units_open_tasks_in_one_statement(
    rule, assignment, unit, sub_unit, liaison, officer
):
    """Open, overdue and awaiting acceptance: per rule and unit, closed tasks left out."""
    task(rule, officer=officer, unit=unit, owner=liaison)
    late = task(rule, officer=officer, unit=unit, owner=liaison)
    Task.objects.filter(pk=late.pk).update(deadline=TODAY() - timedelta(days=2))
    submitted = task(rule, officer=officer, unit=unit, owner=liaison)
    Task.objects.filter(pk=submitted.pk).update(state=TaskState.SUBMITTED)
    services.task_cancel(task=task(rule, officer=officer, unit=unit, owner=liaison), actor=officer, reason="Merged")
    page = selectors.unit_responsibilities(units=[unit.pk, sub_unit.pk])
    with CaptureQueriesContext(connection) as captured:
        rows = selectors.with_task_counts(page)
    assert len(captured.captured_queries) == 2  # the page's rows, then the counts of all of them
    counts = {row.unit: (row.tasks_open, row.tasks_overdue, row.tasks_submitted) for row in rows}
    assert counts == {unit: (3, 1, 1), sub_unit: (0, 0, 0)}
    assert selectors.with_task_counts([]) == []


def test_supervised_rules_carry_task_and_acknowledgement_counts(rule, assignment, unit, liaison, officer, cadre):
    task(rule, officer=officer, unit=unit, owner=liaison)
    services.acknowledge(version=rule.current_version, actor=cadre)
    [row] = selectors.with_acknowledgement_figures(selectors.supervised_assignments(actor=officer))
    assert (row.lead_unit, row.tasks_open, row.tasks_overdue, row.ack_done, row.ack_total) == (
        "Finance Bureau",
        1,
        0,
        1,
        3,
    )
    liaison.is_active = False
    liaison.save(update_fields=["is_active"])
    [row] = selectors.with_acknowledgement_figures(selectors.supervised_assignments(actor=officer))
    assert (row.ack_done, row.ack_total) == (1, 2)  # who left owes nothing
    with CaptureQueriesContext(connection) as captured:
        assert selectors.supervised_assignments(actor=officer).count() == 1
    assert "rules_rule" not in captured.captured_queries[0]["sql"]


def test_pending_in_open_campaigns_for_reminders(rule, unit, cadre, officer):
    campaign = services.campaign_start(actor=officer, title="C", deadline=TODAY(), rules=[rule], units=[unit])
    services.acknowledge(version=rule.current_version, actor=cadre)
    assert list(selectors.campaigns_open()) == [campaign]
    assert list(selectors.campaigns_open(today=TODAY() + timedelta(days=1))) == []
    owing = {row.user.username for row in selectors.acknowledgements_pending(campaign=campaign)}
    assert owing == {"liaison-a", "leader-a"}


def test_unassigned_rules_are_cached_briefly_and_refreshed_by_an_assignment(
    rule, officer, officer2, unit, django_capture_on_commit_callbacks
):
    assert list(selectors.unassigned_rules()) == [rule]
    other = in_force(author=officer, approver=officer2, unit=unit)
    assert list(selectors.unassigned_rules()) == [rule]  # the list of a minute ago
    with django_capture_on_commit_callbacks(execute=True):
        services.rule_assign(rule=rule, actor=officer, lead_unit=unit, supervisor=officer)
    assert list(selectors.unassigned_rules()) == [other]


def test_a_rules_completion_read_baked_is_the_same_as_from_its_queryset(rule, sub_unit, make_user, cadre):
    make_user(Role.CADRE, username="sub-cadre", unit=sub_unit, is_leading_cadre=True)
    services.acknowledge(version=rule.current_version, actor=cadre)
    rows = selectors.rule_acknowledgements(rule=rule)
    for sort in ("percent", "name"):
        assert selectors.rule_completion_by_unit(rule=rule, sort=sort) == selectors.completion_by_unit(rows, sort=sort)
    missing = list(selectors.missing_people(rows))
    assert len(missing) >= 2
    first_rows = selectors.rule_missing_first_rows(rule=rule)
    for n in (1, len(missing), len(missing) + 1):
        assert [a.pk for a in first_rows(n)] == [a.pk for a in missing[:n]]
        assert [a.is_top_leader for a in first_rows(n)] == [a.is_top_leader for a in missing[:n]]


def test_my_rules_first_rows_are_the_first_rows_of_my_rules(rule, officer, officer2, unit, cadre, leader):
    for _ in range(3):
        in_force(author=officer, approver=officer2, audience_units=[unit], unit=unit)
    in_force(author=officer, approver=officer2, audience_units=[unit], unit=unit, audience_leading_only=True)
    services.acknowledge(version=rule.current_version, actor=cadre)
    for person in (cadre, leader):
        for state in ("", "pending", "done"):
            expected = list(selectors.my_rules(user=person, state=state))
            first_rows = selectors.my_rules_first_rows(user=person, state=state)
            for n in (1, 3, len(expected) + 1):
                rows = first_rows(n)
                assert [a.pk for a in rows] == [a.pk for a in expected[:n]], (person, state, n)
                assert [a.acknowledged for a in rows] == [a.acknowledged for a in expected[:n]]
    leader_rules = {a.rule_id for a in selectors.my_rules(user=leader)}
    assert len(leader_rules) == len({a.rule_id for a in selectors.my_rules(user=cadre)}) + 1


def test_the_supervised_pages_read_baked_match_their_querysets(rule, officer, officer2, unit, sub_unit, liaison):
    from accountability.tests.factories import assigned

    rules = [rule, *(in_force(author=officer, approver=officer2, audience_units=[unit], unit=unit) for _ in range(3))]
    for each in rules[:3]:
        assigned(each, officer=officer, lead=unit, co=[sub_unit])
    late = task(rules[0], officer=officer, unit=unit, owner=liaison)
    Task.objects.filter(pk=late.pk).update(deadline=TODAY() - timedelta(days=1))
    expected = list(selectors.supervised_assignments(actor=officer))
    assert len(expected) == 3
    for n in (1, 3, 4):
        rows = selectors.supervised_pages(actor=officer)[0](n)
        assert [a.pk for a in rows] == [a.pk for a in expected[:n]]
        fields = ("lead_unit", "tasks_open", "tasks_overdue", "tasks_submitted")
        figures = [[getattr(a, f) for f in fields] for a in rows]
        assert figures == [[getattr(a, f) for f in fields] for a in expected[:n]]
    assert selectors.supervised_pages(actor=officer)[1](100) == 3
    assert selectors.supervised_pages(actor=officer2)[1](100) == 0
    first_rows, count_rows = selectors.unassigned_rules_pages()
    unassigned = list(selectors.unassigned_rules())
    assert [r.pk for r in first_rows(10)] == [r.pk for r in unassigned] and count_rows(10) == len(unassigned) >= 1


def test_pending_counts_and_responsible_unit_paths_read_baked_match_their_querysets(
    rule, officer, officer2, unit, sub_unit, cadre, leader, liaison
):
    from accountability.permissions import responsible_unit_paths, responsible_units_of
    from accountability.tests.factories import assigned

    in_force(author=officer, approver=officer2, audience_units=[unit], unit=unit, audience_leading_only=True)
    services.acknowledge(version=rule.current_version, actor=cadre)
    for person in (cadre, leader, liaison, officer):
        assert selectors.pending_count(user=person) == selectors.my_rules(user=person, state="pending").count()
    assert selectors.pending_count(user=leader) == selectors.pending_count(user=cadre) + 2
    assignment = assigned(rule, officer=officer, lead=unit, co=[sub_unit])
    assignment.units.filter(unit=sub_unit).update(responsible_person=liaison)
    assert responsible_unit_paths(liaison) == list(responsible_units_of(liaison).values_list("path", flat=True))
    assert responsible_unit_paths(liaison) == [sub_unit.path]


def test_owned_task_counts_are_the_task_counts_of_the_visible_tasks_owned(rule, assignment, unit, liaison, officer):
    from accountability.permissions import tasks_visible_to

    items = [task(rule, officer=officer, unit=unit, owner=liaison) for _ in range(3)]
    services.task_mark_done(task=items[0], actor=liaison)
    Task.objects.filter(pk=items[1].pk).update(deadline=TODAY() - timedelta(days=2))
    for person in (liaison, officer):
        expected = selectors.task_counts(tasks_visible_to(person).filter(owner=person))
        assert selectors.owned_task_counts(user=person) == expected
    assert selectors.owned_task_counts(user=liaison)["total"] == 3


def test_the_task_form_offers_the_same_choices_from_objects_read_as_from_its_querysets(
    rule, assignment, unit, sub_unit, other_unit, liaison, django_assert_num_queries
):
    from accountability.forms import TaskCreateForm
    from rules.selectors import version_articles

    units = [r.unit for r in selectors.assignment_units(assignment=assignment)]
    articles = version_articles(version=rule.current_version)
    offered = TaskCreateForm(rule=rule, units=units, articles=articles, initial={"unit": units[0].pk})
    from_querysets = TaskCreateForm(rule=rule, units=units, initial={"unit": units[0].pk})
    for name in ("unit", "article"):
        field = from_querysets.fields[name]
        field.queryset = field.queryset  # choices from the queryset again, as Django gives them
    with django_assert_num_queries(0):
        offered_html = [str(offered[name]) for name in ("unit", "article")]
    assert offered_html == [str(from_querysets[name]) for name in ("unit", "article")]
    assert "Article" in offered_html[1] or str(articles[0].number) in offered_html[1]
    refused = TaskCreateForm(
        {"unit": other_unit.pk, "description": "x", "deadline": TODAY().isoformat()}, rule=rule, units=units
    )
    assert not refused.is_valid() and "unit" in refused.errors
