"""Properties of the rules over generated definitions and reports (hypothesis)."""

from datetime import date, timedelta
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from targets import completion as c
from targets.completion import EntryFact, Rules, TargetSpec

amounts = st.decimals(
    min_value=0, max_value=10_000, places=2, allow_nan=False, allow_infinity=False
)
days = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 6, 30))
rules = st.builds(
    Rules, tolerance=st.decimals(min_value=0, max_value=1, places=2), due_day=st.integers(1, 28)
)


@st.composite
def quantified_specs(draw):
    kind = draw(st.sampled_from([c.CUMULATIVE, c.LEVEL, c.CEILING]))
    start = draw(st.dates(min_value=date(2025, 1, 1), max_value=date(2025, 12, 31)))
    deadline = start + timedelta(days=draw(st.integers(0, 400)))
    baseline, target = draw(st.one_of(st.none(), amounts)), draw(amounts)
    if kind == c.CEILING:
        direction = c.DECREASE
    elif kind == c.CUMULATIVE:
        # A cumulative target's direction is that of target − baseline (the model
        # refuses a definition where they disagree).
        direction = c.INCREASE if target >= (baseline or 0) else c.DECREASE
    else:
        direction = draw(st.sampled_from([c.INCREASE, c.DECREASE]))
    return TargetSpec(
        kind=kind,
        starts_on=start,
        deadline=deadline,
        target_value=target,
        baseline=baseline,
        direction=direction,
    )


@given(spec=quantified_specs(), low=amounts, high=amounts)
def test_ratio_moves_monotonically_with_the_value_in_the_targets_direction(spec, low, high):
    low, high = min(low, high), max(low, high)
    ratio_low = c.ratio_of(spec, EntryFact(period=date(2025, 1, 1), value=low))
    ratio_high = c.ratio_of(spec, EntryFact(period=date(2025, 1, 1), value=high))
    if spec.direction == c.INCREASE:
        assert ratio_low <= ratio_high
    else:
        assert ratio_low >= ratio_high


@st.composite
def reports(draw):
    facts = []
    for month in sorted(draw(st.sets(st.integers(1, 12), max_size=8))):
        facts.append(
            EntryFact(
                period=date(2025, month, 1),
                state=draw(st.sampled_from(["draft", "returned", c.SUBMITTED, c.APPROVED])),
                value=draw(amounts),
                percent=draw(st.decimals(min_value=0, max_value=100, places=2)),
                done_on=draw(st.one_of(st.none(), days)),
                assessment=draw(st.sampled_from([None, *c.ASSESSMENTS])),
            )
        )
    return facts


@st.composite
def any_specs(draw):
    kind = draw(st.sampled_from(c.KINDS))
    if kind in (c.MILESTONE, c.ASSESSED):
        start = draw(st.dates(min_value=date(2025, 1, 1), max_value=date(2025, 12, 31)))
        return TargetSpec(
            kind=kind,
            starts_on=start,
            deadline=start + timedelta(days=draw(st.integers(0, 400))),
            derived=draw(st.booleans()),
        )
    return draw(quantified_specs())


@settings(max_examples=300)
@given(spec=any_specs(), entries=reports(), as_of=days, lag=st.integers(0, 90), rules=rules)
def test_statuses_never_contradict_ratios(spec, entries, as_of, lag, rules):
    result = c.evaluate_target(
        spec, entries, as_of=as_of, today=as_of + timedelta(days=lag), rules=rules
    )
    assert result.status in c.STATUSES
    if result.status == c.NOT_STARTED:
        assert as_of < spec.starts_on
        return
    if spec.kind == c.ASSESSED:
        assert result.ratio is None
        return
    assert result.ratio is not None and result.ratio >= 0
    assert 0 <= result.expected <= 1
    gap = result.expected - result.ratio
    if result.status in c.DONE_STATUSES:
        assert (result.reached_on <= spec.deadline) == (result.status == c.COMPLETED)
    if spec.kind in c.HOLDING_KINDS:
        # Done only once the deadline month's (or a later) report holds the level; at
        # the level earlier is on track, or not reported, or overdue if none came.
        if result.status not in c.DONE_STATUSES and result.ratio >= 1:
            assert result.status in (c.ON_TRACK, c.NOT_REPORTED, c.OVERDUE)
    elif result.status in c.DONE_STATUSES:
        assert result.ratio >= 1
    else:
        assert result.ratio < 1
    if result.status == c.OVERDUE:
        assert as_of > spec.deadline
    if result.status == c.ON_TRACK:
        assert gap <= 0
    if result.status == c.LAGGING:
        assert 0 < gap <= rules.tolerance
    if result.status == c.BEHIND:
        assert gap > rules.tolerance
    if result.status == c.NOT_REPORTED:
        assert not spec.derived


@given(spec=any_specs(), entries=reports(), as_of=days, rules=rules)
def test_order_of_entries_does_not_matter(spec, entries, as_of, rules):
    forward = c.evaluate_target(spec, entries, as_of=as_of, today=as_of, rules=rules)
    backward = c.evaluate_target(spec, entries[::-1], as_of=as_of, today=as_of, rules=rules)
    assert forward == backward


@given(
    values=st.lists(
        st.tuples(
            st.sampled_from(c.KINDS),
            st.decimals(0, 10, places=2),
            st.decimals(0, 2, places=4),
            st.decimals(0, 1, places=4),
        ),
        max_size=12,
    )
)
def test_aggregate_ratio_stays_within_zero_and_one(values):
    items = [
        c.Scored(kind, weight, c.ON_TRACK, ratio, expected)
        for kind, weight, ratio, expected in values
    ]
    result = c.aggregate(items, Rules())
    # reference figures（规模指标） are in no count
    assert result.target_count == sum(kind != c.REFERENCE for kind, *_ in values)
    assert result.ratio is None or D(0) <= result.ratio <= D(1)
