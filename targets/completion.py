"""The completion rules (DESIGN.md §3) as pure functions.

Inputs are plain dataclasses, ``Decimal`` and dates; nothing here touches the ORM or
reads the clock. ``as_of`` is the last day of the reporting month being judged and
``today`` the day the judgement is made (it decides which monthly reports are due).
Every degenerate definition (target equal to baseline, deadline before start, no
entries) gives a defined result, never an exception.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from targets import owed
from targets.periods import (
    add_months,
    month_end,
    month_index,
    month_start,
    months_inclusive,
)

# Target kinds.
CUMULATIVE = "cumulative"
LEVEL = "level"
CEILING = "ceiling"
MILESTONE = "milestone"
ASSESSED = "assessed"
# A figure the report states about the plan itself (规模指标): never averaged or tallied.
# It is also its own status: a plan figure is neither done nor behind, only shown beside
# what the register holds (targets/reconcile.py).
REFERENCE = "reference"
KINDS = (CUMULATIVE, LEVEL, CEILING, MILESTONE, ASSESSED, REFERENCE)
# Kinds whose 序时进度 grows with time; a level target expects its full level throughout.
TIME_PROPORTIONAL_KINDS = (CUMULATIVE, CEILING, MILESTONE)
# Kinds that must *hold* a level: reaching it early is not completing it; the report for
# the deadline month decides (动态清零 must still be zero in December).
HOLDING_KINDS = (LEVEL, CEILING)

INCREASE = "increase"
DECREASE = "decrease"

# Statuses, most urgent first (the order tallies and lists use).
BEHIND = "behind"
OVERDUE = "overdue"
LAGGING = "lagging"
NOT_REPORTED = "not_reported"
ON_TRACK = "on_track"
COMPLETED_LATE = "completed_late"
COMPLETED = "completed"
NOT_STARTED = "not_started"
STATUSES = (
    BEHIND,
    OVERDUE,
    LAGGING,
    NOT_REPORTED,
    ON_TRACK,
    COMPLETED_LATE,
    COMPLETED,
    NOT_STARTED,
)
DONE_STATUSES = (COMPLETED, COMPLETED_LATE)
ATTENTION_STATUSES = (BEHIND, OVERDUE)
# Short of red but still trouble: a group with any of these is at best 进度滞后.
WARNING_STATUSES = (LAGGING, NOT_REPORTED)

# Assessments for `assessed` targets (besides the status codes on_track, lagging, behind).
ACHIEVED = "achieved"
ASSESSMENTS = (ACHIEVED, ON_TRACK, LAGGING, BEHIND)

# Entry states that count; drafts and returned entries do not. A submitted entry is
# *reported* whatever the plan year's counting rule; whether its figure counts is
# ``counts_toward_figure``'s to say.
SUBMITTED = "submitted"
APPROVED = "approved"
COUNTED_STATES = (SUBMITTED, APPROVED)

# The plan year's counting rule（计入口径）：submitted figures count provisionally
# (the default), or only approved ones count.
COUNT_SUBMITTED = "submitted"
COUNT_APPROVED = "approved"
COUNTING_RULES = (COUNT_SUBMITTED, COUNT_APPROVED)

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
PLACES = Decimal("0.0001")


def q(value: Decimal) -> Decimal:
    """Round to the stored precision (4 places): what is shown is what is compared."""
    return value.quantize(PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Rules:
    """A plan year's settings: tolerance as a ratio (0.10 = 10 points), report due day."""

    tolerance: Decimal = Decimal("0.10")
    due_day: int = 5
    counting: str = COUNT_SUBMITTED


# --- which reports count（计入口径） ------------------------------------------------------


def is_reported(state: str) -> bool:
    """Whether a report is in: submitted or approved, whatever the counting rule. A
    month with one is never 未报送 (a slow review never makes a department late)."""
    return state in COUNTED_STATES


def counted_states(rules: Rules) -> tuple[str, ...]:
    """The states whose figures count toward a target's value under ``rules``."""
    return (APPROVED,) if rules.counting == COUNT_APPROVED else COUNTED_STATES


def counts_toward_figure(state: str, rules: Rules) -> bool:
    """Whether a report's figure counts: submitted or approved by default (submitted
    ones provisionally), approved only under 仅计入已审核."""
    return state in counted_states(rules)


def is_provisional(state: str, rules: Rules) -> bool:
    """A figure that counts but is not yet approved: shown marked 未审核."""
    return counts_toward_figure(state, rules) and state != APPROVED


def awaits_review(state: str, rules: Rules) -> bool:
    """A report that is in but whose figure waits for approval (仅计入已审核)."""
    return is_reported(state) and not counts_toward_figure(state, rules)


