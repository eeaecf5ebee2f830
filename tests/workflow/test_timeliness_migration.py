"""Existing reports get their timeliness on record: the migration fills the first
submission from the earliest submission their history holds (else submitted_at) and
the returns from the history's 退回 rows, in place."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from targets.models import ProgressEntry

BEFORE = [
    ("targets", "0005_merge_org_move_and_snapshot_errors"),
    ("projects", "0003_department_in_org"),
]


def migrate_to(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def at(month: int, day: int) -> datetime:
    return timezone.make_aware(datetime(2025, month, day, 10))


def fill(apps) -> dict:
    Department = apps.get_model("org", "Department")
    PlanYear = apps.get_model("targets", "PlanYear")
    Programme = apps.get_model("targets", "Programme")
    Target = apps.get_model("targets", "Target")
    Entry = apps.get_model("targets", "ProgressEntry")
    History = apps.get_model("targets", "HistoricalProgressEntry")
    department = Department.objects.create(name="区发改委", short_name="发改委", code="fgw")
    year = PlanYear.objects.create(year=2025, title="2025年工作报告", adopted_on=date(2024, 12, 30))
    programme = Programme.objects.create(
        plan_year=year, number=1, name="第1工程", short_name="工程1"
    )
    target = Target.objects.create(
        programme=programme,
        code="1.1",
        title="测试指标",
        sentence="报告原句。",
        kind="cumulative",
        unit="亿元",
        target_value=400,
        starts_on=date(2025, 1, 1),
        deadline=date(2025, 12, 31),
        lead_department=department,
    )
    # Submitted late (Feb 8), returned twice, resubmitted (Feb 20, then Mar 2).
    resubmitted = Entry.objects.create(
        target=target, period=date(2025, 1, 1), state="submitted", submitted_at=at(3, 2)
    )
    steps = [
        (at(2, 8), "提交", at(2, 8)),
        (at(2, 10), "退回：口径不一致", at(2, 8)),
        (at(2, 20), "提交", at(2, 20)),
        (at(2, 25), "退回：仍需核实", at(2, 20)),
        (at(3, 2), "提交", at(3, 2)),
    ]
    for when, reason, submitted_at in steps:
        History.objects.create(
            id=resubmitted.pk,
            target_id=target.pk,
            period=resubmitted.period,
            state="submitted",
            version=1,
            submitted_at=submitted_at,
            history_date=when,
            history_type="~",
            history_change_reason=reason,
        )
    # No history at all: submitted_at is all there is.
    bare = Entry.objects.create(
        target=target, period=date(2025, 2, 1), state="approved", submitted_at=at(3, 4)
    )
    draft = Entry.objects.create(target=target, period=date(2025, 3, 1), state="draft")
    return {"resubmitted": resubmitted.pk, "bare": bare.pk, "draft": draft.pk}


@pytest.mark.django_db(transaction=True)
def test_existing_reports_get_their_first_submission_and_returns():
    executor = migrate_to(BEFORE)
    try:
        # org as it is now (its tables renamed), targets and projects before timeliness
        state = executor.loader.project_state([*BEFORE, ("org", "0006_merge_accounts_and_audit")])
        ids = fill(state.apps)
    finally:
        # Always end on the latest schema: the tests after this one need it.
        executor = migrate_to(executor.loader.graph.leaf_nodes())
    rows = {e.pk: (e.first_submitted_at, e.return_count) for e in ProgressEntry.objects.all()}
    assert rows == {
        ids["resubmitted"]: (at(2, 8), 2),
        ids["bare"]: (at(3, 4), 0),
        ids["draft"]: (None, 0),
    }
