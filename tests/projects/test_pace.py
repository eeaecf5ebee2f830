"""The plan-pace rule of a key project (pure): the year's cumulative investment
against the annual plan × 序时进度, with the plan year's tolerance. Figures worked
by hand: at the end of June 序时 is 6/12 = 50%."""

from datetime import date
from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from projects.pace import month_status, plan_pace
from targets import completion

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


# --- a project's month for the escalation ladder (month_status) -------------------------

JUNE = date(2025, 6, 1)
SUBMITTED_RULES = completion.Rules(tolerance=TEN_POINTS)
APPROVED_RULES = completion.Rules(tolerance=TEN_POINTS, counting=completion.COUNT_APPROVED)


def report(month: int, investment, state: str = "submitted", stage: str = ""):
    return SimpleNamespace(
        period=date(2025, month, 1), state=state, investment=investment, stage=stage
    )


def spread(total, state: str = "submitted") -> list:
    """January to May, ``total`` in January and nothing after (the sum is what counts)."""
    return [report(1, total, state)] + [report(m, D(0), state) for m in range(2, 6)]


@pytest.mark.parametrize(
    ("reports", "plan", "registered", "rules", "status"),
    [
        # 5 + 1 = 6 of 12 at the end of June: 50% against 序时 50%.
        ([*spread(D(5)), report(6, D(1))], D(12), "started", SUBMITTED_RULES, "on_track"),
        # 4 + 0.5 = 4.5 of 12 = 37.5%: 12.5 points short, beyond 10：严重滞后.
        ([*spread(D(4)), report(6, D("0.5"))], D(12), "started", SUBMITTED_RULES, "behind"),
        # 4.5 + 0.5 = 5 of 12 = 41.67%: 8.33 points short, within 10：进度滞后，not behind.
        ([*spread(D("4.5")), report(6, D("0.5"))], D(12), "started", SUBMITTED_RULES, "lagging"),
        # June's report approved counts as submitted does.
        (
            [*spread(D(5)), report(6, D(1), "approved")],
            D(12),
            "started",
            SUBMITTED_RULES,
            "on_track",
        ),
        # No June report, or one not in (a draft, a returned one)：未报送，whatever the pace.
        (spread(D(12)), D(12), "started", SUBMITTED_RULES, "not_reported"),
        (
            [*spread(D(12)), report(6, D(1), "draft")],
            D(12),
            "started",
            SUBMITTED_RULES,
            "not_reported",
        ),
        (
            [*spread(D(12)), report(6, D(1), "returned")],
            D(12),
            "started",
            SUBMITTED_RULES,
            "not_reported",
        ),
        # ... and with no annual plan too (silence is never progress).
        ([], None, "started", SUBMITTED_RULES, "not_reported"),
        # Owing nothing（谋划，竣工投产，registered or by the latest approved report）and
        # sending nothing: nothing to judge.
        ([], D(12), "planning", SUBMITTED_RULES, None),
        ([], D(12), "completed", SUBMITTED_RULES, None),
        ([report(5, D(12), "approved", "completed")], D(12), "started", SUBMITTED_RULES, None),
        # Reported with no annual plan: nothing to be behind.
        ([report(6, D(0))], None, "started", SUBMITTED_RULES, "on_track"),
        # 仅计入已审核：a submitted June report is in（not 未报送）but its 1 does not
        # count: 5 of 12 = 41.67%，进度滞后.
        ([*spread(D(5), "approved"), report(6, D(1))], D(12), "started", APPROVED_RULES, "lagging"),
        # ... and unapproved months before count nothing: 1 of 12 = 8.33%，严重滞后.
        ([*spread(D(5)), report(6, D(1), "approved")], D(12), "started", APPROVED_RULES, "behind"),
        # A returned January does not count either: 0 + 1 of 12 = 8.33%，严重滞后.
        (
            [report(1, D(5), "returned"), report(6, D(1))],
            D(12),
            "started",
            SUBMITTED_RULES,
            "behind",
        ),
        # Months after June are not read: July's 6 leaves June at 37.5%.
        (
            [*spread(D(4)), report(6, D("0.5")), report(7, D(6))],
            D(12),
            "started",
            SUBMITTED_RULES,
            "behind",
        ),
    ],
)
def test_month_status_table(reports, plan, registered, rules, status):
    assert (
        month_status(
            period=JUNE,
            reports=reports,
            annual_plan=plan,
            registered_stage=registered,
            year_starts=date(2025, 1, 1),
            year_ends=date(2025, 12, 31),
            rules=rules,
        )
        == status
    )


def test_behind_is_the_pace_rules_behind():
    # The same months through plan_pace: month_status says behind exactly when
    # PlanPace.behind does (one rule, one tolerance).
    for before, investment in [(D(4), D("0.5")), (D("4.5"), D("0.5")), (D(5), D(1))]:
        pace = plan_pace(
            invested_before=before,
            investment=investment,
            annual_plan=D(12),
            year_starts=date(2025, 1, 1),
            year_ends=date(2025, 12, 31),
            as_of=JUNE_END,
            tolerance=TEN_POINTS,
        )
        status = month_status(
            period=JUNE,
            reports=[*spread(before), report(6, investment)],
            annual_plan=D(12),
            registered_stage="started",
            year_starts=date(2025, 1, 1),
            year_ends=date(2025, 12, 31),
            rules=SUBMITTED_RULES,
        )
        assert (status == "behind") == pace.behind