@dataclass(frozen=True)
class TargetSpec:
    kind: str
    starts_on: date
    deadline: date
    target_value: Decimal | None = None
    baseline: Decimal | None = None
    direction: str = INCREASE
    weight: Decimal = ONE
    derived: bool = False


@dataclass(frozen=True)
class EntryFact:
    """One month's report. ``value`` is the 1–N月 total for cumulative targets."""

    period: date
    state: str = SUBMITTED
    value: Decimal | None = None
    percent: Decimal | None = None
    done_on: date | None = None
    assessment: str | None = None


@dataclass(frozen=True)
class TargetResult:
    status: str
    ratio: Decimal | None
    expected: Decimal | None
    actual: Decimal | None = None
    last_period: date | None = None
    reached_on: date | None = None
    forecast: Decimal | None = None
    pace: Decimal | None = None
    required_pace: Decimal | None = None
    # The figure shown rests on a report not yet approved（未审核）.
    provisional: bool = False
    # A newer report is in but waits for approval before its figure counts.
    awaiting_review: bool = False

    @property
    def gap(self) -> Decimal | None:
        """Percentage points (as a ratio) behind 序时; negative when ahead."""
        if self.ratio is None or self.expected is None:
            return None
        return self.expected - self.ratio


@dataclass(frozen=True)
class Scored:
    """One target's computed month, as the programme aggregation needs it."""

    kind: str
    weight: Decimal
    status: str
    ratio: Decimal | None
    expected: Decimal | None
    provisional: bool = False
    awaiting_review: bool = False


@dataclass(frozen=True)
class AggregateResult:
    ratio: Decimal | None
    expected: Decimal | None
    status: str
    counts: dict[str, int]
    target_count: int
    # How many of the group's figures rest on unapproved reports（含 N 项未审核数据），
    # and how many wait for approval before they count.
    provisional_count: int = 0
    awaiting_count: int = 0


def expected_progress(spec: TargetSpec, as_of: date) -> Decimal | None:
    """序时进度: months elapsed since the start over months from start to deadline."""
    if spec.kind in (ASSESSED, REFERENCE):
        return None
    if as_of < spec.starts_on:
        return ZERO
    if spec.kind == LEVEL:
        return ONE
    total = months_inclusive(spec.starts_on, spec.deadline)
    if total == 0:  # deadline before start: everything is due at once
        return ONE
    elapsed = months_inclusive(spec.starts_on, as_of)
    return q(min(ONE, Decimal(elapsed) / Decimal(total)))


def _meets(value: Decimal, target: Decimal, direction: str) -> bool:
    return value >= target if direction == INCREASE else value <= target


def ratio_of(spec: TargetSpec, fact: EntryFact | None) -> Decimal | None:
    """The completion ratio one report gives, floored at 0 (not capped: 1.1 = 110%)."""
    if spec.kind in (ASSESSED, REFERENCE):
        return None
    if fact is None:
        return ZERO
    if spec.kind == MILESTONE:
        if fact.done_on is not None:
            return ONE
        return q(max(ZERO, (fact.percent or ZERO) / HUNDRED))
    value, target = fact.value, spec.target_value
    if value is None or target is None:
        return ZERO
    baseline = spec.baseline if spec.baseline is not None else ZERO
    if spec.kind == CUMULATIVE:
        if target == baseline:
            return ONE if _meets(value, target, spec.direction) else ZERO
        ratio = (value - baseline) / (target - baseline)
    elif spec.kind == LEVEL:
        if spec.direction == DECREASE:
            # value > target >= 0 past this line, so value is never 0
            return ONE if value <= target else q(target / value)
        if target <= ZERO:
            return ONE if value >= target else ZERO
        ratio = value / target
    else:  # CEILING: the count must come down to the target
        if value <= target:
            return ONE
        if spec.baseline is None or spec.baseline <= target:
            return ZERO
        ratio = (spec.baseline - value) / (spec.baseline - target)
    return q(max(ZERO, ratio))


def _actual(spec: TargetSpec, fact: EntryFact | None) -> Decimal | None:
    if fact is None:
        return None
    if spec.kind == MILESTONE:
        return HUNDRED if fact.done_on is not None else fact.percent
    return fact.value


def _reached_on(spec: TargetSpec, facts: Sequence[EntryFact]) -> date | None:
    """When the latest unbroken run of complete reports began (None if the latest is short)."""
    reached = None
    for fact in facts:
        if (ratio_of(spec, fact) or ZERO) >= ONE:
            if reached is None:
                done_on = fact.done_on if spec.kind == MILESTONE else None
                reached = done_on or month_end(fact.period)
        else:
            reached = None
    return reached


