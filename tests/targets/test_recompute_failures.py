"""No single row can stop the recompute, and no failure is hidden (issue 8, item 5).

A failing target is made by registering a metric that raises (a bug in a rule), not by
mocking the database."""

import io
from datetime import date
from decimal import Decimal as D
from functools import partial

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.urls import reverse

from org.models import Role
from projects.forms import ProjectProgressForm
from projects.models import KeyProject
from targets import snapshots, tasks
from targets.adapters import TARGET_ENTRIES
from targets.metrics import registry
from targets.models import (
    PendingRecompute,
    ProgrammeSnapshot,
    ProgressEntry,
    Target,
    TargetSnapshot,
)
from targets.services import EntryValues
from targets.snapshots import COLUMN_LIMITS, fit_columns, request_recompute
from tests import factories as f
from workflow.services import save_entry

pytestmark = pytest.mark.django_db

TODAY = date(2025, 7, 10)  # January to June are closed
JUNE = date(2025, 6, 1)
FAILURE = "计算出错（RuntimeError: 规则出错：测试用的失败指标）"


@pytest.fixture
def exploding_metric():
    """A derived metric with a bug: it raises whenever it is asked."""

    def explode(plan_year, as_of):
        raise RuntimeError("规则出错：测试用的失败指标")

    registry.register("test_explodes", "会出错的指标", reads=["KeyProject.signed_amount"])(explode)
    yield "test_explodes"
    registry.unregister("test_explodes")


@pytest.fixture
def year(settings, exploding_metric):
    """Two programmes: the first holds a good target and the failing one, the second a
    good one; every target has a report for June."""
    settings.SITE_TODAY = TODAY
    year = f.plan_year()
    first, second = f.programme(year, 1), f.programme(year, 2)
    good = f.target(first, code="1.1", target_value=D(100))
    bad = f.target(first, code="1.2", title="会出错的派生指标", source=exploding_metric)
    other = f.target(second, code="2.1", target_value=D(100))
    f.entry(good, JUNE, value=D(50))
    f.entry(other, JUNE, value=D(80))
    PendingRecompute.objects.all().delete()
    return year, good, bad, other


def snap(target, period=JUNE) -> TargetSnapshot:
    return TargetSnapshot.objects.get(target=target, period=period)


def totals(year) -> dict:
    return {
        (row.programme_id, row.period): row.ratio
        for row in ProgrammeSnapshot.objects.filter(plan_year=year, period=JUNE)
    }


def test_a_failing_target_is_skipped_and_recorded_while_the_batch_completes(year):
    plan_year, good, bad, other = year
    request_recompute(target_ids=[good.pk, bad.pk, other.pk], reason="测试")
    outcome = snapshots.recompute_targets(target_ids=[good.pk, bad.pk, other.pk], today=TODAY)
    assert (outcome.done, outcome.failed) == (2, {bad.pk: FAILURE})
    # The others, their programmes and the year total are written ...
    assert (snap(good).ratio, snap(other).ratio) == (D("0.5"), D("0.8"))
    assert not TargetSnapshot.objects.filter(target=bad).exists()
    first, second = good.programme_id, other.programme_id
    assert totals(plan_year) == {
        (first, JUNE): D("0.5"),
        (second, JUNE): D("0.8"),
        (None, JUNE): D("0.65"),
    }
    # ... their outbox rows are gone, and the failing one's stays with the error.
    pending = PendingRecompute.objects.get()
    assert (pending.target, pending.attempts, pending.last_error) == (bad, 1, FAILURE)
    assert pending.failed_at is not None


def test_recompute_all_completes_past_a_failing_target(year):
    plan_year, good, bad, other = year
    assert tasks.recompute_all() == 2
    assert (snap(good).status, snap(other).status) == ("on_track", "on_track")
    assert ProgrammeSnapshot.objects.filter(plan_year=plan_year, programme=None).count() == 6
    # Nobody had asked for the failing target: the nightly run records it all the same.
    pending = PendingRecompute.objects.get()
    assert (pending.target, pending.attempts, pending.last_error) == (bad, 1, FAILURE)
    tasks.recompute_all()
    assert PendingRecompute.objects.get().attempts == 2


