"""Derived metrics computed from key-project records, registered into targets' registry.

Each function answers "what was the figure at the end of ``as_of``" for one plan
year, so a month's snapshot can be recomputed at any later time with the same result.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum

from projects.models import KeyProject, ProjectProgress
from targets.completion import COUNTED_STATES
from targets.metrics import registry
from targets.models import PlanYear

ZERO = Decimal(0)


def _projects(plan_year: PlanYear):
    return KeyProject.objects.filter(plan_year=plan_year)


def _sum(queryset, field: str) -> Decimal:
    return queryset.aggregate(total=Sum(field))["total"] or ZERO


def _count(queryset) -> Decimal:
    return Decimal(queryset.aggregate(n=Count("pk"))["n"])


@registry.register("signed_amount", "新引进项目签约额(亿元)")
def signed_amount(plan_year: PlanYear, as_of: date) -> Decimal:
    signed = _projects(plan_year).filter(signed_on__gte=plan_year.starts_on, signed_on__lte=as_of)
    return _sum(signed, "signed_amount")


@registry.register("leading_signed_amount", "主导产业项目签约额(亿元)")
def leading_signed_amount(plan_year: PlanYear, as_of: date) -> Decimal:
    signed = _projects(plan_year).filter(
        signed_on__gte=plan_year.starts_on, signed_on__lte=as_of, leading_industry=True
    )
    return _sum(signed, "signed_amount")


@registry.register("key_project_count", "重点项目个数")
def key_project_count(plan_year: PlanYear, as_of: date) -> Decimal:
    return _count(_projects(plan_year))


@registry.register("key_project_total_investment", "重点项目计划总投资(亿元)")
def key_project_total_investment(plan_year: PlanYear, as_of: date) -> Decimal:
    return _sum(_projects(plan_year), "total_investment")


@registry.register("key_project_investment_completed", "重点项目年度完成投资(亿元)")
def key_project_investment_completed(plan_year: PlanYear, as_of: date) -> Decimal:
    progress = ProjectProgress.objects.filter(
        project__plan_year=plan_year,
        period__gte=plan_year.starts_on,
        period__lte=as_of,
        state__in=COUNTED_STATES,
    )
    return _sum(progress, "investment")


@registry.register("national_reserve_count", "纳入国家重大建设项目库储备项目个数")
def national_reserve_count(plan_year: PlanYear, as_of: date) -> Decimal:
    return _count(_projects(plan_year).filter(national_reserve_on__lte=as_of))
