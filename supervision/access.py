"""Who may do what with the supervision office's month (on top of org/roles.py).

| role     | months page | close / reopen | bulletins                         |
|----------|-------------|----------------|-----------------------------------|
| reviewer | read        | yes            | generate, publish, read all       |
| leader   | read        | 403            | generate a private draft, read published and own |
| admin    | read        | yes            | as reviewer                       |
| others   | 403         | 403            | 403                               |
"""

from django.core.exceptions import PermissionDenied

from org import roles
from org.models import Role

REVIEWERS_ONLY = "只有督查室审核员可以进行此操作。"
SUPERVISION_ONLY = "只有督查室审核员和领导可以查看此页面。"


def can_read(user) -> bool:
    return roles.role_of(user) in (Role.REVIEWER, Role.LEADER, Role.ADMIN)


def require_read(user) -> None:
    if not can_read(user):
        raise PermissionDenied(SUPERVISION_ONLY)


def can_close(user) -> bool:
    return roles.is_reviewer(user)


def require_close(user) -> None:
    if not can_close(user):
        raise PermissionDenied(REVIEWERS_ONLY)


def is_leader(user) -> bool:
    return roles.role_of(user) == Role.LEADER


def can_generate(user) -> bool:
    """Reviewers generate the bulletin; leaders a draft for themselves."""
    return roles.is_reviewer(user) or is_leader(user)


def require_generate(user) -> None:
    if not can_generate(user):
        raise PermissionDenied(SUPERVISION_ONLY)


def can_publish(user) -> bool:
    return roles.is_reviewer(user)


def require_publish(user) -> None:
    if not can_publish(user):
        raise PermissionDenied(REVIEWERS_ONLY)


def can_see_bulletin(user, bulletin) -> bool:
    """A private draft only by the one who made it; the rest by anyone who reads here
    (a leader sees published bulletins, reviewers every non-private one)."""
    if bulletin.private:
        return bulletin.generated_by_id == user.pk
    if roles.is_reviewer(user):
        return True
    return is_leader(user) and bulletin.is_published
