"""What a key project owes: whether a monthly progress report is due from it, decided
once. Pure: plain values and dates, no ORM, no clock.

A project owes a report for a month by the stage it had at that month's end as its
approved reports established it — not by its stage today: one that reached 竣工投产
in September still owes its reports for June to August. At 谋划 (nothing is being
built yet) and at 竣工投产 (nothing is left to build) it owes nothing.
"""

from collections.abc import Iterable
from datetime import date

from workflow.states import EntryState

PLANNING = "planning"
COMPLETED = "completed"
# Stages at which a project reports nothing: not started, or finished.
NOT_OWING_STAGES = (PLANNING, COMPLETED)


def stage_at_month_end(*, period: date, reports: Iterable, registered: str) -> str:
    """The stage the latest approved report up to ``period`` names (``reports``: the
    project's reports, anything with period, state and stage). With none, the stage
    the project is registered at (set by an admin, or by approvals of later months)."""
    approved = [
        r for r in reports if r.state == EntryState.APPROVED and r.stage and r.period <= period
    ]
    if not approved:
        return registered
    return max(approved, key=lambda r: r.period).stage


def project_owes(*, stage: str) -> bool:
    return stage not in NOT_OWING_STAGES
