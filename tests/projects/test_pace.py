"""The plan-pace rule of a key project (pure): the year's cumulative investment
against the annual plan × 序时进度, with the plan year's tolerance. Figures worked
by hand: at the end of June 序时 is 6/12 = 50%."""

from datetime import date
from decimal import Decimal as D

import pytest

from projects.pace import plan_pace

JUNE_END = date(2025, 6, 30)
JANUARY_END = date(2025, 1, 31)
TEN_POINTS = D("0.10")


@pytest.mark.parametrize(
    ("before", "investment", "plan", "as_of", "tolerance", "ratio", "expected", "status", "behind"),
    [
        # 6 of 12 at the end of June: exactly on 序时.
        (D(5), D(1), D(12), JUNE_END, TEN_POINTS, D("0.5"), D("0.5"), "on_track", False),
        # 4.5 of 12 = 37.5%: 12.5 points behind, more than the tolerance.
        (D(4), D("0.5"), D(12), JUNE_END, TEN_POINTS, D("0.375"), D("0.5"), "behind", True),
        # 5 of 12 = 41.67%: 8.33 points behind, within the tolerance (lagging, not behind).
        (D("4.5"), D("0.5"), D(12), JUNE_END, TEN_POINTS, D("0.4167"), D("0.5"), "lagging", False),
        # The same with a 5-point tolerance: behind.
        (D("4.5"), D("0.5"), D(12), JUNE_END, D("0.05"), D("0.4167"), D("0.5"), "behind", True),
        # No investment typed yet: the months before alone.
        (D(6), None, D(12), JUNE_END, TEN_POINTS, D("0.5"), D("0.5"), "on_track", False),
        # January：序时 1/12 = 8.33%; nothing invested is within a 10-point tolerance.
        (D(0), D(0), D(12), JANUARY_END, TEN_POINTS, D(0), D("0.0833"), "lagging", False),
        # Ahead of plan.
        (D(10), D(2), D(12), JUNE_END, TEN_POINTS, D(1), D("0.5"), "on_track", False),
    ],
)
def test_plan_pace_table(
    before, investment, plan, as_of, tolerance, ratio, expected, status, behind
):
    pace = plan_pace(
        invested_before=before,
        investment=investment,
        annual_plan=plan,
        year_starts=date(2025, 1, 1),
        year_ends=date(2025, 12, 31),
        as_of=as_of,
        tolerance=tolerance,
    )
    assert (pace.ratio, pace.expected, pace.status, pace.behind) == (
        ratio,
        expected,
        status,
        behind,
    )
    assert pace.invested == before + (investment or 0)


@pytest.mark.parametrize("plan", [None, D(0)])
def test_a_project_without_an_annual_plan_is_never_behind(plan):
    assert (
        plan_pace(
            invested_before=D(0),
            investment=D(0),
            annual_plan=plan,
            year_starts=date(2025, 1, 1),
            year_ends=date(2025, 12, 31),
            as_of=JUNE_END,
            tolerance=TEN_POINTS,
        )
        is None
    )


def test_the_expected_amount_is_the_plan_times_xu_shi():
    pace = plan_pace(
        invested_before=D(4),
        investment=D("0.5"),
        annual_plan=D("335.3"),
        year_starts=date(2025, 1, 1),
        year_ends=date(2025, 12, 31),
        as_of=JUNE_END,
        tolerance=TEN_POINTS,
    )
    assert pace.expected_amount == D("167.65")
