"""Settings come from the environment; a production start-up without SECRET_KEY stops."""

import os
import subprocess
import sys

from django.conf import settings

from zhongyuan.settings import BASE_DIR


def start(**env: str) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DEBUG", "DATABASE_URL", "REDIS_URL")
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_missing_secret_key_with_debug_off_stops_start_up_with_a_clear_message():
    result = start(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_starts_with_a_secret_key_and_debug_off():
    result = start(DEBUG="0", SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr


def test_embedded_default_starts_without_any_environment():
    assert start().returncode == 0


def test_chinese_ui_settings():
    assert (settings.LANGUAGE_CODE, settings.TIME_ZONE) == ("zh-hans", "Asia/Shanghai")
    assert settings.USE_THOUSAND_SEPARATOR is False


def test_persistent_connections_are_health_checked():
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['CONN_HEALTH_CHECKS'])"
    )
    environment = {k: v for k, v in os.environ.items() if k != "CONN_MAX_AGE"}
    for max_age, expected in (("600", "True"), ("0", "False")):
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=BASE_DIR,
            env={
                **environment,
                "CONN_MAX_AGE": max_age,
                "DJANGO_SETTINGS_MODULE": "zhongyuan.settings",
            },
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.stdout.strip() == expected, result.stderr


def _setting(expression: str, **env: str) -> str:
    """A setting's value as the site would start with this environment."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("CONN_MAX_AGE", "DATABASE_URL", "DEBUG", "STATIC_MANIFEST")
    }
    script = f"import django; django.setup(); from django.conf import settings; print({expression})"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env={**environment, "DJANGO_SETTINGS_MODULE": "zhongyuan.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_postgresql_keeps_connections_by_default_and_sqlite_does_not():
    max_age = "settings.DATABASES['default']['CONN_MAX_AGE']"
    postgres = "postgres://postgres@127.0.0.1:5432/zhongyuan"
    assert _setting(max_age, DATABASE_URL=postgres, SECRET_KEY="x" * 50) == "60"
    assert _setting(max_age, DATABASE_URL=postgres, SECRET_KEY="x" * 50, CONN_MAX_AGE="0") == "0"
    assert _setting(max_age) == "0"


def test_make_run_serves_collected_static_files_as_production_does():
    """`make run` (DEBUG on, STATIC_MANIFEST=1) serves hashed, compressed files from
    STATIC_ROOT only; with STATIC_MANIFEST off, DEBUG serves the sources as edited."""
    shown = (
        "settings.STORAGES['staticfiles']['BACKEND'], "
        "settings.WHITENOISE_AUTOREFRESH, settings.WHITENOISE_USE_FINDERS"
    )
    assert _setting(shown, DEBUG="1", STATIC_MANIFEST="1") == (
        "zhongyuan.staticfiles.HashedCompressedStorage False False"
    )
    assert _setting(shown, DEBUG="1", STATIC_MANIFEST="0") == (
        "django.contrib.staticfiles.storage.StaticFilesStorage True True"
    )
    assert _setting(shown, DEBUG="0", SECRET_KEY="x" * 50) == (
        "zhongyuan.staticfiles.HashedCompressedStorage False False"
    )
