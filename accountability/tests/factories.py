"""Execution data built through the real services, as users build it."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone

from accountability import services
from integrity.roles import Role
from integrity.services import unit_set_top_leader
from integrity.tests.factories import UnitFactory, UserFactory
from rules.tests.factories import amend, rule_in_force


def committed(fn, *args, **kwargs):
    """Run fn and then the on-commit callbacks it queued (the rules layer's signals), as a real commit would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return fn(*args, **kwargs)


def in_force(*, author, approver, **kwargs):
    """A rule in force whose audience already owes its acknowledgements (signals run)."""
    return committed(rule_in_force, author=author, approver=approver, **kwargs)


def amended(rule, *, author, approver, articles=("New article one.", "New article two.")):
    return committed(amend, rule, author=author, approver=approver, articles=list(articles))


def unit_with_leader(name="Unit", code=None, parent=None, **kwargs):
    """A unit with a top leader (a leading cadre) among its members."""
    unit = UnitFactory(name=name, parent=parent, **({"code": code} if code else {}))
    leader = UserFactory(role=Role.CADRE, unit=unit, is_leading_cadre=True, full_name=f"Head of {name}")
    return unit_set_top_leader(unit=unit, leader=leader)


def assigned(rule, *, officer, lead, co=(), supervisor=None):
    return services.rule_assign(
        rule=rule, actor=officer, lead_unit=lead, co_units=list(co), supervisor=supervisor or officer
    )


def task(rule, *, officer, unit, owner, days=10, description="Keep the gift register and report it monthly."):
    return services.task_create(
        rule=rule,
        actor=officer,
        unit=unit,
        owner=owner,
        description=description,
        deadline=timezone.localdate() + timedelta(days=days),
        article=rule.current_version.articles.order_by("number").first(),
    )


def pdf(name="evidence.pdf", size=None):
    content = b"%PDF-1.4\n" + (b"0" * (size - 9) if size else b"register scan\n")
    return SimpleUploadedFile(name, content, content_type="application/pdf")
