"""Timeliness of a monthly report (DESIGN.md §3), decided once. Pure: plain dates, no
ORM, no clock.

A report is judged by the day it was FIRST submitted (the entry's
``first_submitted_at``, kept for good) against its due date (the plan year's due day
of the next month, targets.periods.report_due_date):

- 按时: first submitted on or before the due date;
- 迟报 N 天: first submitted N days after it (a late report stays late, even once
  it is in, returned and resubmitted);
- 漏报: not submitted yet and the due date has passed (as of ``today``);
- 未到期: not submitted yet, but still due by ``today`` or later: nothing to judge.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

ON_TIME = "on_time"
LATE = "late"
MISSING = "missing"
PENDING = "pending"

LABELS = {ON_TIME: "按时", LATE: "迟报", MISSING: "漏报", PENDING: "未到期"}


@dataclass(frozen=True)
class Timeliness:
    code: str
    days_late: int = 0  # for 迟报 only

    @property
    def label(self) -> str:
        if self.code == LATE:
            return f"迟报 {self.days_late} 天"
        return LABELS[self.code]


def first_late_day(due_on: date) -> date:
    """The first day on which a first submission is 迟报 (what ``classify`` says, for
    a query that selects the late ones)."""
    return due_on + timedelta(days=1)


def classify(*, first_submitted_on: date | None, due_on: date, today: date) -> Timeliness:
    """``first_submitted_on``: the local day of the first submission (None: never)."""
    if first_submitted_on is None:
        return Timeliness(MISSING if today > due_on else PENDING)
    late = (first_submitted_on - due_on).days
    return Timeliness(LATE, late) if late > 0 else Timeliness(ON_TIME)


def on_time_rate(*, on_time: int, late: int, missing: int) -> Decimal | None:
    """按时率: the share of reports judged (按时, 迟报, 漏报) that came in on time;
    None when nothing is judged yet (a month not yet due)."""
    judged = on_time + late + missing
    return Decimal(on_time) / Decimal(judged) if judged else None
