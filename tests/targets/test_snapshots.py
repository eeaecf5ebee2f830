"""End to end on the embedded default (tasks eager): entries and definitions change,
snapshots follow; time passes, statuses follow."""

import io
from datetime import date, timedelta
from decimal import Decimal as D
from functools import partial

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone

from org.models import Role
from projects.metrics import PROJECT_FIELDS, request_derived_recompute
from projects.models import KeyProject
from targets import snapshots, tasks
from targets.adapters import TARGET_ENTRIES
from targets.models import Kind, PendingRecompute, ProgrammeSnapshot, TargetSnapshot
from targets.services import EntryValues
from targets.snapshots import snapshot_months
from tests import factories as f
from workflow.services import save_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(settings):
    settings.SITE_TODAY = date(2025, 7, 10)
    year = f.plan_year()
    dept = f.department("fgw")
    prog = f.programme(year, 4)
    signing = f.target(prog, code="4.9", target_value=D(400), lead_department=dept)
    staff = f.user("staff-fgw", Role.STAFF, dept)
    return year, prog, signing, staff


def snap(target, month: int, year: int = 2025) -> TargetSnapshot:
    return TargetSnapshot.objects.get(target=target, period=date(year, month, 1))


def submit(target, month: int, value: str, user, commit, version=None, submit=True):
    with commit(execute=True):
        return save_entry(
            adapter=TARGET_ENTRIES,
            subject=target,
            period=date(2025, month, 1),
            user=user,
            values=EntryValues(value=D(value)),
            expected_version=version,
            submit=submit,
        )


def test_snapshot_months_are_the_closed_months_of_the_year(setup):
    year = setup[0]
    assert snapshot_months(year, date(2025, 11, 20)) == [date(2025, m, 1) for m in range(1, 11)]
    assert snapshot_months(year, date(2025, 1, 20)) == []
    assert snapshot_months(year, date(2026, 3, 1))[-1] == date(2025, 12, 1)


def test_submitting_an_entry_updates_snapshots(setup, django_capture_on_commit_callbacks):
    year, prog, signing, staff = setup
    submit(signing, 6, "200", staff, django_capture_on_commit_callbacks)
    june = snap(signing, 6)
    assert (june.actual, june.ratio, june.expected, june.status) == (
        D(200),
        D("0.5"),
        D("0.5"),
        "on_track",
    )
    assert june.source_entries == [[signing.entries.get().pk, 1]]
    programme = ProgrammeSnapshot.objects.get(programme=prog, period=date(2025, 6, 1))
    total = ProgrammeSnapshot.objects.get(plan_year=year, programme=None, period=date(2025, 6, 1))
    assert (programme.ratio, programme.status, total.ratio) == (D("0.5"), "on_track", D("0.5"))
    assert not PendingRecompute.objects.exists()


def test_a_draft_moves_nothing(setup, django_capture_on_commit_callbacks):
    _, _, signing, staff = setup
    tasks.recompute_target(signing.pk)
    submit(signing, 6, "200", staff, django_capture_on_commit_callbacks, submit=False)
    assert snap(signing, 6).ratio == 0
    assert not PendingRecompute.objects.exists()


def test_time_passing_changes_status_without_a_new_entry(
    setup, settings, django_capture_on_commit_callbacks
):
    _, _, signing, staff = setup
    submit(signing, 6, "200", staff, django_capture_on_commit_callbacks)
    assert snap(signing, 6).status == "on_track"
    # 3 August: July is closed, its report not due yet — June's 200 against 7/12 序时.
    settings.SITE_TODAY = date(2025, 8, 3)
    tasks.recompute_all()
    july = snap(signing, 7)
    assert (july.ratio, july.expected, july.status) == (D("0.5"), D("0.5833"), "lagging")
    # 6 August: July's report is overdue.
    settings.SITE_TODAY = date(2025, 8, 6)
    tasks.recompute_all()
    assert snap(signing, 7).status == "not_reported"
    # Next February, with nothing more reported, the year is over.
    settings.SITE_TODAY = date(2026, 2, 1)
    tasks.recompute_all()
    assert snap(signing, 12).status == "not_reported"
    assert snap(signing, 12).expected == 1


def test_recompute_is_idempotent(setup, django_capture_on_commit_callbacks):
    year, _, signing, staff = setup
    submit(signing, 5, "150", staff, django_capture_on_commit_callbacks)
    fields = [
        "target",
        "period",
        "status",
        "actual",
        "ratio",
        "expected",
        "forecast",
        "source_entries",
    ]
    first = list(TargetSnapshot.objects.order_by("period").values(*fields))
    aggregates = list(
        ProgrammeSnapshot.objects.order_by("programme", "period").values(
            "programme", "period", "ratio", "status", "status_counts"
        )
    )
    snapshots.recompute_target(target_id=signing.pk, today=date(2025, 7, 10))
    snapshots.recompute_plan_year(plan_year=year, today=date(2025, 7, 10))
    assert list(TargetSnapshot.objects.order_by("period").values(*fields)) == first
    assert (
        list(
            ProgrammeSnapshot.objects.order_by("programme", "period").values(
                "programme", "period", "ratio", "status", "status_counts"
            )
        )
        == aggregates
    )
    assert TargetSnapshot.objects.count() == 6


def test_outbox_row_commits_with_the_entry(setup):
    _, _, signing, staff = setup
    before = PendingRecompute.objects.filter(target=signing).count()
    # Without running the after-commit hook (as when the broker is down), the need to
    # recompute is still recorded.
    save_entry(
        adapter=TARGET_ENTRIES,
        subject=signing,
        period=date(2025, 6, 1),
        user=staff,
        values=EntryValues(value=D(1)),
        expected_version=None,
        submit=True,
    )
    assert PendingRecompute.objects.filter(target=signing).count() == before + 1


