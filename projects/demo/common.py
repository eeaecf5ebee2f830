"""What every part of the demo shares: the password, the day it is set on, the
seed, and two small helpers."""

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

DEMO_PASSWORD = "Zhongyuan@2025"
DEMO_TODAY = date(2025, 11, 20)
SEED = 2025
TZ = ZoneInfo("Asia/Shanghai")
CENT = Decimal("0.01")


def at(day: date, hour: int = 16) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=TZ)


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
