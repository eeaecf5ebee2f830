"""What a key project owes (projects/owed.py): tables, no database."""

from dataclasses import dataclass
from datetime import date

import pytest

from projects.owed import project_owes, stage_at_month_end


@dataclass(frozen=True)
class Report:
    period: date
    state: str
    stage: str = ""


def month(n: int) -> date:
    return date(2025, n, 1)


@pytest.mark.parametrize(
    ("stage", "owes"),
    [
        ("planning", False),  # 谋划: nothing being built yet
        ("signed", True),
        ("started", True),
        ("under_construction", True),
        ("completed", False),  # 竣工投产: nothing left to build
    ],
)
def test_project_owes_by_stage(stage, owes):
    assert project_owes(stage=stage) is owes


@pytest.mark.parametrize(
    ("period", "reports", "registered", "stage"),
    [
        # no approved report: the registered stage
        (month(6), [], "under_construction", "under_construction"),
        (month(6), [Report(month(5), "submitted", "completed")], "signed", "signed"),
        # the latest approved report up to the month decides, not today's stage
        (
            month(6),
            [
                Report(month(5), "approved", "under_construction"),
                Report(month(9), "approved", "completed"),
            ],
            "completed",
            "under_construction",
        ),
        (
            month(10),
            [
                Report(month(5), "approved", "under_construction"),
                Report(month(9), "approved", "completed"),
            ],
            "completed",
            "completed",
        ),
        # an approved report that names no stage leaves it as it was
        (
            month(7),
            [Report(month(5), "approved", "started"), Report(month(7), "approved", "")],
            "started",
            "started",
        ),
        # a returned report does not count
        (month(6), [Report(month(6), "returned", "completed")], "started", "started"),
    ],
)
def test_stage_at_month_end(period, reports, registered, stage):
    assert stage_at_month_end(period=period, reports=reports, registered=registered) == stage
