import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from accountability.feedback.models import Status
from accountability.feedback.permissions import ROLE_ACTIONS, can, feedback_actions, get_feedback_for
from integrity.roles import Role

from .factories import feedback, report

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous visitor"
MATRIX = {
    # action: roles allowed (None: an anonymous visitor)
    "submit_feedback": {Role.ADMIN, Role.OFFICER, Role.LIAISON, Role.CADRE},
    "view_own_feedback": {Role.ADMIN, Role.OFFICER, Role.LIAISON, Role.CADRE},
    "view_queue": {Role.ADMIN, Role.OFFICER},
    "assign_feedback": {Role.ADMIN, Role.OFFICER},
    "be_assigned": {Role.ADMIN, Role.OFFICER},
    "reply_feedback": {Role.ADMIN, Role.OFFICER},
    "add_note": {Role.ADMIN, Role.OFFICER},
    "change_status": {Role.ADMIN, Role.OFFICER},
    "export_feedback": {Role.ADMIN, Role.OFFICER},
    "view_sender": {Role.ADMIN, Role.OFFICER},
    "report_publicly": {Role.ADMIN, Role.OFFICER, Role.LIAISON, Role.CADRE, ANONYMOUS},
    "follow_up_report": {Role.ADMIN, Role.OFFICER, Role.LIAISON, Role.CADRE, ANONYMOUS},
}


def test_the_matrix_covers_every_action():
    assert set(MATRIX) >= set(ROLE_ACTIONS)


@pytest.mark.parametrize("role", [*Role, ANONYMOUS])
@pytest.mark.parametrize("action", list(MATRIX))
def test_role_action_matrix(make_user, role, action):
    user = AnonymousUser() if role == ANONYMOUS else make_user(role)
    assert can(user, action) is (role in MATRIX[action])


def test_a_cadre_sees_only_their_own_named_feedback(cadre, make_user, rule):
    own = feedback(sender=cadre, rule=rule)
    anonymous = feedback(sender=cadre, rule=rule, anonymous=True)
    someone_elses = feedback(sender=make_user(), rule=rule)
    public = report().feedback
    assert get_feedback_for(cadre, own.pk) == own
    for item in (anonymous, someone_elses, public):
        with pytest.raises(Http404):
            get_feedback_for(cadre, item.pk)
    for missing in (999_999, "x", None):
        with pytest.raises(Http404):
            get_feedback_for(cadre, missing)


@pytest.mark.parametrize("role", [Role.OFFICER, Role.ADMIN])
def test_officers_and_admins_see_every_item(make_user, cadre, rule, role):
    officer = make_user(role)
    for item in (feedback(sender=cadre, rule=rule, anonymous=True), report().feedback):
        assert get_feedback_for(officer, item.pk) == item


def test_an_anonymous_visitor_sees_no_item_by_id(cadre, rule):
    item = feedback(sender=cadre, rule=rule)
    with pytest.raises(Http404):
        get_feedback_for(AnonymousUser(), item.pk)


def test_the_action_panel_offers_only_allowed_moves(officer, cadre, rule):
    item = feedback(sender=cadre, rule=rule)
    assert [(a["to"], a["needs_reason"]) for a in feedback_actions(officer, item)] == [
        (Status.REFERRED, False),
        (Status.CLOSED, True),
        (Status.TRIAGED, False),
    ]
    assert feedback_actions(cadre, item) == []
