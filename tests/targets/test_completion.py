"""The completion rules, table by table, with hand-computed expectations.

Rules: tolerance 10 points, reports due on the 5th of the next month. Unless a row
says otherwise, ``today`` is long after ``as_of``, so every month's report is due.
"""

from datetime import date
from decimal import Decimal as D

import pytest

from targets import completion as c
from targets.completion import EntryFact, Rules, Scored, TargetSpec

RULES = Rules(tolerance=D("0.10"), due_day=5)
LATE = date(2030, 1, 1)


def monthly(values: dict[int, str], year: int = 2025, state: str = c.SUBMITTED) -> list[EntryFact]:
    return [EntryFact(period=date(year, m, 1), value=D(v), state=state) for m, v in values.items()]


def evaluate(spec, entries, as_of, today=LATE):
    return c.evaluate_target(spec, entries, as_of=as_of, today=today, rules=RULES)


# --- cumulative -------------------------------------------------------------------------

SIGNING = TargetSpec(
    kind=c.CUMULATIVE,
    starts_on=date(2025, 1, 1),
    deadline=date(2025, 12, 31),
    target_value=D(400),
    baseline=D(0),
)


@pytest.mark.parametrize(
    ("entries", "as_of", "ratio", "expected", "status"),
    [
        # exactly at 序时 (6/12 at the end of June) is on track
        ({6: "200"}, date(2025, 6, 30), "0.5000", "0.5000", c.ON_TRACK),
        ({6: "240"}, date(2025, 6, 30), "0.6000", "0.5000", c.ON_TRACK),
        # exactly 10 points behind is lagging; a hair more is behind
        ({6: "160"}, date(2025, 6, 30), "0.4000", "0.5000", c.LAGGING),
        ({6: "159.96"}, date(2025, 6, 30), "0.3999", "0.5000", c.BEHIND),
        # the year-to-date total of the latest month counts, not a sum of months
        ({1: "30", 2: "70", 3: "100"}, date(2025, 3, 31), "0.2500", "0.2500", c.ON_TRACK),
        # reaching the target completes it, whatever 序时 says
        ({3: "400"}, date(2025, 3, 31), "1.0000", "0.2500", c.COMPLETED),
        ({12: "420"}, date(2025, 12, 31), "1.0500", "1.0000", c.COMPLETED),
        # on the deadline day a shortfall is still judged against 序时 (100%)
        ({12: "380"}, date(2025, 12, 31), "0.9500", "1.0000", c.LAGGING),
        # one day after the deadline it is overdue
        ({12: "380"}, date(2026, 1, 1), "0.9500", "1.0000", c.OVERDUE),
    ],
)
def test_cumulative_ratio_and_status(entries, as_of, ratio, expected, status):
    result = evaluate(SIGNING, monthly(entries), as_of)
    assert (result.ratio, result.expected, result.status) == (D(ratio), D(expected), status)


def test_cumulative_reached_after_deadline_is_completed_late():
    entries = monthly({12: "380"}) + monthly({1: "400"}, year=2026)
    result = evaluate(SIGNING, entries, date(2026, 1, 31))
    assert (result.status, result.reached_on) == (c.COMPLETED_LATE, date(2026, 1, 31))


def test_cumulative_with_baseline_counts_from_it():
    spec = TargetSpec(
        kind=c.CUMULATIVE,
        starts_on=date(2025, 1, 1),
        deadline=date(2025, 12, 31),
        target_value=D(500),
        baseline=D(100),
    )
    assert evaluate(spec, monthly({6: "300"}), date(2025, 6, 30)).ratio == D("0.5000")


def test_cumulative_decreasing_target():
    spec = TargetSpec(
        kind=c.CUMULATIVE,
        starts_on=date(2025, 1, 1),
        deadline=date(2025, 12, 31),
        target_value=D(60),
        baseline=D(100),
        direction=c.DECREASE,
    )
    assert evaluate(spec, monthly({6: "80"}), date(2025, 6, 30)).ratio == D("0.5000")


def test_forecast_projects_last_three_months_pace():
    entries = monthly({1: "10", 2: "20", 3: "30", 4: "40"})
    result = evaluate(SIGNING, entries, date(2025, 4, 30))
    # pace (40 - 10) / 3 = 10 a month; 8 months left: 40 + 80 = 120; still needed (400-40)/8
    assert (result.pace, result.forecast, result.required_pace) == (D(10), D(120), D(45))


def test_forecast_needs_two_months_but_required_pace_does_not():
    result = evaluate(SIGNING, monthly({1: "10"}), date(2025, 1, 31))
    assert (result.forecast, result.pace, result.required_pace) == (None, None, D("35.4545"))


def test_forecast_uses_only_the_last_three_months():
    entries = monthly({1: "100", 2: "100", 3: "100", 6: "130", 7: "160", 8: "190", 9: "220"})
    result = evaluate(SIGNING, entries, date(2025, 9, 30))
    # from June (130) to September (220): 30 a month, 3 months left
    assert (result.pace, result.forecast, result.required_pace) == (D(30), D(310), D(60))