def _held_at_deadline(spec: TargetSpec, facts: Sequence[EntryFact]) -> tuple[str, date] | None:
    """Level and ceiling: (status, date) once a report for the deadline month or later
    holds the level; None before that. The deadline month's own report completes it on
    time; a later one completes it late."""
    closing = month_start(spec.deadline)
    for fact in facts:
        if fact.period >= closing and (ratio_of(spec, fact) or ZERO) >= ONE:
            if fact.period == closing:
                return COMPLETED, spec.deadline
            return COMPLETED_LATE, month_end(fact.period)
    return None


def report_due_period(spec: TargetSpec, as_of: date, today: date, due_day: int) -> date | None:
    """The latest month up to ``as_of`` whose report was due by ``today``."""
    first = month_start(spec.starts_on)
    period = month_start(as_of)
    while period >= first:
        if owed.is_due(period=period, today=today, due_day=due_day):
            return period
        period = add_months(period, -1)
    return None


def _forecast(
    spec: TargetSpec, facts: Sequence[EntryFact]
) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """(forecast at the deadline, recent monthly pace, monthly pace still required)."""
    points = [(f.period, f.value) for f in facts if f.value is not None]
    if spec.kind != CUMULATIVE or not points or spec.target_value is None:
        return None, None, None
    last_period, last_value = points[-1]
    remaining = month_index(spec.deadline) - month_index(last_period)
    if last_value >= spec.target_value:
        required = ZERO
    elif remaining > 0:
        required = q((spec.target_value - last_value) / remaining)
    else:
        required = None
    if len(points) < 2:
        return None, None, required
    window_start = add_months(last_period, -3)
    ref_period, ref_value = next(p for p in points if p[0] >= window_start)
    if ref_period == last_period:  # nothing else within three months
        ref_period, ref_value = points[-2]
    pace = (last_value - ref_value) / (month_index(last_period) - month_index(ref_period))
    forecast = last_value + pace * max(0, remaining)
    return q(forecast), q(pace), required


def _status_from_gap(ratio: Decimal, expected: Decimal, tolerance: Decimal) -> str:
    gap = expected - ratio
    if gap <= ZERO:
        return ON_TRACK
    if gap <= tolerance:
        return LAGGING
    return BEHIND


# A ratio against 序时 with the tolerance, for a figure that is no target's own (the
# overview heatmap colours a programme's average by it).
status_from_gap = _status_from_gap


def evaluate_target(
    spec: TargetSpec,
    entries: Iterable[EntryFact],
    *,
    as_of: date,
    today: date,
    rules: Rules,
) -> TargetResult:
    """Judge one target at the end of a reporting month.

    Precedence: not started; complete (on time or late); past the deadline; the due
    report missing; then the ratio against 序时 with the tolerance.
    """
    expected = expected_progress(spec, as_of)
    if as_of < spec.starts_on and spec.kind != REFERENCE:
        return TargetResult(NOT_STARTED, ratio=None, expected=expected)

    first, period = month_start(spec.starts_on), month_start(as_of)
    in_range = sorted((e for e in entries if first <= e.period <= period), key=lambda e: e.period)
    # Reported: in, whatever the counting rule（it decides 未报送）. Counted: the
    # reports whose figures the value is made of（the plan year's 计入口径）.
    reported = [e for e in in_range if is_reported(e.state)]
    counted = [e for e in reported if counts_toward_figure(e.state, rules)]
    marks = {"awaiting_review": bool(reported) and awaits_review(reported[-1].state, rules)}
    if spec.kind == REFERENCE:
        # A plan figure: the month's value is what the register holds, with no ratio,
        # no 序时 and no status of progress.
        latest = counted[-1] if counted else None
        return TargetResult(
            REFERENCE,
            ratio=None,
            expected=None,
            actual=latest.value if latest else None,
            last_period=latest.period if latest else None,
            provisional=latest is not None and is_provisional(latest.state, rules),
            **marks,
        )
    due = report_due_period(spec, as_of, today, rules.due_day)
    # Whether that month's report is owed at all is targets/owed.py's rule, the one
    # every page uses. A report waiting for approval is in: never 未报送.
    report_missing = (
        due is not None
        and owed.spec_owes(spec, due, reported)
        and all(e.period != due for e in reported)
    )

    if spec.kind == ASSESSED:
        assessed = [e for e in counted if e.assessment]
        marks["provisional"] = bool(assessed) and is_provisional(assessed[-1].state, rules)
        return _evaluate_assessed(spec, counted, as_of, expected, report_missing, marks)
    if spec.kind == CEILING and spec.baseline is None:
        # No starting count entered: the year's first report is the best one known.
        first = next((e.value for e in counted if e.value is not None), None)
        spec = replace(spec, baseline=first)

    latest = counted[-1] if counted else None
    ratio = ratio_of(spec, latest)
    forecast, pace, required = _forecast(spec, counted)
    result = {
        "ratio": ratio,
        "expected": expected,
        "actual": _actual(spec, latest),
        "last_period": latest.period if latest else None,
        "forecast": forecast,
        "pace": pace,
        "required_pace": required,
        "provisional": latest is not None and is_provisional(latest.state, rules),
        **marks,
    }
    if spec.kind in HOLDING_KINDS:
        # At the level before the deadline month is on track (当前已达标), not done.
        held = _held_at_deadline(spec, counted)
        if held is not None:
            status, reached_on = held
            return TargetResult(status, reached_on=reached_on, **result)
    elif ratio >= ONE:
        reached_on = _reached_on(spec, counted)
        status = COMPLETED if reached_on <= spec.deadline else COMPLETED_LATE
        return TargetResult(status, reached_on=reached_on, **result)
    if as_of > spec.deadline:
        return TargetResult(OVERDUE, **result)
    if report_missing:
        return TargetResult(NOT_REPORTED, **result)
    return TargetResult(_status_from_gap(ratio, expected, rules.tolerance), **result)


