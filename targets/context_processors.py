from django.utils.functional import SimpleLazyObject

from targets.models import PlanYear, Role
from targets.roles import role_of


def site(request) -> dict:
    """Role flags for the navigation and the 演示数据 banner (one query, when used)."""
    role = role_of(request.user) if hasattr(request, "user") else None
    return {
        "role": role,
        "is_reporter": role in (Role.STAFF, Role.ADMIN),
        "is_reviewer": role in (Role.REVIEWER, Role.ADMIN),
        "is_site_admin": role == Role.ADMIN,
        "demo_data": SimpleLazyObject(lambda: PlanYear.objects.filter(has_demo_data=True).exists()),
    }