@pytest.mark.parametrize(
    ("values", "pace", "forecast", "required"),
    [
        # accelerating: the window is March (40) to June (160), 40 a month; not two
        # months (45) nor four (46.67)
        ({1: "10", 2: "20", 3: "40", 4: "70", 5: "110", 6: "160"}, "40", "400", "40"),
        # nothing else within three months: the previous report, however old
        ({1: "10", 6: "50"}, "8", "98", "58.3333"),
        # exactly three months back is inside the window
        ({3: "40", 6: "100"}, "20", "220", "50"),
        # a report before the window is not the reference when one is inside it
        ({2: "0", 4: "40", 6: "100"}, "30", "280", "50"),
    ],
)
def test_forecast_pace_comes_from_the_last_three_months(values, pace, forecast, required):
    result = evaluate(SIGNING, monthly(values), date(2025, 6, 30))
    figures = (result.pace, result.forecast, result.required_pace)
    assert figures == (D(pace), D(forecast), D(required))


def test_forecast_after_the_deadline_is_the_last_figure():
    # January 2026, a month past the deadline: no months left to project over.
    entries = monthly({11: "300", 12: "360"}) + monthly({1: "380"}, year=2026)
    result = evaluate(SIGNING, entries, date(2026, 1, 31))
    # the window is November (300) to January: 40 a month
    assert (result.pace, result.forecast, result.required_pace) == (D(40), D(380), None)
    # in the deadline month itself nothing is left either
    result = evaluate(SIGNING, monthly({11: "300", 12: "360"}), date(2025, 12, 31))
    assert (result.pace, result.forecast, result.required_pace) == (D(60), D(360), None)


def test_required_pace_is_zero_once_the_target_is_reached():
    result = evaluate(SIGNING, monthly({5: "380", 6: "410"}), date(2025, 6, 30))
    assert (result.required_pace, result.forecast) == (D(0), D(590))


# --- reports due, drafts and returned entries --------------------------------------------


def test_missing_due_report_is_not_reported():
    # June's report was due 5 July; only May's is in.
    result = evaluate(SIGNING, monthly({5: "150"}), date(2025, 6, 30), today=date(2025, 7, 10))
    assert (result.status, result.ratio, result.last_period) == (
        c.NOT_REPORTED,
        D("0.3750"),
        date(2025, 5, 1),
    )


def test_report_not_yet_due_is_judged_on_last_month():
    # On 3 July June's report is not due yet: May's figure is judged against June's 序时.
    result = evaluate(SIGNING, monthly({5: "150"}), date(2025, 6, 30), today=date(2025, 7, 3))
    assert result.status == c.BEHIND


def test_report_due_on_the_due_day_itself():
    result = evaluate(SIGNING, monthly({5: "150"}), date(2025, 6, 30), today=date(2025, 7, 5))
    assert result.status == c.NOT_REPORTED


@pytest.mark.parametrize("state", ["draft", "returned"])
def test_drafts_and_returned_entries_do_not_count(state):
    entries = monthly({5: "150"}) + monthly({6: "300"}, state=state)
    result = evaluate(SIGNING, entries, date(2025, 6, 30), today=date(2025, 7, 10))
    assert (result.status, result.ratio) == (c.NOT_REPORTED, D("0.3750"))


def test_approved_entries_count():
    result = evaluate(SIGNING, monthly({6: "200"}, state=c.APPROVED), date(2025, 6, 30))
    assert result.status == c.ON_TRACK


def test_derived_targets_are_never_not_reported():
    spec = TargetSpec(**{**SIGNING.__dict__, "derived": True})
    assert evaluate(spec, [], date(2025, 6, 30)).status == c.BEHIND


def test_no_entries_at_all():
    result = evaluate(SIGNING, [], date(2025, 6, 30))
    assert (result.status, result.ratio, result.actual) == (c.NOT_REPORTED, D(0), None)


def test_before_start_is_not_started():
    spec = TargetSpec(**{**SIGNING.__dict__, "starts_on": date(2025, 7, 1)})
    result = evaluate(spec, [], date(2025, 6, 30))
    assert (result.status, result.ratio, result.expected) == (c.NOT_STARTED, None, D(0))


def test_entries_after_as_of_are_ignored():
    result = evaluate(SIGNING, monthly({6: "200", 7: "400"}), date(2025, 6, 30))
    assert (result.status, result.ratio) == (c.ON_TRACK, D("0.5000"))


# --- milestone -----------------------------------------------------------------------------

REFORM = TargetSpec(kind=c.MILESTONE, starts_on=date(2025, 1, 1), deadline=date(2025, 3, 31))


def milestone(month: int, percent: str | None = None, done_on: date | None = None) -> EntryFact:
    return EntryFact(
        period=date(2025, month, 1), percent=D(percent) if percent else None, done_on=done_on
    )