def test_a_single_target_recompute_records_its_failure(year):
    _, _, bad, _ = year
    outcome = snapshots.recompute_target(target_id=bad.pk, today=TODAY)
    assert (outcome.done, outcome.failed) == (0, {bad.pk: FAILURE})
    assert PendingRecompute.objects.get().last_error == FAILURE


def test_recompute_command_completes_past_a_failing_target_and_reports_it(year):
    _, good, bad, other = year
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="有 1 项指标重算失败"):
        call_command("recompute", stdout=out, stderr=err)
    assert "2025年：已重算 2 项指标（截至 2025-07-10）。" in out.getvalue()
    assert f"重算失败：指标 {bad}：{FAILURE}" in err.getvalue()
    assert snap(good).ratio == D("0.5") and snap(other).ratio == D("0.8")


def test_a_failure_recovers_once_the_cause_is_gone(year, exploding_metric):
    _, _, bad, _ = year
    snapshots.recompute_target(target_id=bad.pk, today=TODAY)
    registry.unregister(exploding_metric)
    registry.register(exploding_metric, "修好了", reads=["KeyProject.signed_amount"])(
        lambda plan_year, as_of: D(7)
    )
    outcome = snapshots.recompute_target(target_id=bad.pk, today=TODAY)
    assert (outcome.done, outcome.failed) == (1, {})
    assert snap(bad).actual == D(7)
    assert not PendingRecompute.objects.exists()


# --- a dropped connection is retried, not recorded against a target -----------------------


@pytest.fixture
def connection_drops_once(year):
    """The metric meets a dropped connection once, then works (as after a restart)."""
    calls = []

    def flaky(plan_year, as_of):
        calls.append(as_of)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return D(1)

    registry.unregister("test_explodes")
    registry.register("test_explodes", "断线一次", reads=["KeyProject.signed_amount"])(flaky)
    return calls


def test_recompute_all_retries_a_dropped_connection_with_backoff(year, connection_drops_once):
    _, good, bad, _ = year
    waits = []
    job = partial(snapshots.recompute_all, today=TODAY)
    outcome = snapshots.with_db_retry(job, backoff=2.0, sleep=waits.append)
    assert (outcome.done, outcome.failed, waits) == (3, {}, [2.0])
    assert snap(bad).actual == D(1) and snap(good).ratio == D("0.5")
    assert not PendingRecompute.objects.exists()


def test_the_daily_task_retries_a_dropped_connection(year, connection_drops_once, settings):
    settings.RECOMPUTE_RETRY_BACKOFF_SECONDS = 0
    assert tasks.recompute_all() == 3
    assert not PendingRecompute.objects.exists()


def test_an_eager_recompute_that_keeps_losing_the_database_is_recorded(
    year, django_capture_on_commit_callbacks
):
    _, _, bad, _ = year

    def down(plan_year, as_of):
        raise OperationalError("connection refused")

    registry.unregister("test_explodes")
    registry.register("test_explodes", "数据库断开", reads=["KeyProject.signed_amount"])(down)
    with django_capture_on_commit_callbacks(execute=True):
        request_recompute(target_ids=[bad.pk], reason="测试")  # the save does not fail
    pending = PendingRecompute.objects.get()
    assert (pending.target, pending.attempts) == (bad, 1)
    assert pending.last_error == "数据库连接中断（OperationalError: connection refused）"


def test_retry_gives_up_after_its_attempts(year):
    waits = []

    def always_down():
        raise OperationalError("connection refused")

    with pytest.raises(OperationalError):
        snapshots.with_db_retry(always_down, attempts=3, backoff=1.0, sleep=waits.append)
    assert waits == [1.0, 2.0]


# --- eager recompute: the save stays, the failure shows -----------------------------------


