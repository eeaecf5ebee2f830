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
