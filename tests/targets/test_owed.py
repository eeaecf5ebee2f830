"""What a target owes (targets/owed.py): tables, no database."""

from dataclasses import dataclass
from datetime import date

import pytest

from targets import completion as c
from targets.owed import finished_period, is_due, overdue_unfinished, target_owes

START, DEADLINE = date(2025, 1, 1), date(2025, 9, 30)


@dataclass(frozen=True)
class Report:
    period: date
    done_on: date | None = None
    assessment: str = ""


def month(n: int) -> date:
    return date(2025, n, 1)


@pytest.mark.parametrize(
    ("kind", "counted", "finished"),
    [
        (c.MILESTONE, [], None),
        (c.MILESTONE, [Report(month(2)), Report(month(3), done_on=date(2025, 3, 20))], month(3)),
        (c.MILESTONE, [Report(month(4), done_on=date(2025, 4, 2)), Report(month(5))], month(4)),
        (c.ASSESSED, [Report(month(2), assessment=c.ON_TRACK)], None),
        (c.ASSESSED, [Report(month(6), assessment=c.ACHIEVED)], month(6)),
        # the other kinds are never "finished": they report to their deadline
        (c.CUMULATIVE, [Report(month(3), done_on=date(2025, 3, 1))], None),
    ],
)
def test_finished_period(kind, counted, finished):
    assert finished_period(kind, counted) == finished


@pytest.mark.parametrize(
    ("kind", "derived", "starts_on", "period", "finished", "owes"),
    [
        # not yet started: nothing owed before the start month
        (c.CUMULATIVE, False, date(2025, 4, 1), month(3), None, False),
        (c.CUMULATIVE, False, date(2025, 4, 15), month(4), None, True),
        # derived figures come from the project records
        (c.CUMULATIVE, True, START, month(3), None, False),
        # up to the deadline's month, not after
        (c.CUMULATIVE, False, START, month(9), None, True),
        (c.CUMULATIVE, False, START, month(10), None, False),
        (c.LEVEL, False, START, month(10), None, False),
        (c.CEILING, False, START, month(9), None, True),
        # a milestone past its deadline and unfinished still owes its report
        (c.MILESTONE, False, START, month(11), None, True),
        (c.ASSESSED, False, START, month(12), None, True),
        # done in March: March is owed, April no more
        (c.MILESTONE, False, START, month(3), month(3), True),
        (c.MILESTONE, False, START, month(4), month(3), False),
        (c.ASSESSED, False, START, month(7), month(6), False),
    ],
)
def test_target_owes(kind, derived, starts_on, period, finished, owes):
    result = target_owes(
        kind=kind,
        derived=derived,
        starts_on=starts_on,
        deadline=DEADLINE,
        period=period,
        finished=finished,
    )
    assert result is owes


@pytest.mark.parametrize(
    ("kind", "period", "finished", "overdue"),
    [
        (c.MILESTONE, month(9), None, False),  # the deadline's month itself
        (c.MILESTONE, month(10), None, True),
        (c.MILESTONE, month(10), month(8), False),
        (c.ASSESSED, month(10), None, True),
        (c.CUMULATIVE, month(10), None, False),  # it owes nothing then
    ],
)
def test_overdue_unfinished(kind, period, finished, overdue):
    assert (
        overdue_unfinished(kind=kind, deadline=DEADLINE, period=period, finished=finished)
        is overdue
    )


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2025, 7, 4), False),  # the day before the due day
        (date(2025, 7, 5), True),  # the due day itself: due (and 未报送 if missing)
        (date(2025, 7, 6), True),
        (date(2025, 6, 30), False),  # within the month itself
    ],
)
def test_june_is_due_from_the_due_day(today, due):
    assert is_due(period=month(6), today=today, due_day=5) is due


def test_completion_says_overdue_not_unreported_for_an_unfinished_milestone_past_deadline():
    spec = c.TargetSpec(kind=c.MILESTONE, starts_on=START, deadline=DEADLINE)
    facts = [c.EntryFact(period=month(9), percent=c.HUNDRED / 2)]
    result = c.evaluate_target(
        spec, facts, as_of=date(2025, 10, 31), today=date(2025, 11, 20), rules=c.Rules()
    )
    assert result.status == c.OVERDUE
