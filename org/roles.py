"""Who may do what: the four roles of DESIGN.md §1, in one place."""

from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

from django.contrib.auth.models import User

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


def active_with_role(role: str) -> list[User]:
    """Every active account of ``role`` (the reviewers told of a submission, the
    leaders told of a bulletin or a red card), in account order; one query."""
    return list(User.objects.filter(is_active=True, profile__role=role).order_by("pk"))


def clerks_of(department_ids: Iterable[int | None]) -> dict[int, list[User]]:
    """The active 填报员 of these departments, by department id, each list in account
    order (pk: the same recipients in the same order every time). One query, none when
    no department is given; None ids (a subject without a lead department) are
    skipped, and a department without active clerks is absent (use ``.get(id, [])``).
    The profile comes loaded with each user."""
    wanted = {pk for pk in department_ids if pk is not None}
    grouped: dict[int, list[User]] = defaultdict(list)
    if not wanted:
        return {}
    for user in (
        User.objects.filter(
            is_active=True, profile__role=Role.STAFF, profile__department_id__in=wanted
        )
        .select_related("profile")
        .order_by("pk")
    ):
        grouped[user.profile.department_id].append(user)
    return dict(grouped)


# Where each role starts after signing in: staff on their month (returned work first),
# reviewers on the review queue, leaders (and the rest) on the overview.
LANDING = {Role.STAFF: "reporting:my_month", Role.REVIEWER: "reporting:review"}
DEFAULT_LANDING = "targets:overview"


def landing_url_name(role: str | None) -> str:
    """The URL name a user of ``role`` lands on after login."""
    return LANDING.get(role, DEFAULT_LANDING)
