"""Month arithmetic for reporting periods. Pure: no clock, no ORM.

A reporting period is the first day of a month; ``as_of`` is the last day of one.
"""

import calendar
from datetime import date


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def month_index(day: date) -> int:
    """Months since year 0, so that differences count calendar months."""
    return day.year * 12 + day.month - 1


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after the month of ``day``."""
    index = month_index(day) + months
    return date(index // 12, index % 12 + 1, 1)


def months_inclusive(start: date, end: date) -> int:
    """Calendar months from the month of ``start`` to the month of ``end``, both counted.

    0 when ``end`` falls in a month before ``start``.
    """
    return max(0, month_index(end) - month_index(start) + 1)


def months_between(start: date, end: date) -> list[date]:
    """First days of every month from the month of ``start`` to the month of ``end``."""
    return [add_months(start, i) for i in range(months_inclusive(start, end))]


def report_due_date(period: date, due_day: int) -> date:
    """The day a month's report is due: ``due_day`` of the following month."""
    following = add_months(period, 1)
    return following.replace(
        day=min(due_day, calendar.monthrange(following.year, following.month)[1])
    )


def last_closed_month(today: date) -> date:
    """The latest month that has ended by ``today`` (its first day)."""
    return add_months(today, -1)


def parse_period(text: str) -> date:
    """Parse ``YYYY-MM`` (as used in URLs and forms) into a period. Raises ValueError."""
    year, month = text.split("-")
    return date(int(year), int(month), 1)


def format_period(period: date) -> str:
    return f"{period.year:04d}-{period.month:02d}"
