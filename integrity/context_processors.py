"""What every page's header needs: navigation for the role, the user's role, the unread count."""

from django.conf import settings

from .navigation import nav_for
from .permissions import can, is_top_leader
from .roles import role_label, role_of
from .selectors import unread_count


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "LANGUAGES": settings.LANGUAGES}
    role = role_of(user)
    return {
        "nav_items": nav_for(role, request.path),
        "user_role": role,
        "user_role_label": role_label(user),
        "user_is_top_leader": is_top_leader(user),
        "inbox_unread": unread_count(user=user) if can(user, "use_inbox") else 0,
        "can_use_admin": can(user, "use_admin_site"),
    }
