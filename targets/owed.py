"""What a target owes: which monthly reports are due from it (DESIGN.md §3), decided
once. Pure: plain values and dates, no ORM, no clock. Used by the completion rules
(targets/completion.py, where a missing due report makes 未报送) and, through the
targets' report adapter, by /report/, /review/missing/, the reminders and the workbook.

- a derived target owes nothing (its figure comes from the project records);
- nothing is owed for the months before the target starts;
- a milestone or an assessed target owes a report every month until a counted report
  says it is done (a done date, or the assessment 已完成) — past its deadline too: an
  unfinished milestone keeps reporting (and shows 逾期未完成, which outranks 未报送);
- the other kinds owe one every month up to their deadline's month.
"""

from collections.abc import Iterable
from datetime import date

# completion imports this module too; only attributes are read here, at call time.
from targets import completion
from targets.periods import month_end, report_due_date


def is_due(*, period: date, today: date, due_day: int) -> bool:
    """Whether ``period``'s report is due by ``today``: from its due day (a day of the
    next month, the plan year's setting) on. On the due day itself it is due: a
    report still missing then is 未报送, and the reminders go out that morning."""
    return report_due_date(period, due_day) <= today


def finished_period(kind: str, counted: Iterable) -> date | None:
    """The first month a milestone (a done date) or an assessed target (已完成) was
    reported done; None otherwise and for the other kinds. ``counted``: its counted
    reports (anything with period, done_on and assessment)."""
    if kind == completion.MILESTONE:
        done = [e.period for e in counted if e.done_on]
    elif kind == completion.ASSESSED:
        done = [e.period for e in counted if e.assessment == completion.ACHIEVED]
    else:
        return None
    return min(done) if done else None


def target_owes(
    *,
    kind: str,
    derived: bool,
    starts_on: date,
    deadline: date,
    period: date,
    finished: date | None,
) -> bool:
    """Whether a report is owed for ``period`` (the first day of a month)."""
    if derived or month_end(period) < starts_on:
        return False
    if finished is not None:
        return period <= finished
    if kind in (completion.MILESTONE, completion.ASSESSED):
        return True  # an unfinished milestone keeps reporting past its deadline
    return period <= deadline


def overdue_unfinished(*, kind: str, deadline: date, period: date, finished: date | None) -> bool:
    """A milestone or assessed target still owing past its deadline: its report is
    owed, and it shows 逾期未完成 (not 未报送) wherever it is listed."""
    return (
        kind in (completion.MILESTONE, completion.ASSESSED)
        and finished is None
        and month_end(period) > deadline
    )


def spec_owes(spec, period: date, counted: Iterable) -> bool:
    """``target_owes`` for a completion.TargetSpec and its counted reports."""
    return target_owes(
        kind=spec.kind,
        derived=spec.derived,
        starts_on=spec.starts_on,
        deadline=spec.deadline,
        period=period,
        finished=finished_period(spec.kind, counted),
    )
