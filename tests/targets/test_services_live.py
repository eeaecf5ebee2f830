"""The completion engine on real services: a Celery worker on Redis, concurrent
recomputes on PostgreSQL row locks, and a dead broker.

Skipped where PostgreSQL or Redis is absent, unless REQUIRE_SERVICES is set (CI), in
which case an absent service fails the test.
"""

import os
import subprocess
import sys
import threading
import time
from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection, connections, transaction

from org.models import Role
from targets import snapshots
from targets.adapters import TARGET_ENTRIES
from targets.models import PendingRecompute, Target, TargetSnapshot
from targets.services import EntryValues
from tests import factories as f
from workflow.services import save_entry
from zhongyuan.settings import BASE_DIR

pytestmark = pytest.mark.services

TODAY = date(2025, 7, 10)


def database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host, port = s["HOST"] or "127.0.0.1", s["PORT"] or 5432
    return f"postgres://{s['USER']}{password}@{host}:{port}/{s['NAME']}"


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REQUIRE_SERVICES",)}
    env.update(
        DATABASE_URL=database_url(),
        SECRET_KEY="test-only",
        DEBUG="0",
        SITE_TODAY=TODAY.isoformat(),
        STATIC_MANIFEST="0",
        **extra,
    )
    return env


@pytest.fixture
def signing(settings):
    settings.SITE_TODAY = TODAY
    year = f.plan_year()
    dept = f.department("fgw")
    target = f.target(f.programme(year, 4), code="4.9", target_value=D(400), lead_department=dept)
    return target, f.user("staff-fgw", Role.STAFF, dept)


def wait_for(condition, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def worker(postgres, redis_url, transactional_db):
    """A real `celery worker` process on the CI Redis and the test database."""
    from zhongyuan.celery import app

    app.control.purge()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "zhongyuan",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=INFO",
        ],
        cwd=BASE_DIR,
        env=child_env(REDIS_URL=redis_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    app.conf.task_always_eager = False
    yield process
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def test_a_real_worker_recomputes_after_the_entry_is_committed(worker, signing):
    target, staff = signing
    PendingRecompute.objects.all().delete()
    save_entry(
        adapter=TARGET_ENTRIES,
        subject=target,
        period=date(2025, 6, 1),
        user=staff,
        values=EntryValues(value=D(200)),
        expected_version=None,
        submit=True,
    )

    # The entry is committed (transactional test): on_commit has queued the task.
    def computed() -> bool:
        row = TargetSnapshot.objects.filter(target=target, period=date(2025, 6, 1)).first()
        return row is not None and row.status == "on_track"

    if not wait_for(computed):
        worker.terminate()
        pytest.fail("no snapshot within 30 s; worker said:\n" + worker.communicate()[0][-3000:])
    assert TargetSnapshot.objects.get(target=target, period=date(2025, 6, 1)).ratio == D("0.5")
    assert wait_for(lambda: not PendingRecompute.objects.exists(), timeout=10)


def test_two_concurrent_recomputes_leave_one_correct_row(postgres, transactional_db, signing):
    target, _staff = signing
    f.entry(target, date(2025, 6, 1), value=D(200))
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def recompute() -> None:
        try:
            barrier.wait()
            snapshots.recompute_target(target_id=target.pk, today=TODAY)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=recompute) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    rows = TargetSnapshot.objects.filter(target=target)
    assert rows.count() == 6  # January–June, once each
    assert rows.get(period=date(2025, 6, 1)).ratio == D("0.5")


def test_a_recompute_waits_for_the_target_lock(postgres, transactional_db, signing):
    """The row lock serialises recomputes: one started while another transaction
    holds the target waits, then reads what that transaction committed."""
    target, _staff = signing
    locked, release, done = threading.Event(), threading.Event(), threading.Event()

    def holder() -> None:
        with transaction.atomic():
            Target.objects.select_for_update().get(pk=target.pk)
            f.entry(target, date(2025, 6, 1), value=D(300))
            locked.set()
            release.wait(timeout=30)
        connections.close_all()

    def recomputer() -> None:
        locked.wait(timeout=30)
        snapshots.recompute_target(target_id=target.pk, today=TODAY)
        done.set()
        connections.close_all()

    threads = [threading.Thread(target=holder), threading.Thread(target=recomputer)]
    for thread in threads:
        thread.start()
    assert locked.wait(timeout=30)
    assert not done.wait(timeout=1.0), "the recompute did not wait for the lock"
    release.set()
    for thread in threads:
        thread.join(timeout=60)
    assert done.is_set()
    # It saw the entry committed by the lock holder.
    assert TargetSnapshot.objects.get(target=target, period=date(2025, 6, 1)).actual == D(300)


BROKER_DOWN_SCRIPT = """
import time, django
from datetime import date
from decimal import Decimal
django.setup()
from django.contrib.auth.models import User
from targets.models import Target
from targets.adapters import TARGET_ENTRIES
from targets.services import EntryValues
from workflow.services import save_entry
target = Target.objects.get(code="4.9")
started = time.monotonic()
save_entry(adapter=TARGET_ENTRIES, subject=target, period=date(2025, 6, 1),
           user=User.objects.get(username="staff-fgw"), values=EntryValues(value=Decimal(200)),
           expected_version=None, submit=True)
print(f"SAVED {time.monotonic() - started:.2f}")
"""


def test_a_dead_broker_neither_blocks_nor_loses_the_save(postgres, transactional_db, signing):
    target, _staff = signing
    PendingRecompute.objects.all().delete()
    result = subprocess.run(
        [sys.executable, "-c", BROKER_DOWN_SCRIPT],
        cwd=BASE_DIR,
        # Port 1 on loopback: nothing listens, the connection is refused.
        env=child_env(
            REDIS_URL="redis://127.0.0.1:1/0", DJANGO_SETTINGS_MODULE="zhongyuan.settings"
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    elapsed = float(result.stdout.split("SAVED")[1])
    assert elapsed < 10, f"the save took {elapsed} s with the broker down"
    assert "broker unavailable" in result.stderr
    # The entry is saved and its recompute is waiting in the outbox ...
    assert target.entries.get().value == D(200)
    assert PendingRecompute.objects.filter(target=target).exists()
    june = TargetSnapshot.objects.get(target=target, period=date(2025, 6, 1))
    assert june.status == "not_reported"  # computed when the target was created; not since
    # ... and the daily job catches up.
    snapshots.recompute_all(today=TODAY)
    assert TargetSnapshot.objects.get(target=target, period=date(2025, 6, 1)).status == "on_track"
    assert not PendingRecompute.objects.exists()
