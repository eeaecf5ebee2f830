"""Choosing "the current plan year": one query, one rule, used by the dashboards
(targets.queries.resolve_as_of) and the reporting pages (reporting.months)."""

from datetime import date

import pytest

from reporting.months import resolve_month
from targets.models import PlanYear
from targets.queries import resolve_as_of
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("years", "today", "prefer_year", "expected"),
    [
        ([2024, 2025, 2026], date(2025, 6, 30), None, 2025),  # the year covering today
        ([2024, 2025], date(2026, 2, 1), None, 2025),  # else the latest before it
        ([2023, 2024], date(2026, 2, 1), None, 2024),
        ([2026, 2027], date(2025, 6, 30), None, 2026),  # else the earliest after it
        ([2024, 2025], date(2025, 6, 30), 2024, 2024),  # the year asked for wins
        ([2024, 2025], date(2025, 6, 30), 2030, 2025),  # unless there is none
        ([], date(2025, 6, 30), None, None),
    ],
)
def test_current_plan_year(years, today, prefer_year, expected):
    for year in years:
        f.plan_year(year)
    chosen = PlanYear.objects.current(today, prefer_year=prefer_year)
    assert (chosen.year if chosen else None) == expected


def test_current_plan_year_is_one_query(django_assert_num_queries):
    f.plan_year(2024)
    f.plan_year(2025)
    with django_assert_num_queries(1):
        assert PlanYear.objects.current(date(2026, 3, 1)).year == 2025


def test_dashboards_and_reporting_pages_choose_the_same_year():
    # 2026 has no data yet: on 2026-01-03 the dashboards fall back to 2025, and the
    # reporting pages work on December 2025 (before the due day).
    f.plan_year(2024)
    f.plan_year(2025)
    today = date(2026, 1, 3)
    plan_year, period = resolve_month(None, today)
    assert (plan_year.year, period) == (2025, date(2025, 12, 1))
    assert resolve_as_of(month=None, today=today).plan_year.year == 2025
