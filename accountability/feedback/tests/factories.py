"""Feedback built through the real services, as users build it."""

from accountability.feedback import receipts, services
from accountability.feedback.models import Kind
from integrity.roles import Role
from integrity.tests.factories import UserFactory
from rules.tests.factories import rule_in_force


def a_rule(**kwargs):
    """A rule in force with three articles, authored and approved by two fresh officers."""
    author = UserFactory(role=Role.OFFICER)
    approver = UserFactory(role=Role.OFFICER)
    return rule_in_force(author=author, approver=approver, **kwargs)


def feedback(
    *,
    sender,
    rule,
    kind=Kind.AMBIGUOUS,
    text="Article 2 is unclear.",
    article=None,
    anonymous=False,
    token=None,
    **kwargs,
):
    return services.feedback_submit(
        actor=sender,
        token=token or receipts.new_token(),
        rule=rule,
        kind=kind,
        text=text,
        article=article,
        anonymous=anonymous,
        **kwargs,
    ).feedback


def report(*, kind=Kind.VIOLATION, text="Gifts are not registered.", rule=None, token=None, **kwargs):
    """A public report; returns the Submission (with its receipt code)."""
    return services.report_submit(token=token or receipts.new_token(), kind=kind, text=text, rule=rule, **kwargs)
