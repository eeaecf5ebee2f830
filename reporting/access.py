"""Who may see and do what on the reporting pages (on top of org/roles.py).

| role     | own department's month | other departments' | review, missing |
|----------|------------------------|--------------------|-----------------|
| staff    | read and write         | 403                | 403             |
| reviewer | read                   | read               | yes             |
| leader   | read                   | read               | 403             |

Timeliness (/review/timeliness/): reviewers, leaders and admins.
| admin    | read and write         | read and write     | yes             |

Staff pages that list a department's month are for staff and admins; the entry
pages (with their history and evidence) are readable by reviewers and leaders too.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from org import roles
from org.models import Department, Role

NOT_YOUR_DEPARTMENT = "只能查看和填报本单位牵头的指标和项目。"
REVIEWERS_ONLY = "只有督查室审核员可以进行此操作。"


def can_read_department(user, department_id: int | None) -> bool:
    role = roles.role_of(user)
    if role in (Role.REVIEWER, Role.LEADER, Role.ADMIN):
        return True
    return role == Role.STAFF and user.profile.department_id == department_id


def require_read(user, department_id: int | None) -> None:
    if not can_read_department(user, department_id):
        raise PermissionDenied(NOT_YOUR_DEPARTMENT)


def require_reviewer(user) -> None:
    if not roles.is_reviewer(user):
        raise PermissionDenied(REVIEWERS_ONLY)


def can_rank_departments(user) -> bool:
    """The timeliness ranking: the 督查室 (reviewers), leaders and the system admin."""
    return roles.role_of(user) in (Role.REVIEWER, Role.LEADER, Role.ADMIN)


def require_ranking(user) -> None:
    if not can_rank_departments(user):
        raise PermissionDenied("只有督查室审核员和领导可以查看各单位报送及时性。")


def reporting_department(user, code: str | None) -> Department | None:
    """The department whose month ``user`` works on: staff their own (asking for
    another's is refused), admins the one they pick (None until they pick one).
    Reviewers and leaders do not report."""
    role = roles.role_of(user)
    if role == Role.STAFF:
        department = user.profile.department
        if code and code != department.code:
            raise PermissionDenied(NOT_YOUR_DEPARTMENT)
        return department
    if role == Role.ADMIN:
        if not code:
            return None
        department = Department.objects.filter(code=code).first()
        if department is None:
            raise Http404(f"没有代码为“{code}”的责任单位。")
        return department
    raise PermissionDenied(
        "月度填报由各责任单位的填报员完成；审核员请使用“审核”和“未报送”页面，领导请查看总览。"
    )