@pytest.mark.parametrize(
    ("entry", "as_of", "ratio", "expected", "status"),
    [
        (milestone(1, "33.33"), date(2025, 1, 31), "0.3333", "0.3333", c.ON_TRACK),
        (milestone(2, "56.67"), date(2025, 2, 28), "0.5667", "0.6667", c.LAGGING),
        (milestone(2, "56.66"), date(2025, 2, 28), "0.5666", "0.6667", c.BEHIND),
        # the deadline day: not yet overdue
        (milestone(3, "90"), date(2025, 3, 31), "0.9000", "1.0000", c.LAGGING),
        # one day after
        (milestone(3, "90"), date(2025, 4, 1), "0.9000", "1.0000", c.OVERDUE),
        (milestone(3, "100", date(2025, 3, 31)), date(2025, 3, 31), "1", "1.0000", c.COMPLETED),
        (milestone(4, "100", date(2025, 4, 1)), date(2025, 4, 30), "1", "1.0000", c.COMPLETED_LATE),
        # done counts whatever percent was typed
        (milestone(2, "80", date(2025, 2, 20)), date(2025, 2, 28), "1", "0.6667", c.COMPLETED),
    ],
)
def test_milestone(entry, as_of, ratio, expected, status):
    result = evaluate(REFORM, [entry], as_of)
    assert (result.ratio, result.expected, result.status) == (D(ratio), D(expected), status)


def test_milestone_with_a_mid_month_deadline_counts_its_month():
    # "五一投用": January to May is five months; at the end of April 序时 is 4/5.
    spec = TargetSpec(kind=c.MILESTONE, starts_on=date(2025, 1, 1), deadline=date(2025, 5, 1))
    assert evaluate(spec, [milestone(4, "80")], date(2025, 4, 30)).status == c.ON_TRACK
    assert evaluate(spec, [milestone(5, "95")], date(2025, 5, 31)).status == c.OVERDUE
    done = milestone(5, "100", date(2025, 5, 1))
    assert evaluate(spec, [done], date(2025, 5, 31)).status == c.COMPLETED


def test_milestone_done_stays_done_without_further_reports():
    result = evaluate(REFORM, [milestone(3, "100", date(2025, 3, 26))], date(2025, 10, 31))
    assert (result.status, result.reached_on) == (c.COMPLETED, date(2025, 3, 26))


# --- level ------------------------------------------------------------------------------------

SHARE = TargetSpec(
    kind=c.LEVEL, starts_on=date(2025, 1, 1), deadline=date(2025, 12, 31), target_value=D(10)
)


@pytest.mark.parametrize(
    ("value", "ratio", "status"),
    [
        # at the level before the deadline is on track (当前已达标), not yet done
        ("10", "1.0000", c.ON_TRACK),
        ("10.6", "1.0600", c.ON_TRACK),
        ("9.5", "0.9500", c.LAGGING),
        ("9", "0.9000", c.LAGGING),  # exactly at the tolerance
        ("8.99", "0.8990", c.BEHIND),
        ("0", "0.0000", c.BEHIND),
    ],
)
def test_level_expects_the_full_level_every_month(value, ratio, status):
    result = evaluate(SHARE, monthly({3: value}), date(2025, 3, 31))
    assert (result.ratio, result.expected, result.status) == (D(ratio), D(1), status)


def test_level_can_fall_back_after_reaching():
    result = evaluate(SHARE, monthly({6: "10.2", 7: "9.5"}), date(2025, 7, 31))
    assert result.status == c.LAGGING


# 3.5 政策性资金全市占比 ≥ 10%, as_of → (status, reached_on). Reports: July to November
# at the level; December's decides.
HELD_TO_NOVEMBER = {7: "10.5", 8: "10.2", 9: "11", 10: "10.4", 11: "10.1"}


@pytest.mark.parametrize(
    ("december", "january", "as_of", "today", "status", "reached_on"),
    [
        # at the level in July: on track, not done
        (None, None, date(2025, 7, 31), LATE, c.ON_TRACK, None),
        # November's report at the level, December's not yet due (5 January)
        (None, None, date(2025, 12, 31), date(2026, 1, 4), c.ON_TRACK, None),
        # December's report due and missing
        (None, None, date(2025, 12, 31), date(2026, 1, 5), c.NOT_REPORTED, None),
        # December's report holds the level: done on the deadline
        ("10", None, date(2025, 12, 31), LATE, c.COMPLETED, date(2025, 12, 31)),
        # ... and stays done whatever a later report says
        ("10", "8", date(2026, 1, 31), LATE, c.COMPLETED, date(2025, 12, 31)),
        # below in December: judged against the full level on the deadline day ...
        ("9.5", None, date(2025, 12, 31), LATE, c.LAGGING, None),
        # ... and overdue after it
        ("9.5", None, date(2026, 1, 31), LATE, c.OVERDUE, None),
        # no December report at all, after the deadline: overdue though November held
        (None, None, date(2026, 1, 31), LATE, c.OVERDUE, None),
        # regained in January: done late
        ("9.5", "10.3", date(2026, 1, 31), LATE, c.COMPLETED_LATE, date(2026, 1, 31)),
    ],
)
def test_level_completes_only_when_the_deadline_month_holds_it(
    december, january, as_of, today, status, reached_on
):
    entries = monthly(HELD_TO_NOVEMBER)
    if december:
        entries += monthly({12: december})
    if january:
        entries += monthly({1: january}, year=2026)
    result = evaluate(SHARE, entries, as_of, today=today)
    assert (result.status, result.reached_on) == (status, reached_on)


def test_level_with_a_mid_month_deadline_completes_on_the_deadline():
    spec = TargetSpec(**{**SHARE.__dict__, "deadline": date(2025, 6, 15)})
    result = evaluate(spec, monthly({5: "10", 6: "10"}), date(2025, 6, 30))
    assert (result.status, result.reached_on) == (c.COMPLETED, date(2025, 6, 15))
    # May at the level, the deadline month (June) is what counts
    assert evaluate(spec, monthly({5: "10"}), date(2025, 5, 31)).status == c.ON_TRACK


def test_level_with_decreasing_direction():
    spec = TargetSpec(**{**SHARE.__dict__, "target_value": D(5), "direction": c.DECREASE})
    assert evaluate(spec, monthly({3: "10"}), date(2025, 3, 31)).ratio == D("0.5000")
    assert evaluate(spec, monthly({3: "4"}), date(2025, 3, 31)).ratio == D(1)


# --- ceiling ----------------------------------------------------------------------------------

HOUSEHOLDS = TargetSpec(
    kind=c.CEILING,
    starts_on=date(2025, 1, 1),
    deadline=date(2025, 12, 31),
    target_value=D(0),
    baseline=D(10),
    direction=c.DECREASE,
)


@pytest.mark.parametrize(
    ("value", "ratio", "status"),
    [
        ("5", "0.5000", c.ON_TRACK),  # exactly at 序时 (June: 50%)
        ("6", "0.4000", c.LAGGING),  # exactly at the tolerance
        ("7", "0.3000", c.BEHIND),
        ("0", "1", c.ON_TRACK),  # cleared in June: on track until December holds it
        ("12", "0.0000", c.BEHIND),  # worse than the baseline: floored at 0
    ],
)
def test_ceiling(value, ratio, status):
    result = evaluate(HOUSEHOLDS, monthly({6: value}), date(2025, 6, 30))
    assert (result.ratio, result.expected, result.status) == (D(ratio), D("0.5000"), status)


# 8.3 零就业家庭动态清零: cleared from July; December's report decides.
@pytest.mark.parametrize(
    ("reports", "as_of", "status", "reached_on"),
    [
        ({6: "3", 7: "0"}, date(2025, 7, 31), c.ON_TRACK, None),
        ({6: "3", 7: "0", 10: "0"}, date(2025, 10, 31), c.ON_TRACK, None),
        # a family out of work again in October: behind 序时 (10/12) by 10/12 − 7/10
        ({6: "3", 7: "0", 10: "3"}, date(2025, 10, 31), c.BEHIND, None),
        ({7: "0", 12: "0"}, date(2025, 12, 31), c.COMPLETED, date(2025, 12, 31)),
        ({7: "0", 12: "1"}, date(2025, 12, 31), c.LAGGING, None),
        ({7: "0", 12: "1"}, date(2026, 1, 31), c.OVERDUE, None),
    ],
)
def test_ceiling_completes_only_when_the_deadline_month_holds_it(
    reports, as_of, status, reached_on
):
    result = evaluate(HOUSEHOLDS, monthly(reports), as_of)
    assert (result.status, result.reached_on) == (status, reached_on)


@pytest.mark.parametrize(("baseline", "ratio"), [("0", "0"), ("2", "0"), ("5", "0")])
def test_ceiling_whose_baseline_is_at_or_below_the_target_gives_no_credit(baseline, ratio):
    # Nothing to bring down from: above the target is simply not there yet (never a
    # division by zero, never credit for rising above the baseline).
    spec = TargetSpec(**{**HOUSEHOLDS.__dict__, "target_value": D(5), "baseline": D(baseline)})
    assert evaluate(spec, monthly({6: "8"}), date(2025, 6, 30)).ratio == D(ratio)
    assert evaluate(spec, monthly({6: "5"}), date(2025, 6, 30)).ratio == D(1)


def test_ceiling_without_baseline_counts_from_the_first_report():
    spec = TargetSpec(**{**HOUSEHOLDS.__dict__, "baseline": None})
    # January's 5 households is the starting count: June's 1 is 80% of the way to 0.
    result = evaluate(spec, monthly({1: "5", 6: "1"}), date(2025, 6, 30))
    assert (result.ratio, result.status) == (D("0.8000"), c.ON_TRACK)
    assert evaluate(spec, monthly({1: "5"}), date(2025, 1, 31)).ratio == D(0)
    assert evaluate(spec, monthly({1: "5", 6: "0"}), date(2025, 6, 30)).ratio == D(1)
    # a draft is not a report: the first counted one is
    drafts = monthly({1: "9"}, state="draft") + monthly({2: "5", 6: "1"})
    assert evaluate(spec, drafts, date(2025, 6, 30)).ratio == D("0.8000")


# --- assessed ---------------------------------------------------------------------------------

RANKING = TargetSpec(kind=c.ASSESSED, starts_on=date(2025, 1, 1), deadline=date(2025, 12, 31))


def assessed(month: int, assessment: str, state: str = c.APPROVED) -> EntryFact:
    return EntryFact(period=date(2025, month, 1), assessment=assessment, state=state)


@pytest.mark.parametrize(
    ("entries", "as_of", "status"),
    [
        ([assessed(5, c.ON_TRACK)], date(2025, 5, 31), c.ON_TRACK),
        ([assessed(5, c.LAGGING)], date(2025, 5, 31), c.LAGGING),
        ([assessed(5, c.BEHIND)], date(2025, 5, 31), c.BEHIND),
        ([assessed(5, c.ACHIEVED)], date(2025, 5, 31), c.COMPLETED),
        # a newer submitted assessment stands (provisionally) over an approved one:
        # an improvement is reported as soon as it is submitted ...
        (
            [assessed(4, c.LAGGING), assessed(5, c.ON_TRACK, c.SUBMITTED)],
            date(2025, 5, 31),
            c.ON_TRACK,
        ),
        # ... and so is a setback
        (
            [assessed(4, c.ON_TRACK), assessed(5, c.BEHIND, c.SUBMITTED)],
            date(2025, 5, 31),
            c.BEHIND,
        ),
        # a returned or draft assessment is not a report: the approved one stands
        (
            [assessed(4, c.LAGGING), assessed(5, c.ON_TRACK, "returned")],
            date(2025, 4, 30),
            c.LAGGING,
        ),
        # with none confirmed yet, the submitted one stands provisionally
        ([assessed(5, c.LAGGING, c.SUBMITTED)], date(2025, 5, 31), c.LAGGING),
        ([], date(2025, 5, 31), c.NOT_REPORTED),
        ([assessed(12, c.ON_TRACK)], date(2026, 1, 31), c.OVERDUE),
        ([assessed(12, c.ACHIEVED)], date(2026, 1, 31), c.COMPLETED),
        ([assessed(1, c.ACHIEVED, c.SUBMITTED)], date(2026, 1, 31), c.COMPLETED),
    ],
)
def test_assessed_status_comes_from_the_assessment(entries, as_of, status):
    result = evaluate(RANKING, entries, as_of)
    assert (result.status, result.ratio, result.expected) == (status, None, None)


def test_assessed_achieved_after_the_deadline_is_completed_late():
    entries = [EntryFact(period=date(2026, 1, 1), assessment=c.ACHIEVED, state=c.APPROVED)]
    result = evaluate(RANKING, entries, date(2026, 1, 31))
    assert (result.status, result.reached_on) == (c.COMPLETED_LATE, date(2026, 1, 31))


def test_assessed_with_a_missing_due_report_does_not_keep_its_old_assessment():
    # April's approved 正常推进; May's report was due 5 June and is missing.
    result = evaluate(RANKING, [assessed(4, c.ON_TRACK)], date(2025, 5, 31), date(2025, 6, 10))
    assert (result.status, result.last_period) == (c.NOT_REPORTED, date(2025, 4, 1))
    # before it is due, April's assessment stands
    result = evaluate(RANKING, [assessed(4, c.ON_TRACK)], date(2025, 5, 31), date(2025, 6, 4))
    assert (result.status, result.last_period) == (c.ON_TRACK, date(2025, 4, 1))


# --- degenerate definitions -------------------------------------------------------------------


@pytest.mark.parametrize(
    "spec",
    [
        TargetSpec(
            kind=c.CUMULATIVE,
            starts_on=date(2025, 1, 1),
            deadline=date(2025, 12, 31),
            target_value=D(0),
            baseline=D(0),
        ),
        TargetSpec(
            kind=c.CUMULATIVE,
            starts_on=date(2025, 6, 1),
            deadline=date(2025, 3, 31),
            target_value=D(10),
        ),
        TargetSpec(kind=c.MILESTONE, starts_on=date(2025, 6, 15), deadline=date(2025, 6, 15)),
        TargetSpec(
            kind=c.LEVEL, starts_on=date(2025, 1, 1), deadline=date(2025, 12, 31), target_value=D(0)
        ),
        TargetSpec(
            kind=c.CUMULATIVE,
            starts_on=date(2025, 1, 1),
            deadline=date(2025, 12, 31),
            target_value=None,
        ),
    ],
    ids=[
        "target-equals-baseline",
        "deadline-before-start",
        "zero-length",
        "level-zero",
        "no-target-value",
    ],
)
@pytest.mark.parametrize("values", [{}, {6: "0"}, {6: "5"}])
def test_degenerate_definitions_give_a_defined_result(spec, values):
    result = evaluate(spec, monthly(values), date(2025, 6, 30))
    assert result.status in c.STATUSES
    assert result.ratio is None or result.ratio >= 0


def test_target_equal_to_baseline_is_met_or_not():
    spec = TargetSpec(
        kind=c.CUMULATIVE,
        starts_on=date(2025, 1, 1),
        deadline=date(2025, 12, 31),
        target_value=D(5),
        baseline=D(5),
    )
    assert evaluate(spec, monthly({6: "5"}), date(2025, 6, 30)).ratio == D(1)
    assert evaluate(spec, monthly({6: "4"}), date(2025, 6, 30)).ratio == D(0)


def test_deadline_before_start_expects_everything_at_once():
    spec = TargetSpec(
        kind=c.CUMULATIVE,
        starts_on=date(2025, 6, 1),
        deadline=date(2025, 3, 31),
        target_value=D(10),
    )
    assert c.expected_progress(spec, date(2025, 6, 30)) == D(1)


# --- 序时进度 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "deadline", "as_of", "expected"),
    [
        (date(2025, 1, 1), date(2025, 12, 31), date(2025, 6, 30), "0.5000"),
        (date(2025, 1, 1), date(2025, 12, 31), date(2025, 10, 31), "0.8333"),
        (date(2025, 1, 1), date(2025, 12, 31), date(2025, 12, 31), "1.0000"),
        (date(2025, 1, 1), date(2025, 12, 31), date(2026, 3, 31), "1.0000"),  # clamped
        (date(2025, 4, 1), date(2025, 9, 30), date(2025, 6, 30), "0.5000"),
        (date(2025, 1, 1), date(2025, 1, 28), date(2025, 1, 31), "1.0000"),
    ],
)
def test_expected_progress(start, deadline, as_of, expected):
    spec = TargetSpec(kind=c.CUMULATIVE, starts_on=start, deadline=deadline, target_value=D(1))
    assert c.expected_progress(spec, as_of) == D(expected)


# --- aggregation ------------------------------------------------------------------------------


def test_programme_is_weighted_mean_capped_at_one():
    items = [
        Scored(c.CUMULATIVE, D(1), c.ON_TRACK, D("0.5"), D("0.5")),
        Scored(c.CUMULATIVE, D(3), c.COMPLETED, D("1.2"), D("0.5")),  # counts as 1
        Scored(c.ASSESSED, D(5), c.BEHIND, None, None),  # tallied, not averaged
        Scored(c.MILESTONE, D(2), c.NOT_STARTED, None, D(0)),  # not started: not averaged
    ]
    result = c.aggregate(items, RULES)
    assert result.ratio == D("0.8750")  # (0.5 + 3) / 4
    assert result.expected == D("0.5000")
    assert result.status == c.BEHIND  # the assessed target's 严重滞后 is not averaged away
    assert result.target_count == 4
    assert {k: v for k, v in result.counts.items() if v} == {
        c.ON_TRACK: 1,
        c.COMPLETED: 1,
        c.BEHIND: 1,
        c.NOT_STARTED: 1,
    }


def scored(status: str, ratio: str | None = "0.5", kind: str = c.CUMULATIVE) -> Scored:
    return Scored(kind, D(1), status, None if ratio is None else D(ratio), D("0.5"))


@pytest.mark.parametrize(
    ("statuses", "status"),
    [
        # one red target among on-track ones makes the programme red
        ([c.ON_TRACK, c.ON_TRACK, c.COMPLETED, c.BEHIND], c.BEHIND),
        ([c.ON_TRACK, c.OVERDUE], c.BEHIND),
        ([c.LAGGING, c.OVERDUE, c.NOT_REPORTED], c.BEHIND),
        # else amber for any 进度滞后 or 未报送
        ([c.ON_TRACK, c.COMPLETED, c.LAGGING], c.LAGGING),
        ([c.ON_TRACK, c.NOT_REPORTED], c.LAGGING),
        ([c.COMPLETED, c.NOT_REPORTED], c.LAGGING),
        # else on track, even with the rest done or not started
        ([c.ON_TRACK, c.COMPLETED], c.ON_TRACK),
        ([c.COMPLETED, c.NOT_STARTED], c.ON_TRACK),
        ([c.ON_TRACK, c.NOT_STARTED], c.ON_TRACK),
        # all done (late counts as done)
        ([c.COMPLETED, c.COMPLETED_LATE], c.COMPLETED),
        ([c.COMPLETED_LATE], c.COMPLETED),
        ([c.NOT_STARTED, c.NOT_STARTED], c.NOT_STARTED),
        ([], c.NOT_STARTED),
    ],
)
def test_programme_status_rolls_up_its_targets_statuses(statuses, status):
    result = c.aggregate([scored(s) for s in statuses], RULES)
    assert (result.status, result.target_count) == (status, len(statuses))
    assert c.rolled_up_status(result.counts) == status


def test_programme_status_never_comes_from_the_mean():
    # 民生保障 in October: 8.1 far behind, the others well ahead. The mean (capped)
    # is ahead of 序时, the programme is still red.
    items = [
        Scored(c.CUMULATIVE, D(1), c.BEHIND, D("0.60"), D("0.8333")),
        Scored(c.CUMULATIVE, D(1), c.COMPLETED, D("1.30"), D("0.8333")),
        Scored(c.CEILING, D(1), c.ON_TRACK, D(1), D("0.8333")),
    ]
    result = c.aggregate(items, RULES)
    assert (result.ratio, result.expected, result.status) == (D("0.8667"), D("0.8333"), c.BEHIND)
    # and a programme at 100% on average with a target not done is not 已完成
    items = [scored(c.COMPLETED, "1.5"), scored(c.ON_TRACK, "1")]
    result = c.aggregate(items, RULES)
    assert (result.ratio, result.status) == (D(1), c.ON_TRACK)


def test_programme_of_assessed_targets_only_takes_the_worst_status():
    items = [
        Scored(c.ASSESSED, D(1), c.ON_TRACK, None, None),
        Scored(c.ASSESSED, D(1), c.LAGGING, None, None),
    ]
    result = c.aggregate(items, RULES)
    assert (result.ratio, result.expected, result.status) == (None, None, c.LAGGING)


def test_reference_figures_are_neither_averaged_nor_tallied():
    items = [
        scored(c.ON_TRACK, "0.6"),
        Scored(c.REFERENCE, D(1), c.BEHIND, D("0.1"), D("0.5")),
    ]
    result = c.aggregate(items, RULES)
    assert (result.ratio, result.status, result.target_count) == (D("0.6000"), c.ON_TRACK, 1)
    assert result.counts[c.BEHIND] == 0


def test_zero_weight_targets_are_tallied_not_averaged():
    items = [
        Scored(c.CUMULATIVE, D(0), c.BEHIND, D(0), D(1)),
        Scored(c.CUMULATIVE, D(1), c.ON_TRACK, D("0.9"), D("0.9")),
    ]
    assert c.aggregate(items, RULES).ratio == D("0.9000")


def test_empty_programme():
    result = c.aggregate([], RULES)
    assert (result.ratio, result.status, result.target_count) == (None, c.NOT_STARTED, 0)


# --- edges the mutation run found untested (docs/mutation.md) ------------------------------


@pytest.mark.parametrize(
    ("value", "rounded"),
    [("0.12345", "0.1235"), ("0.12355", "0.1236"), ("0.00005", "0.0001"), ("1", "1.0000")],
)
def test_q_rounds_half_up_to_four_places(value, rounded):
    # Half up, as the report's tables round; Python's default (half even) would give
    # 0.1234 for the first row.
    assert str(c.q(D(value))) == rounded


def test_expected_progress_on_the_start_day_counts_the_first_month():
    spec = TargetSpec(
        kind=c.CUMULATIVE,
        starts_on=date(2025, 1, 1),
        deadline=date(2025, 12, 31),
        target_value=D(1),
    )
    assert c.expected_progress(spec, date(2025, 1, 1)) == D("0.0833")
    assert c.expected_progress(spec, date(2024, 12, 31)) == D(0)


@pytest.mark.parametrize(
    ("direction", "value", "ratio"),
    [
        (c.INCREASE, "5", "1"),
        (c.INCREASE, "4", "0"),
        (c.DECREASE, "5", "1"),  # at the target is met either way
        (c.DECREASE, "4", "1"),
        (c.DECREASE, "6", "0"),
    ],
)
def test_cumulative_target_equal_to_baseline_follows_its_direction(direction, value, ratio):
    spec = TargetSpec(
        kind=c.CUMULATIVE,
        starts_on=date(2025, 1, 1),
        deadline=date(2025, 12, 31),
        target_value=D(5),
        baseline=D(5),
        direction=direction,
    )
    assert evaluate(spec, monthly({6: value}), date(2025, 6, 30)).ratio == D(ratio)


@pytest.mark.parametrize(
    ("target", "direction", "value", "ratio"),
    [
        # a level of zero: met at zero, in either direction (never 0 / 0)
        ("0", c.INCREASE, "0", "1"),
        ("0", c.DECREASE, "0", "1"),
        ("0", c.DECREASE, "2", "0"),
        # a negative level (a growth rate of at least −5%)
        ("-5", c.INCREASE, "-4", "1"),
        ("-5", c.INCREASE, "-6", "0"),
    ],
)
def test_level_at_or_below_zero(target, direction, value, ratio):
    spec = TargetSpec(**{**SHARE.__dict__, "target_value": D(target), "direction": direction})
    assert evaluate(spec, monthly({3: value}), date(2025, 3, 31)).ratio == D(ratio)


def test_ceiling_above_zero_counts_the_way_down_to_its_target():
    # from 10 down to 2: at 6 half the way is done
    spec = TargetSpec(**{**HOUSEHOLDS.__dict__, "target_value": D(2)})
    assert evaluate(spec, monthly({6: "6"}), date(2025, 6, 30)).ratio == D("0.5000")


@pytest.mark.parametrize(
    ("spec", "entry", "actual"),
    [
        (REFORM, milestone(2, "80", date(2025, 2, 20)), D(100)),  # done: 100 whatever typed
        (REFORM, milestone(2, "80"), D(80)),
        (SIGNING, EntryFact(period=date(2025, 2, 1), value=D(120)), D(120)),
        # a stray done date on a figure's report changes nothing
        (
            SIGNING,
            EntryFact(period=date(2025, 2, 1), value=D(120), done_on=date(2025, 2, 3)),
            D(120),
        ),
    ],
)
def test_actual_is_the_figure_or_the_milestones_percent(spec, entry, actual):
    assert evaluate(spec, [entry], date(2025, 2, 28)).actual == actual


def test_a_done_date_on_a_figures_report_is_not_when_it_was_reached():
    entry = EntryFact(period=date(2025, 3, 1), value=D(400), done_on=date(2025, 3, 2))
    result = evaluate(SIGNING, [entry], date(2025, 3, 31))
    assert (result.status, result.reached_on) == (c.COMPLETED, date(2025, 3, 31))


def test_the_first_months_missing_report_is_not_reported():
    # January's report was due 5 February.
    result = evaluate(SIGNING, [], date(2025, 1, 31), today=date(2025, 2, 10))
    assert result.status == c.NOT_REPORTED
    # before it is due: judged on nothing against January's 序时 (8.3%, within 10 points)
    result = evaluate(SIGNING, [], date(2025, 1, 31), today=date(2025, 2, 4))
    assert result.status == c.LAGGING


@pytest.mark.parametrize(
    ("values", "as_of", "required"),
    [
        ({10: "300", 11: "320"}, date(2025, 11, 30), "80"),  # one month left: all of it
        ({11: "380", 12: "400"}, date(2025, 12, 31), "0"),  # reached in the last month
        ({11: "380", 12: "390"}, date(2025, 12, 31), None),  # short, no month left
    ],
)
def test_required_pace_at_the_end_of_the_year(values, as_of, required):
    result = evaluate(SIGNING, monthly(values), as_of)
    assert result.required_pace == (None if required is None else D(required))


def test_assessed_on_its_deadline_day_is_not_yet_overdue():
    result = evaluate(RANKING, [assessed(12, c.ON_TRACK)], date(2025, 12, 31))
    assert result.status == c.ON_TRACK


def test_reference_figures_anywhere_in_the_list_are_skipped():
    items = [
        Scored(c.REFERENCE, D(1), c.BEHIND, D("0.1"), D("0.5")),
        scored(c.LAGGING, "0.45"),
        scored(c.ON_TRACK, "0.55"),
    ]
    result = c.aggregate(items, RULES)
    assert (result.ratio, result.status, result.target_count) == (D("0.5000"), c.LAGGING, 2)


def test_reached_on_restarts_after_a_correction_below_the_target():
    # March's 400 was corrected down in April's year-to-date total; May reached it again.
    result = evaluate(SIGNING, monthly({3: "400", 4: "390", 5: "410"}), date(2025, 5, 31))
    assert (result.status, result.reached_on) == (c.COMPLETED, date(2025, 5, 31))
    result = evaluate(SIGNING, monthly({3: "400", 4: "410"}), date(2025, 4, 30))
    assert (result.status, result.reached_on) == (c.COMPLETED, date(2025, 3, 31))


@pytest.mark.parametrize(
    ("ratio", "expected", "status"),
    [
        ("0.5", "0.5", c.ON_TRACK),
        ("0.6", "0.5", c.ON_TRACK),
        ("0.4", "0.5", c.LAGGING),  # exactly at the tolerance
        ("0.3999", "0.5", c.BEHIND),
        ("0", "0.0833", c.LAGGING),  # January's nothing against 8.3% is not red
    ],
)
def test_status_from_gap_judges_any_ratio_against_its_expected(ratio, expected, status):
    assert c.status_from_gap(D(ratio), D(expected), RULES.tolerance) == status


@pytest.mark.parametrize(
    ("as_of", "actual", "last_period"),
    [
        (date(2025, 1, 31), D(350), date(2025, 1, 1)),
        (date(2025, 6, 30), D(356), date(2025, 6, 1)),
        # a plan figure has no deadline to miss: after it, still only a figure
        (date(2026, 3, 31), D(356), date(2025, 12, 1)),
    ],
)
def test_a_reference_figure_is_shown_not_judged(as_of, actual, last_period):
    spec = TargetSpec(
        kind=c.REFERENCE,
        starts_on=date(2025, 1, 1),
        deadline=date(2025, 12, 31),
        target_value=D(356),
        baseline=D(0),
        derived=True,
    )
    facts = [
        EntryFact(period=date(2025, 1, 1), state=c.APPROVED, value=D(350)),
        EntryFact(period=date(2025, 6, 1), state=c.APPROVED, value=D(356)),
        EntryFact(period=date(2025, 12, 1), state=c.APPROVED, value=D(356)),
    ]
    result = c.evaluate_target(spec, facts, as_of=as_of, today=as_of, rules=RULES)
    assert result.status == c.REFERENCE
    assert (result.ratio, result.expected, result.gap, result.forecast) == (None,) * 4
    assert (result.actual, result.last_period) == (actual, last_period)
    assert c.REFERENCE not in c.STATUSES  # no tally lists it
