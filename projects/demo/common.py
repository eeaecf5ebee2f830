"""What every part of the demo shares: the password, the day it is set on, the
seed, and two small helpers."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from targets.periods import report_due_date

DEMO_PASSWORD = "Zhongyuan@2025"
DEMO_TODAY = date(2025, 11, 20)
SEED = 2025
TZ = ZoneInfo("Asia/Shanghai")
CENT = Decimal("0.01")


def at(day: date, hour: int = 16) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=TZ)


# Each department's habit: punctual, late now and then, or often late (one month in
# how many), so the timeliness page has departments to rank.
LATE_EVERY = (None, 4, 2)


def submitted_on(period: date, due_day: int, department: str) -> date:
    """The day the demo's report of ``period`` by ``department`` (its code) was first
    submitted: two days before the due date, or 3 to 6 days after it in the months
    the department's habit makes it late. The same every time the demo is loaded."""
    due = report_due_date(period, due_day)
    every = LATE_EVERY[sum(map(ord, department)) % len(LATE_EVERY)]
    if every and period.month % every == 0:
        return due + timedelta(days=3 + period.month % 4)
    return due - timedelta(days=2)


def spread(total: Decimal, weights: list[float]) -> list[Decimal]:
    """Split ``total`` in proportion to ``weights`` into cents that add up exactly
    (largest remainders get the odd cents; no part is negative)."""
    cents = int((total / CENT).to_integral_value())
    scale = sum(weights)
    raw = [cents * w / scale for w in weights]
    parts = [int(r) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in by_remainder[: cents - sum(parts)]:
        parts[i] += 1
    return [Decimal(p) * CENT for p in parts]
