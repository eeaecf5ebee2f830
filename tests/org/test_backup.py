"""Backup then restore into an empty database gives the same rows and the same files.

The backup runs here, in the test's transaction; the restore runs as an operator
would run it, in another process against a freshly migrated empty database (a SQLite
file, and on PostgreSQL also a database of its own on the same server)."""

import io
import json
import os
import re
import subprocess
import sys
import tarfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from org.backup import EXCLUDED, sha256_of
from org.models import Role
from targets.models import Evidence, Target
from tests import factories as f
from zhongyuan.settings import BASE_DIR


def dump_everything(*, out: Path | None = None, **env: str) -> list[dict]:
    """Every row that a backup keeps, as dumpdata writes it, in a stable order."""
    args = [
        "dumpdata",
        "--natural-foreign",
        "--format=exactjson",  # times to the microsecond: nothing may be lost
        *[f"--exclude={label}" for label in EXCLUDED],
    ]
    if env:
        text = manage(args, **env).stdout
    else:
        target = out / "here.json"
        call_command(*args, output=str(target), verbosity=0)
        text = target.read_text(encoding="utf-8")
    return sorted(json.loads(text), key=lambda row: (row["model"], str(row.get("pk"))))


def manage(args: list[str], **env: str) -> subprocess.CompletedProcess:
    environment = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DEBUG")
    }
    environment.update(env, DEBUG="1", SITE_TODAY="")
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def files_under(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): sha256_of(p) for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture
def site(report, settings, tmp_path):
    """The report, an account per role, an entry with two evidence files."""
    settings.MEDIA_ROOT = tmp_path / "media"
    target = Target.objects.get(code="8.1", programme__plan_year=report)
    staff = f.user("backup-staff", Role.STAFF, target.lead_department, first_name="张")
    f.user("backup-admin", Role.ADMIN)
    entry = f.entry(
        target, date(2025, 10, 1), value=12, submitted_by=staff, narrative="进展：\x7f完成"
    )
    for name, content in (("佐证.pdf", b"%PDF-1.4 one"), ("现场照片.jpg", b"\xff\xd8\xff two")):
        evidence = Evidence(
            entry=entry,
            original_name=name,
            size=len(content),
            content_type="application/octet-stream",
            uploaded_by=staff,
        )
        evidence.file.save(name, ContentFile(content), save=True)
    # Sub-millisecond: Django's own JSON would give back 09:00:00.000 (see org/serializers.py).
    exact = datetime(2025, 11, 3, 1, 0, 0, 450, tzinfo=UTC)
    type(entry).objects.filter(pk=entry.pk).update(submitted_at=exact)
    return report


@pytest.fixture
def restore_targets(db, tmp_path):
    """Empty databases to restore into: a SQLite file, and on PostgreSQL a database of
    its own on the same server (dropped afterwards)."""
    targets = [f"sqlite:///{tmp_path / 'restored.sqlite3'}"]
    name = f"{connection.settings_dict['NAME']}_restore"
    if connection.vendor == "postgresql":
        targets.append(postgres_database(name, create=True))
    yield targets
    if connection.vendor == "postgresql":
        postgres_database(name, create=False)


def postgres_database(name: str, *, create: bool) -> str:
    """Drop ``name`` on the test server, then create it empty if asked."""
    import psycopg

    params = connection.get_connection_params()
    params["dbname"] = "postgres"
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if create:
            admin.execute(f'CREATE DATABASE "{name}"')
    user = params.get("user") or "postgres"
    password = f":{params['password']}" if params.get("password") else ""
    host, port = params.get("host") or "127.0.0.1", params.get("port") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def test_backup_then_restore_into_an_empty_database_gives_the_same_rows_and_files(
    site, settings, tmp_path, restore_targets
):
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    here_rows = dump_everything(out=tmp_path)
    here_files = files_under(Path(settings.MEDIA_ROOT))
    assert len(here_files) == 2
    assert (tmp_path / "site.tar.gz.sha256").read_text().split()[0] == sha256_of(archive)

    for number, url in enumerate(restore_targets):
        media = tmp_path / f"restored-media-{number}"
        env = {"DATABASE_URL": url, "MEDIA_ROOT": str(media)}
        manage(["migrate", "--noinput", "-v0"], **env)
        out = manage(["restore", str(archive)], **env).stdout
        assert "已恢复" in out
        assert dump_everything(**env) == here_rows, url
        assert files_under(media) == here_files, url


def test_restore_refuses_a_database_that_is_not_empty(site, tmp_path):
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="只能恢复到空数据库"):
        call_command("restore", str(archive))


def test_restore_refuses_a_damaged_archive_before_touching_anything(site, tmp_path):
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    extracted = tmp_path / "x"
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(extracted, filter="data")

    # The archive changed after it was written: its .sha256 no longer matches.
    with archive.open("ab") as handle:
        handle.write(b"\0")
    with pytest.raises(CommandError, match=re.escape("校验和与 site.tar.gz.sha256 不符")):
        call_command("restore", str(archive))

    # A member changed and the archive rebuilt without the sidecar: the manifest catches it.
    database = extracted / "database.exactjson"
    database.write_text(database.read_text(encoding="utf-8").replace("backup-admin", "intruder"))
    rebuilt = tmp_path / "rebuilt.tar.gz"
    with tarfile.open(rebuilt, "w:gz") as tar:
        for path in sorted(extracted.rglob("*")):
            if path.is_file():
                tar.add(path, arcname=path.relative_to(extracted).as_posix())
    with pytest.raises(CommandError, match=re.escape("校验和不符：database.exactjson")):
        call_command("restore", str(rebuilt))


def test_backup_never_overwrites_an_archive(site, tmp_path):
    archive = tmp_path / "site.tar.gz"
    archive.write_bytes(b"older backup")
    with pytest.raises(CommandError, match="不覆盖"):
        call_command("backup", str(archive))
    assert archive.read_bytes() == b"older backup"
