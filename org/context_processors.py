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
