import pytest
from django.utils import translation

from rules.models import Rule, Status
from rules.tests.factories import draft_rule

pytestmark = pytest.mark.django_db


def test_choice_labels_follow_the_active_language(officer):
    rule = draft_rule(author=officer)
    with translation.override("en"):
        english = rule.get_status_display()
        assert english == str(Status.DRAFT.label)
    with translation.override("zh-hans"):
        chinese = rule.get_status_display()
        assert chinese == str(Status.DRAFT.label)
    assert english != chinese


def test_an_unknown_value_is_shown_as_stored(officer):
    rule = Rule(code="X-1", title="x", status="no-such-status")
    assert rule.get_status_display() == "no-such-status"
