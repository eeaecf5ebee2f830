"""Page reads: each function returns what one page needs in a fixed number of queries."""

from datetime import date

from django.db.models import Max

from targets.models import PlanYear, ProgrammeSnapshot


def current_plan_year(today: date) -> PlanYear | None:
    return PlanYear.objects.for_day(today)


def latest_snapshot_period(plan_year: PlanYear) -> date | None:
    return ProgrammeSnapshot.objects.filter(plan_year=plan_year).aggregate(p=Max("period"))["p"]


def programme_snapshots(plan_year: PlanYear, period: date) -> list[ProgrammeSnapshot]:
    """The year's total first, then the eight programmes in order."""
    return list(
        ProgrammeSnapshot.objects.filter(plan_year=plan_year, period=period)
        .select_related("programme")
        .order_by("programme__number")
    )