def test_sweep_picks_up_what_was_never_enqueued(setup):
    _, _, signing, staff = setup
    save_entry(
        adapter=TARGET_ENTRIES,
        subject=signing,
        period=date(2025, 6, 1),
        user=staff,
        values=EntryValues(value=D(200)),
        expected_version=None,
        submit=True,
    )
    PendingRecompute.objects.update(requested_at=timezone.now() - timedelta(minutes=5))
    assert tasks.sweep_pending() == 1
    assert snap(signing, 6).status == "on_track"
    assert not PendingRecompute.objects.exists()


def test_a_crash_mid_recompute_leaves_the_old_snapshot(
    setup, monkeypatch, django_capture_on_commit_callbacks
):
    _, _, signing, staff = setup
    submit(signing, 6, "100", staff, django_capture_on_commit_callbacks)
    before = snap(signing, 6)

    def die(*args, **kwargs):
        raise SystemExit("worker killed")

    # Target rows are written first; dying before the aggregates rolls them back too.
    monkeypatch.setattr(snapshots, "_aggregate_year", die)
    with pytest.raises(SystemExit):
        submit(signing, 6, "300", staff, django_capture_on_commit_callbacks, version=1)
    after = snap(signing, 6)
    assert (after.ratio, after.computed_at) == (before.ratio, before.computed_at)
    assert PendingRecompute.objects.filter(target=signing).exists()


def test_derived_target_follows_project_records(setup, django_capture_on_commit_callbacks):
    year, prog, _, _ = setup
    derived = f.target(prog, code="4.8", source="signed_amount", target_value=D(100))
    # No signal: whoever writes a project asks (the services, the admin, the loaders).
    ask = partial(request_derived_recompute, plan_year_id=year.pk, changed=PROJECT_FIELDS)
    with django_capture_on_commit_callbacks(execute=True):
        f.project(year, prog, signed_amount=D(60), signed_on=date(2025, 3, 15))
        ask(reason="重点项目新增")
    assert [snap(derived, m).actual for m in (2, 3, 6)] == [D(0), D(60), D(60)]
    assert snap(derived, 6).status == "on_track"  # 60% against 50%
    with django_capture_on_commit_callbacks(execute=True):
        KeyProject.objects.get().delete()
        ask(reason="重点项目删除")
    assert snap(derived, 6).actual == D(0)


def test_tolerance_change_recomputes_the_year(setup, django_capture_on_commit_callbacks):
    year, _, signing, staff = setup
    submit(signing, 6, "160", staff, django_capture_on_commit_callbacks)  # 10 points behind
    assert snap(signing, 6).status == "lagging"
    with django_capture_on_commit_callbacks(execute=True):
        year.tolerance_points = D(5)
        year.save()
    assert snap(signing, 6).status == "behind"


def test_programme_weights_and_assessed_targets(setup, django_capture_on_commit_callbacks):
    _year, prog, signing, staff = setup
    with django_capture_on_commit_callbacks(execute=True):
        heavy = f.target(
            prog,
            code="4.7",
            target_value=D(10),
            weight=D(3),
            lead_department=signing.lead_department,
        )
        f.target(
            prog,
            code="4.6",
            kind=Kind.ASSESSED,
            target_value=None,
            unit="",
            lead_department=signing.lead_department,
        )
    submit(signing, 6, "200", staff, django_capture_on_commit_callbacks)  # 0.5
    submit(heavy, 6, "12", staff, django_capture_on_commit_callbacks)  # 1.2, capped at 1
    programme = ProgrammeSnapshot.objects.get(programme=prog, period=date(2025, 6, 1))
    assert programme.ratio == D("0.875")  # (0.5 + 3 × 1) / 4
    assert programme.target_count == 3
    assert programme.status_counts["not_reported"] == 1  # the assessed one


def test_recompute_command(setup):
    _year, _, signing, _ = setup
    out = io.StringIO()
    call_command("recompute", "--today", "2025-04-10", stdout=out)
    assert "已重算 1 项指标" in out.getvalue()
    assert TargetSnapshot.objects.filter(target=signing).count() == 3
    call_command("recompute", "--target", str(signing.pk), "--today", "2025-05-10", stdout=out)
    assert TargetSnapshot.objects.filter(target=signing).count() == 4


def test_tasks_acknowledge_late():
    assert tasks.recompute_target.acks_late and tasks.recompute_all.acks_late
    from zhongyuan.celery import app

    assert app.conf.task_reject_on_worker_lost is True


def test_sweep_does_not_requeue_what_it_queued_a_moment_ago(setup):
    _, _, signing, staff = setup
    save_entry(
        adapter=TARGET_ENTRIES,
        subject=signing,
        period=date(2025, 6, 1),
        user=staff,
        values=EntryValues(value=D(200)),
        expected_version=None,
        submit=True,
    )
    now = timezone.now()
    PendingRecompute.objects.update(requested_at=now - timedelta(minutes=5))
    claim = partial(
        snapshots.claim_pending,
        older_than=timedelta(seconds=django_settings.RECOMPUTE_SWEEP_GRACE_SECONDS),
        resweep_after=timedelta(seconds=django_settings.RECOMPUTE_RESWEEP_SECONDS),
    )
    assert claim(now=now) == [signing.pk]
    # A minute later the worker has not got to it yet: not queued a second time ...
    assert claim(now=now + timedelta(minutes=1)) == []
    # ... but if it is still pending long after, it is queued again.
    assert claim(now=now + timedelta(minutes=11)) == [signing.pk]
