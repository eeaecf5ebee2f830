"""The counting rule (计入口径) and the 未审核 marks, table by table, hand-computed.

Default: submitted figures count provisionally (marked 未审核). Under 仅计入已审核
only approved figures count; a submitted month is still reported (never 未报送), its
figure waits for approval.
"""

from datetime import date
from decimal import Decimal as D

import pytest

from targets import completion as c
from targets.completion import EntryFact, Rules, Scored, TargetSpec

SUBMITTED_RULES = Rules(tolerance=D("0.10"), due_day=5)
APPROVED_RULES = Rules(tolerance=D("0.10"), due_day=5, counting=c.COUNT_APPROVED)

SIGNING = TargetSpec(
    kind=c.CUMULATIVE,
    starts_on=date(2025, 1, 1),
    deadline=date(2025, 12, 31),
    target_value=D(400),
    baseline=D(0),
)
JUNE = date(2025, 6, 30)
# June's report is due 5 July: on 10 July a month without one is 未报送.
AFTER_DUE = date(2025, 7, 10)


def fact(month: int, value: str, state: str) -> EntryFact:
    return EntryFact(period=date(2025, month, 1), value=D(value), state=state)


@pytest.mark.parametrize(
    ("state", "counting", "counts", "provisional", "awaits"),
    [
        (c.SUBMITTED, c.COUNT_SUBMITTED, True, True, False),
        (c.APPROVED, c.COUNT_SUBMITTED, True, False, False),
        (c.SUBMITTED, c.COUNT_APPROVED, False, False, True),
        (c.APPROVED, c.COUNT_APPROVED, True, False, False),
        ("draft", c.COUNT_SUBMITTED, False, False, False),
        ("returned", c.COUNT_SUBMITTED, False, False, False),
        ("draft", c.COUNT_APPROVED, False, False, False),
        ("returned", c.COUNT_APPROVED, False, False, False),
    ],
)
def test_which_reports_count(state, counting, counts, provisional, awaits):
    rules = Rules(counting=counting)
    assert c.counts_toward_figure(state, rules) is counts
    assert c.is_provisional(state, rules) is provisional
    assert c.awaits_review(state, rules) is awaits
    assert c.is_reported(state) is (state in (c.SUBMITTED, c.APPROVED))


# May approved at 150, June submitted at 200 (not yet approved); judged after June's due day.
MAY_APPROVED_JUNE_SUBMITTED = [fact(5, "150", c.APPROVED), fact(6, "200", c.SUBMITTED)]


@pytest.mark.parametrize(
    ("entries", "rules", "actual", "ratio", "status", "last", "provisional", "awaiting"),
    [
        # default: June's submitted 200 counts provisionally: 200/400 = 50% = 序时 6/12
        (
            MAY_APPROVED_JUNE_SUBMITTED,
            SUBMITTED_RULES,
            "200",
            "0.5000",
            c.ON_TRACK,
            6,
            True,
            False,
        ),
        # approved only: May's 150 stands（37.5%, 12.5 points behind 50%：严重滞后），and
        # June is reported, so not 未报送；the June figure waits for approval
        (
            MAY_APPROVED_JUNE_SUBMITTED,
            APPROVED_RULES,
            "150",
            "0.3750",
            c.BEHIND,
            5,
            False,
            True,
        ),
        # once June is approved both rules agree, and nothing is marked
        (
            [fact(5, "150", c.APPROVED), fact(6, "200", c.APPROVED)],
            APPROVED_RULES,
            "200",
            "0.5000",
            c.ON_TRACK,
            6,
            False,
            False,
        ),
        (
            [fact(5, "150", c.APPROVED), fact(6, "200", c.APPROVED)],
            SUBMITTED_RULES,
            "200",
            "0.5000",
            c.ON_TRACK,
            6,
            False,
            False,
        ),
        # approved only, nothing approved yet: no figure (0%), still reported
        (
            [fact(6, "200", c.SUBMITTED)],
            APPROVED_RULES,
            None,
            "0",
            c.BEHIND,
            None,
            False,
            True,
        ),
        # a returned June is not reported under either rule：未报送，May's figure shown
        (
            [fact(5, "150", c.APPROVED), fact(6, "200", "returned")],
            APPROVED_RULES,
            "150",
            "0.3750",
            c.NOT_REPORTED,
            5,
            False,
            False,
        ),
        # an older submitted month under a newer approved one: the shown figure is
        # approved, nothing is provisional
        (
            [fact(5, "150", c.SUBMITTED), fact(6, "200", c.APPROVED)],
            SUBMITTED_RULES,
            "200",
            "0.5000",
            c.ON_TRACK,
            6,
            False,
            False,
        ),
        # ... and under approved only May waits, but June is the latest and counts
        (
            [fact(5, "150", c.SUBMITTED), fact(6, "200", c.APPROVED)],
            APPROVED_RULES,
            "200",
            "0.5000",
            c.ON_TRACK,
            6,
            False,
            False,
        ),
    ],
)
def test_counting_rule_decides_the_figure_never_the_report(
    entries, rules, actual, ratio, status, last, provisional, awaiting
):
    result = c.evaluate_target(SIGNING, entries, as_of=JUNE, today=AFTER_DUE, rules=rules)
    assert (
        result.actual,
        result.ratio,
        result.status,
        result.last_period,
        result.provisional,
        result.awaiting_review,
    ) == (
        None if actual is None else D(actual),
        D(ratio),
        status,
        None if last is None else date(2025, last, 1),
        provisional,
        awaiting,
    )


