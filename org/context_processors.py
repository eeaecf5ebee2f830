from django.utils.functional import SimpleLazyObject

from org import outbound
from org.models import Role
from org.policy import ADMIN_SITE_ROLES
from org.roles import role_of


def account(request) -> dict:
    """The user's role flags, for the navigation."""
    role = role_of(request.user) if hasattr(request, "user") else None
    return {
        "role": role,
        "is_reporter": role in (Role.STAFF, Role.ADMIN),
        "is_reviewer": role in (Role.REVIEWER, Role.ADMIN),
        "can_rank_departments": role in (Role.REVIEWER, Role.LEADER, Role.ADMIN),
        # The three admin duties each have their part of the admin site.
        "is_site_admin": role in ADMIN_SITE_ROLES,
        "can_import_accounts": role == Role.ADMIN,
    }


def notices(request) -> dict:
    """The header's bell: the user's unread notices, read in one query only when a
    page shows the header, and once per request however often it is asked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"notice_inbox": None}

    def load() -> outbound.Inbox:
        cached = getattr(request, "_notice_inbox", None)
        if cached is None:
            cached = request._notice_inbox = outbound.inbox(user)
        return cached

    return {"notice_inbox": SimpleLazyObject(load)}