@pytest.fixture
def leader(client):
    user = f.user("leader-1", Role.LEADER)
    client.force_login(user)
    return user


def stuck_lines(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_an_eager_recompute_that_raises_keeps_the_entry_and_shows_the_failure(
    year, leader, client, monkeypatch, django_capture_on_commit_callbacks
):
    plan_year, good, _, _ = year
    snapshots.recompute_plan_year(plan_year=plan_year, today=TODAY)
    PendingRecompute.objects.all().delete()
    staff = f.user("staff-1", Role.STAFF, good.lead_department)

    def broken_rule(*args, **kwargs):
        raise ZeroDivisionError("decimal division by zero")

    monkeypatch.setattr(snapshots.completion, "evaluate_target", broken_rule)
    with django_capture_on_commit_callbacks(execute=True):
        entry = save_entry(
            adapter=TARGET_ENTRIES,
            subject=good,
            period=JUNE,
            user=staff,
            values=EntryValues(value=D(60)),
            expected_version=1,
            submit=True,
        )
    # The save is committed; the snapshot keeps the last good figure.
    assert ProgressEntry.objects.get(pk=entry.pk).value == D(60)
    assert snap(good).ratio == D("0.5")
    pending = PendingRecompute.objects.get()
    assert pending.target == good
    assert pending.last_error == "计算出错（ZeroDivisionError: decimal division by zero）"
    html = stuck_lines(client)
    assert "数据可能不是最新：1 项指标重算失败" in html
    assert f"指标 1.1 {good.title}：自 " in html
    assert "起重算失败，已尝试 1 次" in html
    assert "原因：计算出错（ZeroDivisionError: decimal division by zero）" in html


def test_an_admin_save_whose_recompute_raises_stays_saved_and_shows(
    year, leader, client, django_capture_on_commit_callbacks, django_user_model
):
    plan_year, _, bad, _ = year
    project = f.project(plan_year, bad.programme, signed_amount=D(10))
    admin_client = client.__class__()
    f.login(admin_client, f.user("boss", Role.ADMIN))
    data = {
        "plan_year": plan_year.pk,
        "code": project.code,
        "name": project.name,
        "programme": project.programme_id,
        "lead_department": project.lead_department_id,
        "category": project.category,
        "stage": project.stage,
        "signed_amount": "30",
        "progress-TOTAL_FORMS": "0",
        "progress-INITIAL_FORMS": "0",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:projects_keyproject_change", args=[project.pk]), data
        )
    assert response.status_code == 302
    assert KeyProject.objects.get(pk=project.pk).signed_amount == D(30)
    assert PendingRecompute.objects.get().target == bad
    assert "指标 1.2 会出错的派生指标：自 " in stuck_lines(client)


# --- no value anyone can enter overflows a snapshot ----------------------------------------


@pytest.mark.parametrize(
    ("values", "stored", "out_of_range"),
    [
        ({"ratio": D("1.5")}, {"ratio": D("1.5")}, {}),
        ({"ratio": D("99999.9999")}, {"ratio": D("99999.9999")}, {}),
        (
            {"ratio": D("149120.1909"), "gap": D("-149119.6909")},
            {"ratio": D("99999.9999"), "gap": D("-99999.9999")},
            {"ratio": "149120.1909", "gap": "-149119.6909"},
        ),
        (
            {"actual": D("1E13"), "ratio": None},
            {"actual": D("999999999999.9999"), "ratio": None},
            {"actual": "1E+13"},
        ),
    ],
)
def test_fit_columns(values, stored, out_of_range):
    assert fit_columns(values, COLUMN_LIMITS) == (stored, out_of_range)


def test_the_50000000_report_is_stored_and_recomputed_without_overflow(
    postgres, settings, django_capture_on_commit_callbacks
):
    """元 typed into 亿元 on PostgreSQL, whose numeric columns refuse what does not fit."""
    from projects.metrics import request_derived_recompute

    settings.SITE_TODAY = TODAY
    plan_year = f.plan_year()
    prog = f.programme(plan_year, 3)
    invested = f.target(
        prog, code="3.3", source="key_project_investment_completed", target_value=D("335.3")
    )
    manual = f.target(prog, code="3.4", target_value=D(10))
    f.entry(manual, JUNE, value=D(5))
    project = f.project(plan_year, prog)
    form = ProjectProgressForm({"version": "0", "investment": "50000000"}, action="submit")
    assert form.is_valid(), form.errors  # within the bound: every column holds it
    with django_capture_on_commit_callbacks(execute=True):
        f.progress(project, JUNE, investment=form.cleaned_data["investment"])
        request_derived_recompute(
            plan_year_id=plan_year.pk,
            changed=["ProjectProgress.investment", "ProjectProgress.state"],
            reason="项目月报提交",
        )
        request_recompute(target_ids=[manual.pk], reason="测试")
    june = snap(invested)
    assert (june.actual, june.ratio, june.status) == (D(50000000), D("99999.9999"), "completed")
    assert june.out_of_range == {"ratio": "149120.1909", "gap": "-149119.6909"}
    assert not PendingRecompute.objects.exists()
    # The programme and year totals cap each ratio at 1: (1 + 0.5) / 2.
    assert totals(plan_year)[(None, JUNE)] == D("0.75")
    # A value past the bound is refused, with a message that says why.
    form = ProjectProgressForm({"version": "0", "investment": "50000000000"}, action="submit")
    assert form.errors["investment"] == [
        "数值过大：须小于 10000000000，请检查单位是否正确（本项单位为亿元）。"
    ]


# --- many targets at once: chunks ---------------------------------------------------


def test_a_run_over_many_targets_costs_the_same_queries_for_three_or_thirty(year):
    """Targets are written in chunks (one transaction, a fixed number of queries each):
    ten times the targets of the same programmes, the same queries — but for the
    snapshot rows' inserts, which the database takes in batches (SQLite's parameter
    limit; 2,000 rows an insert on PostgreSQL), never one per target."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan_year, good, bad, _other = year

    def queries() -> tuple[int, int]:
        PendingRecompute.objects.all().delete()  # the failure's record: the same each run
        ids = list(
            Target.objects.filter(programme__plan_year=plan_year).values_list("pk", flat=True)
        )
        with CaptureQueriesContext(connection) as run:
            outcome = snapshots.recompute_targets(target_ids=ids, today=TODAY)
        assert outcome.failed.keys() == {bad.pk}
        inserts = [
            q
            for q in run.captured_queries
            if q["sql"].startswith('INSERT INTO "targets_targetsnapshot"')
        ]
        return len(run.captured_queries) - len(inserts), len(inserts)

    few, few_inserts = queries()
    for n in range(27):
        target = f.target(good.programme, code=f"1.{n + 3}", target_value=D(100))
        f.entry(target, JUNE, value=D(n))
    many, many_inserts = queries()
    assert many == few
    assert few_inserts == 1 and many_inserts < 10  # 30 targets' 180 rows
    assert (
        TargetSnapshot.objects.filter(period=JUNE, target__programme=good.programme).count() == 28
    )


def test_a_chunk_the_database_refuses_is_redone_target_by_target(year, monkeypatch):
    """A write the database refuses rolls the chunk back; each target is then written in
    its own transaction, so the others still get their figures."""
    from django.db import IntegrityError

    _plan_year, good, bad, other = year

    def refused(*args, **kwargs):
        raise IntegrityError("测试：数据库拒绝了这一批写入")

    monkeypatch.setattr(snapshots, "_write_chunk", refused)
    outcome = snapshots.recompute_targets(target_ids=[good.pk, bad.pk, other.pk], today=TODAY)
    assert (outcome.done, outcome.failed) == (2, {bad.pk: FAILURE})
    assert (snap(good).ratio, snap(other).ratio) == (D("0.5"), D("0.8"))