MILESTONE = TargetSpec(kind=c.MILESTONE, starts_on=date(2025, 1, 1), deadline=date(2025, 6, 30))


def test_a_milestone_reported_done_but_unapproved_owes_no_more_reports():
    # Done on 20 May, submitted, never approved; judged at the end of July after its
    # due day. Default：已完成 (provisionally). Approved only: April's approved 80%
    # stands, the deadline has passed（逾期未完成），and no July report is owed (the
    # May report says it is done), so it is not 未报送 either.
    entries = [
        EntryFact(period=date(2025, 4, 1), percent=D(80), state=c.APPROVED),
        EntryFact(period=date(2025, 5, 1), done_on=date(2025, 5, 20), state=c.SUBMITTED),
    ]
    as_of, today = date(2025, 7, 31), date(2025, 8, 10)
    default = c.evaluate_target(MILESTONE, entries, as_of=as_of, today=today, rules=SUBMITTED_RULES)
    assert (default.status, default.provisional, default.reached_on) == (
        c.COMPLETED,
        True,
        date(2025, 5, 20),
    )
    strict = c.evaluate_target(MILESTONE, entries, as_of=as_of, today=today, rules=APPROVED_RULES)
    assert (strict.status, strict.ratio, strict.provisional, strict.awaiting_review) == (
        c.OVERDUE,
        D("0.8000"),
        False,
        True,
    )


RANKING = TargetSpec(kind=c.ASSESSED, starts_on=date(2025, 1, 1), deadline=date(2025, 12, 31))


@pytest.mark.parametrize(
    ("rules", "status", "provisional", "awaiting"),
    [
        # default: May's submitted 正常推进 stands, marked 未审核
        (SUBMITTED_RULES, c.ON_TRACK, True, False),
        # approved only: April's approved 进度滞后 stands, May's waits; not 未报送
        (APPROVED_RULES, c.LAGGING, False, True),
    ],
)
def test_assessed_under_each_rule(rules, status, provisional, awaiting):
    entries = [
        EntryFact(period=date(2025, 4, 1), assessment=c.LAGGING, state=c.APPROVED),
        EntryFact(period=date(2025, 5, 1), assessment=c.ON_TRACK, state=c.SUBMITTED),
    ]
    result = c.evaluate_target(
        RANKING, entries, as_of=date(2025, 5, 31), today=date(2025, 6, 10), rules=rules
    )
    assert (result.status, result.provisional, result.awaiting_review) == (
        status,
        provisional,
        awaiting,
    )


def test_a_reference_figure_from_unreviewed_records_is_provisional():
    spec = TargetSpec(kind=c.REFERENCE, starts_on=date(2025, 1, 1), deadline=date(2025, 12, 31))
    result = c.evaluate_target(
        spec, [fact(6, "356", c.SUBMITTED)], as_of=JUNE, today=AFTER_DUE, rules=SUBMITTED_RULES
    )
    assert (result.status, result.actual, result.provisional) == (c.REFERENCE, D(356), True)


def test_aggregate_counts_the_unreviewed_figures():
    items = [
        Scored(c.CUMULATIVE, D(1), c.ON_TRACK, D("0.5"), D("0.5"), provisional=True),
        Scored(c.CUMULATIVE, D(1), c.ON_TRACK, D("0.5"), D("0.5")),
        Scored(c.ASSESSED, D(1), c.ON_TRACK, None, None, provisional=True),
        Scored(c.MILESTONE, D(1), c.LAGGING, D("0.4"), D("0.5"), awaiting_review=True),
        # a plan figure is in no tally, but its figure is shown: counted here
        Scored(c.REFERENCE, D(1), c.REFERENCE, None, None, provisional=True),
    ]
    result = c.aggregate(items, SUBMITTED_RULES)
    assert (result.provisional_count, result.awaiting_count, result.target_count) == (3, 1, 4)
    assert result.ratio == D("0.4667")  # (0.5 + 0.5 + 0.4) / 3: the marks change no mean
