from org.models import Role
from org.roles import role_of


def account(request) -> dict:
    """The user's role flags, for the navigation."""
    role = role_of(request.user) if hasattr(request, "user") else None
    return {
        "role": role,
        "is_reporter": role in (Role.STAFF, Role.ADMIN),
        "is_reviewer": role in (Role.REVIEWER, Role.ADMIN),
        "is_site_admin": role == Role.ADMIN,
    }
