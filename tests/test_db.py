"""After a bulk load the commands refresh PostgreSQL's planner statistics
(zhongyuan.db.analyze); SQLite, which would keep them for good, is left alone."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from projects.demo import DEMO_TODAY
from projects.models import ProjectProgress
from targets.models import ProgressEntry, Target
from zhongyuan.db import analyze


def _estimated_rows(model) -> float:
    """The planner's row estimate: -1 (PostgreSQL 14+) until the table is analysed."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [model._meta.db_table])
        return cursor.fetchone()[0]


def test_load_workreport_and_seed_demo_analyze_postgresql(postgres, db, settings):
    assert _estimated_rows(ProgressEntry) <= 0
    call_command("load_workreport", stdout=io.StringIO())
    assert _estimated_rows(Target) == Target.objects.count() > 0

    settings.DEMO_MODE = True  # the demo is refused otherwise
    settings.SITE_TODAY = DEMO_TODAY
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
    assert _estimated_rows(ProgressEntry) == ProgressEntry.objects.count() > 0
    assert _estimated_rows(ProjectProgress) == ProjectProgress.objects.count() > 0


def test_analyze_leaves_sqlite_alone(db):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite case")
    call_command("load_workreport", stdout=io.StringIO())
    analyze()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert cursor.fetchone()[0] == 0
