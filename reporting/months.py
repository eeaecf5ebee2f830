"""Which month a page is about: defaults and the checks on a month the user picks.

Pure apart from the plan-year look-up: ``today`` is passed in (views read it from
targets.clock.site_today).
"""

from datetime import date

from targets.models import PlanYear
from targets.owed import is_due
from targets.periods import add_months, format_period, month_start, parse_period


class MonthError(ValueError):
    """A month the user may not use; the message is for the user."""


def default_report_period(today: date, due_day: int) -> date:
    """The month a department is working on: until the due day, last month (its
    report is coming due); after it, this month (due on the due day of the next)."""
    return add_months(today, -1) if today.day <= due_day else month_start(today)


def latest_overdue_period(today: date, due_day: int) -> date:
    """The latest month whose report is due by ``today`` (targets/owed.py: from its
    due day on, the day the reminders go out)."""
    period = add_months(today, -1)
    while not is_due(period=period, today=today, due_day=due_day):
        period = add_months(period, -1)
    return period


def plan_year_for(period: date) -> PlanYear | None:
    return PlanYear.objects.filter(year=period.year).first()


def clamp_to_year(period: date, plan_year: PlanYear) -> date:
    return min(max(period, plan_year.starts_on), month_start(plan_year.ends_on))


def parse_month(text: str) -> date:
    try:
        period = parse_period(text.strip())
    except ValueError as error:
        raise MonthError(f"月份“{text}”格式不对，应为“年-月”，如 2025-10。") from error
    return period


def check_month(period: date, today: date) -> PlanYear:
    """The plan year of a month the user may report on or look at: not in the
    future, and within a plan year. Raises MonthError."""
    if period > month_start(today):
        raise MonthError(f"{period.year}年{period.month}月尚未到来，不能填报未来的月份。")
    plan_year = plan_year_for(period)
    if plan_year is None:
        raise MonthError(f"{period.year}年不在任何计划年度内。")
    return plan_year


def resolve_month(text: str | None, today: date) -> tuple[PlanYear | None, date]:
    """The month a reporting page shows: the one asked for (checked), else the default
    for ``today``. Returns (plan year or None when none is loaded, period)."""
    if text:
        period = parse_month(text)
        return check_month(period, today), period
    plan_year = PlanYear.objects.current(today)
    if plan_year is None:
        return None, month_start(today)
    period = default_report_period(today, plan_year.report_due_day)
    # Early in January the month worked on is last December: that year's, if loaded.
    plan_year = PlanYear.objects.current(today, prefer_year=period.year)
    return plan_year, clamp_to_year(period, plan_year)


def review_month(text: str | None, today: date) -> tuple[PlanYear | None, date | None]:
    """The month a reviewer's page (未报送, 及时性) shows: the one asked for
    (checked), else the latest one past its due date. Raises MonthError."""
    if text:
        period = parse_month(text)
        return check_month(period, today), period
    plan_year = PlanYear.objects.current(today)
    if plan_year is None:
        return None, None
    period = latest_overdue_period(today, plan_year.report_due_day)
    plan_year = PlanYear.objects.current(today, prefer_year=period.year)
    return plan_year, clamp_to_year(period, plan_year)


def month_choices(plan_year: PlanYear, today: date) -> list[tuple[str, str]]:
    """The months of the year a user may switch to (none in the future), latest first."""
    last = min(month_start(today), month_start(plan_year.ends_on))
    months = []
    period = last
    while period >= plan_year.starts_on:
        months.append((format_period(period), f"{period.year}年{period.month}月"))
        period = add_months(period, -1)
    return months


def check_subject_month(adapter, subject, period: date, today: date) -> None:
    """A month ``subject`` (a target, a project …) can be reported for: a month the
    user may use, in the subject's plan year, and one the kind accepts (a target not
    before its start). Raises MonthError."""
    check_month(period, today)
    year = adapter.plan_year_of(subject).year
    if period.year != year:
        raise MonthError(f"该{adapter.label}属于{year}年度，不能填报{period.year}年的月份。")
    problem = adapter.month_problem(subject, period)
    if problem:
        raise MonthError(problem)
