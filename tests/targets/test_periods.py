"""Month arithmetic, table by table (targets/periods.py)."""

from datetime import date

import pytest

from targets import periods as p


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (date(2025, 2, 14), date(2025, 2, 1), date(2025, 2, 28)),
        (date(2024, 2, 29), date(2024, 2, 1), date(2024, 2, 29)),  # leap year
        (date(2025, 12, 31), date(2025, 12, 1), date(2025, 12, 31)),
        (date(2025, 4, 1), date(2025, 4, 1), date(2025, 4, 30)),
    ],
)
def test_month_start_and_end(day, start, end):
    assert (p.month_start(day), p.month_end(day)) == (start, end)


@pytest.mark.parametrize(
    ("day", "months", "result"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 1)),
        (date(2025, 11, 15), 2, date(2026, 1, 1)),
        (date(2025, 12, 1), 1, date(2026, 1, 1)),
        (date(2025, 1, 1), -1, date(2024, 12, 1)),
        (date(2025, 3, 20), -3, date(2024, 12, 1)),
        (date(2025, 6, 30), 0, date(2025, 6, 1)),
        (date(2025, 1, 1), -13, date(2023, 12, 1)),
    ],
)
def test_add_months(day, months, result):
    assert p.add_months(day, months) == result


def test_month_index_counts_calendar_months():
    assert p.month_index(date(2025, 1, 31)) == 2025 * 12
    assert p.month_index(date(2026, 1, 1)) - p.month_index(date(2025, 12, 31)) == 1


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (date(2025, 1, 1), date(2025, 12, 31), 12),
        (date(2025, 1, 31), date(2025, 1, 1), 1),  # same month, days do not matter
        (date(2025, 11, 1), date(2026, 2, 1), 4),
        (date(2025, 6, 1), date(2025, 5, 31), 0),  # end before start
        (date(2025, 6, 1), date(2024, 6, 1), 0),
    ],
)
def test_months_inclusive(start, end, count):
    assert p.months_inclusive(start, end) == count
    assert len(p.months_between(start, end)) == count


def test_months_between_lists_first_days():
    assert p.months_between(date(2025, 11, 20), date(2026, 1, 5)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
    ]


@pytest.mark.parametrize(
    ("period", "due_day", "due"),
    [
        (date(2025, 6, 1), 5, date(2025, 7, 5)),
        (date(2025, 12, 1), 5, date(2026, 1, 5)),
        (date(2025, 1, 1), 31, date(2025, 2, 28)),  # clamped to February's last day
        (date(2024, 1, 1), 30, date(2024, 2, 29)),
        (date(2025, 2, 1), 31, date(2025, 3, 31)),
        (date(2025, 3, 1), 1, date(2025, 4, 1)),
    ],
)
def test_report_due_date(period, due_day, due):
    assert p.report_due_date(period, due_day) == due


@pytest.mark.parametrize(
    ("today", "closed"),
    [
        (date(2025, 7, 1), date(2025, 6, 1)),
        (date(2025, 7, 31), date(2025, 6, 1)),
        (date(2026, 1, 3), date(2025, 12, 1)),
    ],
)
def test_last_closed_month(today, closed):
    assert p.last_closed_month(today) == closed


@pytest.mark.parametrize(
    ("text", "period"),
    [("2025-06", date(2025, 6, 1)), ("2025-12", date(2025, 12, 1)), ("0999-1", date(999, 1, 1))],
)
def test_parse_period(text, period):
    assert p.parse_period(text) == period


@pytest.mark.parametrize("text", ["2025", "2025-13", "2025-06-01", "june", ""])
def test_parse_period_refuses_what_is_not_a_month(text):
    with pytest.raises(ValueError):
        p.parse_period(text)


@pytest.mark.parametrize(
    ("period", "text"), [(date(2025, 6, 1), "2025-06"), (date(999, 12, 1), "0999-12")]
)
def test_format_period(period, text):
    assert p.format_period(period) == text
