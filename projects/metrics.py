"""Derived metrics computed from key-project records, registered into targets' registry.

Each function answers "what was the figure at the end of ``as_of``" for one plan
year, so a month's snapshot can be recomputed at any later time with the same result.
Each also names the projects it sums (``contributors``), for the target page.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, QuerySet, Sum
from django.urls import reverse

from projects.models import KeyProject, ProjectProgress
from targets.completion import COUNTED_STATES
from targets.metrics import Contribution, Contributions, registry
from targets.models import PlanYear, Target

ZERO = Decimal(0)

# Which year's figures a project counts in: moving a project to another year (or
# adding or removing one) moves every metric of both years.
MEMBERSHIP = ("KeyProject.plan_year",)


def _fields_of(*models) -> frozenset[str]:
    return frozenset(
        f"{model.__name__}.{field.name}"
        for model in models
        for field in model._meta.concrete_fields
    )


# Every field a change may name; adding or deleting a project (and its progress)
# changes all of them.
PROJECT_FIELDS = _fields_of(KeyProject, ProjectProgress)


def _projects(plan_year: PlanYear) -> QuerySet[KeyProject]:
    return KeyProject.objects.filter(plan_year=plan_year)


def _sum(queryset: QuerySet, field: str) -> Decimal:
    return queryset.aggregate(total=Sum(field))["total"] or ZERO


def _count(queryset: QuerySet) -> Decimal:
    return Decimal(queryset.aggregate(n=Count("pk"))["n"])


def _signed(plan_year: PlanYear, as_of: date) -> QuerySet[KeyProject]:
    return _projects(plan_year).filter(signed_on__gte=plan_year.starts_on, signed_on__lte=as_of)


def _leading_signed(plan_year: PlanYear, as_of: date) -> QuerySet[KeyProject]:
    return _signed(plan_year, as_of).filter(leading_industry=True)


def _reserve(plan_year: PlanYear, as_of: date) -> QuerySet[KeyProject]:
    return _projects(plan_year).filter(national_reserve_on__lte=as_of)


def _progress(plan_year: PlanYear, as_of: date) -> QuerySet[ProjectProgress]:
    return ProjectProgress.objects.filter(
        project__plan_year=plan_year,
        period__gte=plan_year.starts_on,
        period__lte=as_of,
        state__in=COUNTED_STATES,
    )


def _listing(queryset: QuerySet[KeyProject], amount_field: str | None, limit: int) -> Contributions:
    """The count, and the ``limit`` largest by amount (by code where there is none):
    ordered and cut in SQL, since a district may have thousands of projects."""
    order = (F(amount_field).desc(nulls_last=True), "code") if amount_field else ("code",)
    rows = queryset.select_related("lead_department").order_by(*order)[:limit]
    return Contributions(
        count=queryset.count(),
        rows=[
            Contribution(
                code=p.code,
                name=p.name,
                url=reverse("projects:detail", args=[p.pk]),
                amount=getattr(p, amount_field) if amount_field else None,
                department=str(p.lead_department),
            )
            for p in rows
        ],
    )


def _invested_listing(plan_year: PlanYear, as_of: date, limit: int) -> Contributions:
    # Filter on the join itself: `progress__in=<subquery>` is evaluated per project
    # by SQLite and takes minutes at scale.
    invested = (
        _projects(plan_year)
        .filter(
            progress__period__gte=plan_year.starts_on,
            progress__period__lte=as_of,
            progress__state__in=COUNTED_STATES,
        )
        .annotate(invested=Sum("progress__investment"))
    )
    return _listing(invested, "invested", limit)


@registry.register(
    "signed_amount",
    "新引进项目签约额(亿元)",
    reads=[*MEMBERSHIP, "KeyProject.signed_amount", "KeyProject.signed_on"],
    contributors=lambda y, d, n: _listing(_signed(y, d), "signed_amount", n),
)
def signed_amount(plan_year: PlanYear, as_of: date) -> Decimal:
    return _sum(_signed(plan_year, as_of), "signed_amount")


@registry.register(
    "leading_signed_amount",
    "主导产业项目签约额(亿元)",
    reads=[
        *MEMBERSHIP,
        "KeyProject.signed_amount",
        "KeyProject.signed_on",
        "KeyProject.leading_industry",
    ],
    contributors=lambda y, d, n: _listing(_leading_signed(y, d), "signed_amount", n),
)
def leading_signed_amount(plan_year: PlanYear, as_of: date) -> Decimal:
    return _sum(_leading_signed(plan_year, as_of), "signed_amount")


@registry.register(
    "key_project_count",
    "重点项目个数",
    reads=MEMBERSHIP,
    contributors=lambda y, d, n: _listing(_projects(y), None, n),
)
def key_project_count(plan_year: PlanYear, as_of: date) -> Decimal:
    return _count(_projects(plan_year))


@registry.register(
    "key_project_total_investment",
    "重点项目计划总投资(亿元)",
    reads=[*MEMBERSHIP, "KeyProject.total_investment"],
    contributors=lambda y, d, n: _listing(_projects(y), "total_investment", n),
)
def key_project_total_investment(plan_year: PlanYear, as_of: date) -> Decimal:
    return _sum(_projects(plan_year), "total_investment")


@registry.register(
    "key_project_investment_completed",
    "重点项目年度完成投资(亿元)",
    reads=[
        *MEMBERSHIP,
        "ProjectProgress.investment",
        "ProjectProgress.state",
        "ProjectProgress.period",
        "ProjectProgress.project",
    ],
    contributors=_invested_listing,
)
def key_project_investment_completed(plan_year: PlanYear, as_of: date) -> Decimal:
    return _sum(_progress(plan_year, as_of), "investment")


@registry.register(
    "national_reserve_count",
    "纳入国家重大建设项目库储备项目个数",
    reads=[*MEMBERSHIP, "KeyProject.national_reserve_on"],
    contributors=lambda y, d, n: _listing(_reserve(y, d), None, n),
)
def national_reserve_count(plan_year: PlanYear, as_of: date) -> Decimal:
    return _count(_reserve(plan_year, as_of))


def request_derived_recompute(*, plan_year_id: int, changed: Iterable[str], reason: str) -> None:
    """Ask, once, for the recompute of the year's derived targets whose metric reads a
    changed field. ``changed`` names the fields that changed, as "Model.field"
    (``ProjectProgress.investment``, ``KeyProject.stage`` …; ``PROJECT_FIELDS`` for a
    project added or deleted). Call it inside the transaction that made the change.

    A name that is no field of a project or its progress is refused: a typo would
    otherwise ask for nothing, and the figures would silently stop following."""
    from targets.snapshots import request_recompute

    changed = set(changed)
    unknown = changed - PROJECT_FIELDS
    if unknown:
        raise ValueError(f"not fields of a project or its progress: {sorted(unknown)}")
    sources = registry.reading(changed)
    if not sources:
        return
    request_recompute(
        target_ids=Target.objects.filter(
            programme__plan_year_id=plan_year_id, source__in=sources
        ).values_list("pk", flat=True),
        reason=reason,
    )
