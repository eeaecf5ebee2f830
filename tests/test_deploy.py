"""Production and demo switches from the environment, each checked in a fresh process
with exactly the variables the README documents."""

import os
import secrets
import subprocess
import sys

from zhongyuan.settings import BASE_DIR

# What the README's "Production" section tells an operator to set (behind HTTPS).
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "dashboard.zhongyuan.example",
    "CSRF_TRUSTED_ORIGINS": "https://dashboard.zhongyuan.example",
    "HTTPS": "1",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "DATABASE_URL": "postgres://zhongyuan:secret@127.0.0.1:5432/zhongyuan",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}
CLEARED = {
    "SECRET_KEY", "DEBUG", "DATABASE_URL", "REDIS_URL", "DEMO_MODE", "DEMO_ALLOW_DATABASE",
    "HTTPS", "ALLOW_SQLITE_IN_PRODUCTION", "SECURE_PROXY_SSL_HEADER", "SECURE_SSL_REDIRECT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests in this process
    "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "ALLOWED_HOSTS",
}  # fmt: skip


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in CLEARED}
    environment.update(env, DJANGO_SETTINGS_MODULE="zhongyuan.settings")
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def setting(name: str, **env: str) -> str:
    script = (
        "import django; django.setup(); from django.conf import settings; "
        f"print(repr(settings.{name}))"
    )
    result = run(["-c", script], **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_check_deploy_is_clean_under_the_documented_production_settings():
    # check does not connect to the database, so the URL need not answer.
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_plain_http_is_what_check_deploy_then_names():
    """Without HTTPS (an intranet on plain HTTP) the HTTPS checks are the only ones."""
    result = run(["manage.py", "check", "--deploy"], **{**PRODUCTION, "HTTPS": "0"})
    named = {w for w in ("W004", "W008", "W012", "W016") if w in result.stderr + result.stdout}
    assert named == {"W004", "W008", "W012", "W016"}, result.stdout + result.stderr


def test_one_https_switch_sets_cookies_redirect_and_hsts():
    on = {**PRODUCTION}
    assert setting("SESSION_COOKIE_SECURE", **on) == "True"
    assert setting("CSRF_COOKIE_SECURE", **on) == "True"
    assert setting("SECURE_SSL_REDIRECT", **on) == "True"
    assert setting("SECURE_HSTS_SECONDS", **on) == str(365 * 24 * 3600)
    assert setting("SECURE_PROXY_SSL_HEADER", **on) == "('HTTP_X_FORWARDED_PROTO', 'https')"
    off = {**PRODUCTION, "HTTPS": "0"}
    assert setting("SESSION_COOKIE_SECURE", **off) == "False"
    assert setting("SECURE_SSL_REDIRECT", **off) == "False"
    assert setting("SECURE_HSTS_SECONDS", **off) == "0"
    # Each can still be set alone.
    assert setting("SECURE_HSTS_SECONDS", **off, SECURE_HSTS_SECONDS="60") == "60"


def test_demo_switch_is_refused_with_a_server_database_unless_allowed():
    demo_on_postgres = {**PRODUCTION, "DEMO_MODE": "1"}
    result = run(["manage.py", "check"], **demo_on_postgres)
    assert result.returncode != 0
    assert "DEMO_MODE is on with a server database" in result.stderr
    allowed = run(["manage.py", "check"], **demo_on_postgres, DEMO_ALLOW_DATABASE="1")
    assert allowed.returncode == 0, allowed.stderr


def test_demo_switch_on_sqlite_runs_with_debug_off_and_no_secret_key():
    """`make run`: DEBUG off, DEMO_MODE on, a key of its own per process."""
    assert setting("DEMO_MODE", DEBUG="0", DEMO_MODE="1") == "True"
    assert setting("DEBUG", DEBUG="0", DEMO_MODE="1") == "False"


SERVE = "import zhongyuan.wsgi"


def test_serving_sqlite_with_debug_off_is_refused_but_commands_run():
    production_on_sqlite = {"DEBUG": "0", "SECRET_KEY": "x" * 50}
    served = run(["-c", SERVE], **production_on_sqlite)
    assert served.returncode != 0
    assert "Refusing to serve with SQLite and DEBUG off" in served.stderr
    # Management commands (migrate, collectstatic, backup …) still run.
    assert run(["manage.py", "check"], **production_on_sqlite).returncode == 0
    # Explicitly allowed, or the demo: served.
    allowed = run(["-c", SERVE], **production_on_sqlite, ALLOW_SQLITE_IN_PRODUCTION="1")
    assert allowed.returncode == 0, allowed.stderr
    assert run(["-c", SERVE], DEBUG="0", DEMO_MODE="1").returncode == 0
    # Development (DEBUG on) is not production.
    assert run(["-c", SERVE]).returncode == 0