def _evaluate_assessed(
    spec: TargetSpec,
    counted: Sequence[EntryFact],
    as_of: date,
    expected: Decimal | None,
    report_missing: bool,
    marks: dict[str, bool],
) -> TargetResult:
    """Status comes from the latest counted assessment: a newer submitted one stands
    (provisionally, until approved) over an older approved one, as a newer figure does
    for every other kind, so a department can report an improvement."""
    assessed = [e for e in counted if e.assessment]
    latest = assessed[-1] if assessed else None
    base = {
        "ratio": None,
        "expected": expected,
        "last_period": latest.period if latest else None,
        **marks,
    }
    if latest is not None and latest.assessment == ACHIEVED:
        reached_on = month_end(latest.period)
        status = COMPLETED if reached_on <= spec.deadline else COMPLETED_LATE
        return TargetResult(status, reached_on=reached_on, **base)
    if as_of > spec.deadline:
        return TargetResult(OVERDUE, **base)
    if latest is None or report_missing:
        return TargetResult(NOT_REPORTED, **base)
    return TargetResult(latest.assessment, **base)


def aggregate(items: Iterable[Scored], rules: Rules) -> AggregateResult:
    """A programme's (or the year's) figures. Its status comes from its targets'
    statuses (``rolled_up_status``), never from the mean, so one red target is never
    averaged away. Its average completion (平均完成率) is the weighted mean of its
    targets' ratios, each capped at 1; assessed and not-yet-started targets are tallied
    by status but left out of the mean; reference figures are in neither. ``rules`` is
    kept for the callers: the tolerance now judges targets only, never a group."""
    counts = dict.fromkeys(STATUSES, 0)
    weight_sum = ratio_sum = expected_sum = ZERO
    provisional = awaiting = 0
    for item in items:
        # Every figure shown counts here, plan figures too: "含 N 项未审核数据".
        provisional += item.provisional
        awaiting += item.awaiting_review
        if item.kind == REFERENCE:
            continue
        counts[item.status] += 1
        if item.kind == ASSESSED or item.ratio is None or item.expected is None:
            continue
        weight_sum += item.weight
        ratio_sum += item.weight * min(item.ratio, ONE)
        expected_sum += item.weight * item.expected
    target_count = sum(counts.values())
    status = rolled_up_status(counts)
    marks = {"provisional_count": provisional, "awaiting_count": awaiting}
    if weight_sum == ZERO:
        return AggregateResult(None, None, status, counts, target_count, **marks)
    ratio, expected = q(ratio_sum / weight_sum), q(expected_sum / weight_sum)
    return AggregateResult(ratio, expected, status, counts, target_count, **marks)


def rolled_up_status(counts: dict[str, int]) -> str:
    """A group's status from its targets' (DESIGN.md §3, roll-up never hides trouble):
    any 严重滞后 or 逾期未完成 → 严重滞后; else any 进度滞后 or 未报送 → 进度滞后; else
    all done → 已完成; nothing started yet → 未开始; else 正常推进."""
    present = [status for status in STATUSES if counts.get(status)]
    if not present:
        return NOT_STARTED
    if any(status in ATTENTION_STATUSES for status in present):
        return BEHIND
    if any(status in WARNING_STATUSES for status in present):
        return LAGGING
    if all(status in DONE_STATUSES for status in present):
        return COMPLETED
    if present == [NOT_STARTED]:
        return NOT_STARTED
    return ON_TRACK
