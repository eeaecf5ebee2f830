"""The timeliness rule (workflow/timeliness.py): a hand-written table, no database."""

from datetime import date
from decimal import Decimal as D

import pytest

from workflow.timeliness import LATE, MISSING, ON_TIME, PENDING, Timeliness, classify, on_time_rate

DUE = date(2025, 11, 5)  # October's report, due day 5


@pytest.mark.parametrize(
    ("first_submitted_on", "today", "expected", "label"),
    [
        # on time: before the due date, and on the due day itself
        (date(2025, 11, 3), date(2025, 11, 20), Timeliness(ON_TIME), "按时"),
        (date(2025, 11, 5), date(2025, 11, 20), Timeliness(ON_TIME), "按时"),
        (date(2025, 10, 31), date(2025, 10, 31), Timeliness(ON_TIME), "按时"),
        # 3 days late, and one: judged by the first submission, whatever today is
        (date(2025, 11, 8), date(2025, 11, 8), Timeliness(LATE, 3), "迟报 3 天"),
        (date(2025, 11, 8), date(2026, 3, 1), Timeliness(LATE, 3), "迟报 3 天"),
        (date(2025, 11, 6), date(2025, 11, 20), Timeliness(LATE, 1), "迟报 1 天"),
        # still missing after the due date
        (None, date(2025, 11, 6), Timeliness(MISSING), "漏报"),
        (None, date(2026, 1, 10), Timeliness(MISSING), "漏报"),
        # not in yet, but not due yet (the due day itself still counts as in time)
        (None, date(2025, 11, 5), Timeliness(PENDING), "未到期"),
        (None, date(2025, 10, 20), Timeliness(PENDING), "未到期"),
    ],
)
def test_classify(first_submitted_on, today, expected, label):
    verdict = classify(first_submitted_on=first_submitted_on, due_on=DUE, today=today)
    assert verdict == expected
    assert verdict.label == label


@pytest.mark.parametrize(
    ("on_time", "late", "missing", "rate"),
    [
        (2, 2, 2, D(1) / D(3)),
        (1, 0, 1, D("0.5")),
        (3, 0, 0, D(1)),
        (0, 1, 0, D(0)),
        (0, 0, 0, None),  # nothing judged yet: no rate, not 0%
    ],
)
def test_on_time_rate(on_time, late, missing, rate):
    assert on_time_rate(on_time=on_time, late=late, missing=missing) == rate
