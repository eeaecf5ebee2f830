"""The project adapter's after-change hook: one recompute request per change, naming
the counted fields that moved (projects.metrics.request_derived_recompute narrows it
to the targets whose metric reads them)."""

from datetime import date
from decimal import Decimal as D

import pytest

from org.models import Role
from projects import adapters
from projects.models import Stage
from projects.services import ProgressValues
from tests import factories as f
from workflow import services

JUNE = date(2025, 6, 1)


@pytest.fixture
def calls(monkeypatch) -> list[dict]:
    """Records each request (a spy on our own function, the database stays real)."""
    seen: list[dict] = []
    real = adapters.request_derived_recompute

    def spy(**kwargs):
        seen.append(kwargs)
        real(**kwargs)

    monkeypatch.setattr(adapters, "request_derived_recompute", spy)
    return seen


@pytest.fixture
def setup(db):
    year = f.plan_year()
    own = f.department("own")
    project = f.project(year, f.programme(year, 3), lead_department=own, stage=Stage.SIGNED)
    return project, f.user("staff", Role.STAFF, own), f.user("reviewer", Role.REVIEWER)


def write(project, staff, values, version, submit):
    return services.save_entry(
        adapter=adapters.PROJECT_PROGRESS,
        subject=project,
        period=JUNE,
        user=staff,
        values=values,
        expected_version=version,
        submit=submit,
    )


def changed(calls) -> list[set[str]]:
    return [set(call["changed"]) for call in calls]


def test_a_draft_asks_for_nothing(setup, calls):
    project, staff, _ = setup
    write(project, staff, ProgressValues(investment=D(1)), 0, submit=False)
    assert calls == []


def test_submitting_counts_the_investment_and_the_stage_once(setup, calls):
    project, staff, _ = setup
    write(project, staff, ProgressValues(investment=D(1), stage=Stage.STARTED), 0, submit=True)
    assert changed(calls) == [
        {"ProjectProgress.investment", "ProjectProgress.stage", "ProjectProgress.state"}
    ]
    assert calls[0]["plan_year_id"] == project.plan_year_id


def test_an_approval_that_moves_the_stage_names_it_once(setup, calls):
    project, staff, reviewer = setup
    entry = write(project, staff, ProgressValues(investment=D(1), stage=Stage.STARTED), 0, True)
    calls.clear()
    services.approve_entry(
        adapter=adapters.PROJECT_PROGRESS,
        entry_id=entry.pk,
        user=reviewer,
        expected_version=entry.version,
    )
    project.refresh_from_db()
    assert project.stage == Stage.STARTED
    assert changed(calls) == [{"KeyProject.stage", "ProjectProgress.state"}]


def test_an_approval_that_changes_no_figure_names_only_the_state(setup, calls):
    # The figure turns from provisional（未审核） into reviewed: what reads the state
    # is asked, nothing else.
    project, staff, reviewer = setup
    entry = write(project, staff, ProgressValues(investment=D(1)), 0, submit=True)
    calls.clear()
    services.approve_entry(
        adapter=adapters.PROJECT_PROGRESS,
        entry_id=entry.pk,
        user=reviewer,
        expected_version=entry.version,
    )
    assert changed(calls) == [{"ProjectProgress.state"}]


def test_returning_stops_the_investment_counting(setup, calls):
    project, staff, reviewer = setup
    entry = write(project, staff, ProgressValues(investment=D(1)), 0, submit=True)
    calls.clear()
    services.return_entry(
        adapter=adapters.PROJECT_PROGRESS,
        entry_id=entry.pk,
        user=reviewer,
        reason="核实",
        expected_version=entry.version,
    )
    assert changed(calls) == [{"ProjectProgress.investment", "ProjectProgress.state"}]
