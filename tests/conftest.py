import io
import os
import shutil
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection

REQUIRE_SERVICES = bool(os.environ.get("REQUIRE_SERVICES"))


def require(available: bool, what: str) -> None:
    """Skip a test whose service is absent — unless REQUIRE_SERVICES is set (CI),
    where an absent service is a failure, so nothing is skipped silently."""
    if available:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"{what} is required (REQUIRE_SERVICES is set) but is not available")
    pytest.skip(f"{what} is not available")


def port_open(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _steady_sessions(request, monkeypatch):
    """Query counts are pinned per page; the once-a-minute write of the session's
    last activity (org.middleware) would add three queries to whichever page a slow
    machine reaches a minute into a test. Tests of that write opt out with the
    ``activity_writes`` marker."""
    if request.node.get_closest_marker("activity_writes") is None:
        monkeypatch.setattr("org.middleware.ACTIVITY_WRITE_EVERY", 24 * 3600)


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Pages read the database on every request, so that a test may change snapshots
    directly; the page cache has its own tests (the ``page_cache`` fixture)."""
    settings.PAGE_CACHE = False


@pytest.fixture
def page_cache(settings, monkeypatch):
    """The page cache on, under keys of this test's own (the cache may be the CI's
    Redis, which is also the broker: it is never cleared)."""
    import secrets

    from targets import cache

    settings.PAGE_CACHE = True
    monkeypatch.setattr(cache, "PREFIX", f"zy:test:{secrets.token_hex(6)}")
    monkeypatch.setattr(cache, "_paused_until", 0.0)
    monkeypatch.setattr(cache, "_owed", set())
    return cache


@pytest.fixture(autouse=True)
def _eager_tasks():
    """Tasks run in process unless a test asks for a real worker (see test_worker.py):
    a test must never leave messages on the CI broker."""
    from zhongyuan.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def postgres():
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")


@pytest.fixture
def redis_url() -> str:
    url = django_settings.REDIS_URL
    require(bool(url) and port_open(url), "Redis (REDIS_URL)")
    return url


@pytest.fixture
def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    require(path is not None, "Chromium (/usr/bin/chromium)")
    return path


def _load_workreport():
    from targets.models import PlanYear

    call_command("load_workreport", stdout=io.StringIO())
    return PlanYear.objects.get(year=2025)


@pytest.fixture
def report(db, django_capture_on_commit_callbacks):
    """The 2025 work report, loaded as `make run` loads it (snapshots computed)."""
    with django_capture_on_commit_callbacks(execute=True):
        return _load_workreport()


@pytest.fixture
def demo(db, settings, django_capture_on_commit_callbacks):
    """The report plus the demo year, computed as of 2025-11-20."""
    from projects.demo import DEMO_TODAY, seed_demo

    settings.SITE_TODAY = DEMO_TODAY
    plan_year = _load_workreport()  # its recompute is covered by the demo's, below
    with django_capture_on_commit_callbacks(execute=True):
        seed_demo(plan_year)
    plan_year.refresh_from_db()
    return plan_year


@pytest.fixture
def collected_static(settings, tmp_path):
    """Static files as production has them: collected with hashed names and gzip
    (and Brotli) variants, and served by whitenoise from STATIC_ROOT alone."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "zhongyuan.staticfiles.HashedCompressedStorage"},
    }
    settings.WHITENOISE_AUTOREFRESH = False
    settings.WHITENOISE_USE_FINDERS = False
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT
