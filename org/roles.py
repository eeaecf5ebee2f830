"""Who may do what: the four roles of DESIGN.md §1, in one place."""

from typing import Protocol

from org.models import Department, Role


class Reportable(Protocol):
    """Anything a department reports on (a target, say): whether its figures are
    typed in or derived, and which department leads it."""

    is_derived: bool
    lead_department_id: int | None


def role_of(user) -> str | None:
    if not user.is_authenticated:
        return None
    # is_superuser grants nothing here: every account's rights come from its one role.
    profile = getattr(user, "profile", None)
    return profile.role if profile else None


def department_of(user) -> Department | None:
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    return profile.department if profile else None


def is_admin(user) -> bool:
    return role_of(user) == Role.ADMIN


def is_security_admin(user) -> bool:
    return role_of(user) == Role.SECURITY_ADMIN


def is_audit_admin(user) -> bool:
    return role_of(user) == Role.AUDIT_ADMIN


def is_reviewer(user) -> bool:
    return role_of(user) in (Role.REVIEWER, Role.ADMIN)


def is_reporter(user) -> bool:
    return role_of(user) in (Role.STAFF, Role.ADMIN)


def can_view_department(user, department_id: int) -> bool:
    """Leaders, reviewers and admins see every department's page; staff their own."""
    role = role_of(user)
    if role in (Role.LEADER, Role.REVIEWER, Role.ADMIN):
        return True
    return role == Role.STAFF and user.profile.department_id == department_id


def can_report_for_department(user, department_id: int | None) -> bool:
    """Staff write only for their own department; admins for any."""
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    if role != Role.STAFF or department_id is None:
        return False
    return user.profile.department_id == department_id


def can_report_for_target(user, target: Reportable) -> bool:
    # Derived figures come from the project register: nobody types them.
    return not target.is_derived and can_report_for_department(user, target.lead_department_id)


# Where each role starts after signing in: staff on their month (returned work first),
# reviewers on the review queue, leaders (and the rest) on the overview.
LANDING = {Role.STAFF: "reporting:my_month", Role.REVIEWER: "reporting:review"}
DEFAULT_LANDING = "targets:overview"


def landing_url_name(role: str | None) -> str:
    """The URL name a user of ``role`` lands on after login."""
    return LANDING.get(role, DEFAULT_LANDING)
