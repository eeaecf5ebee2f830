"""Backup and restore of the whole site: the database and the evidence files, in one
archive with a SHA-256 checksum for every member.

The database goes in as Django's dumpdata (JSON, foreign keys to content types and
permissions by natural key), so one archive restores on SQLite or PostgreSQL alike and
needs no database client of a matching version. For a large PostgreSQL site the
README's pg_dump / pg_restore and WAL archiving are the faster way; this is the one
that works everywhere, and the one the restore drill tests.

Archive layout (tar.gz):
  manifest.json   format, when, which migrations the data belongs to, each member's sha256
  database.exactjson  dumpdata (JSON, times to the microsecond) of every app except the
                      rows migrations create themselves
  media/...       the files under MEDIA_ROOT (evidence files)
"""

import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
# dumpdata in Django's JSON with times to the microsecond (org/serializers.py); the
# extension names the format for loaddata.
DATABASE = "database.exactjson"
MEDIA = "media"
# Created by migrate itself (content types, permissions) or not worth keeping
# (sessions: everyone logs in again after a restore).
EXCLUDED = ("contenttypes", "auth.permission", "sessions")
CHUNK = 1024 * 1024


class BackupError(Exception):
    """Why a backup or a restore was refused; nothing was changed."""


@dataclass(frozen=True)
class Summary:
    rows: int
    files: int
    sha256: str  # of the archive itself (restore: of the database dump)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    recorder = MigrationRecorder(connections[using])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _kept_models() -> list:
    excluded_apps = {label for label in EXCLUDED if "." not in label}
    excluded_models = {label for label in EXCLUDED if "." in label}
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label not in excluded_apps
        and model._meta.label_lower not in excluded_models
        and model._meta.managed
        and not model._meta.proxy
    ]


def media_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def write_backup(*, out: Path, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Write ``out`` (a .tar.gz) and ``out``.sha256 beside it (``sha256sum -c`` reads it)."""
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="backup-") as work:
        dump = Path(work) / DATABASE
        call_command(
            "dumpdata",
            *[model._meta.label for model in _kept_models()],
            natural_foreign=True,
            format="exactjson",
            indent=None,
            output=str(dump),
            database=using,
            verbosity=0,
        )
        rows = len(json.loads(dump.read_text(encoding="utf-8")))
        files = media_files(media_root)
        checksums = {DATABASE: sha256_of(dump)}
        for path in files:
            checksums[f"{MEDIA}/{path.relative_to(media_root).as_posix()}"] = sha256_of(path)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database_vendor": connections[using].vendor,
            "migrations": applied_migrations(using),
            "rows": rows,
            "sha256": checksums,
        }
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=DATABASE)
            for path in files:
                archive.add(path, arcname=f"{MEDIA}/{path.relative_to(media_root).as_posix()}")
        # Only a complete archive ever carries the name asked for.
        partial.replace(out)
    digest = sha256_of(out)
    out.with_name(out.name + ".sha256").write_text(f"{digest}  {out.name}\n")
    return Summary(rows=rows, files=len(files), sha256=digest)


def _database_is_empty(using: str) -> list[str]:
    """The models that hold rows (empty list: the database is empty)."""
    return [
        model._meta.label
        for model in _kept_models()
        if model._default_manager.using(using).exists()
    ]


def restore_backup(*, archive: Path, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Load ``archive`` into an empty, migrated database and an empty MEDIA_ROOT.

    Refused, with nothing changed, when a checksum does not match, when the database
    or the media folder holds anything, or when the database is not migrated to
    exactly the migrations the data was dumped at."""
    if not archive.is_file():
        raise BackupError(f"找不到备份文件 {archive}。")
    sidecar = archive.with_name(archive.name + ".sha256")
    if sidecar.exists():
        expected = sidecar.read_text().split()[0]
        if sha256_of(archive) != expected:
            raise BackupError(f"备份文件的校验和与 {sidecar.name} 不符：文件已损坏或被改动。")
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="restore-") as work:
        root = Path(work)
        try:
            with tarfile.open(archive, "r:gz") as tar:
                # The data filter refuses absolute paths, "..", links out of the folder.
                tar.extractall(root, filter="data")
        except (tarfile.TarError, OSError, EOFError) as error:
            raise BackupError(f"无法读取备份文件：{error}") from error
        manifest_path = root / MANIFEST
        if not manifest_path.is_file():
            raise BackupError("备份文件中没有 manifest.json：这不是本系统生成的备份。")
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"不支持的备份格式：{manifest.get('format')}。")
        checksums: dict[str, str] = manifest["sha256"]
        present = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} - {
            MANIFEST
        }
        if present != set(checksums):
            raise BackupError("备份文件的内容与其清单（manifest.json）不符：文件已损坏或被改动。")
        for name, digest in checksums.items():
            if sha256_of(root / name) != digest:
                raise BackupError(f"校验和不符：{name}。备份文件已损坏或被改动，未恢复任何内容。")

        here = applied_migrations(using)
        if here != manifest["migrations"]:
            missing = sorted(set(manifest["migrations"]) - set(here))
            extra = sorted(set(here) - set(manifest["migrations"]))
            raise BackupError(
                "数据库的迁移状态与备份时不同，未恢复任何内容。请先用与备份时相同版本的程序"
                "运行 migrate，恢复后再升级。"
                f"（备份有而此处没有：{missing[:5]}；此处有而备份没有：{extra[:5]}）"
            )
        holding = _database_is_empty(using)
        if holding:
            raise BackupError(
                "只能恢复到空数据库：当前数据库已有数据（"
                + "、".join(holding[:5])
                + (" 等" if len(holding) > 5 else "")
                + "）。请新建一个空数据库并运行 migrate 后再恢复。"
            )
        if media_files(media_root):
            raise BackupError(f"只能恢复到空的附件目录：{media_root} 中已有文件。")

        media = root / MEDIA
        copied: list[Path] = []
        try:
            for source in media_files(media):
                target = media_root / source.relative_to(media)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
                copied.append(target)
            call_command("loaddata", str(root / DATABASE), database=using, verbosity=0)
        except Exception:
            # The load is one transaction (loaddata's), so the database is as it was;
            # take the files back out too, then let the error be seen.
            for path in copied:
                path.unlink(missing_ok=True)
            raise
        return Summary(rows=manifest["rows"], files=len(copied), sha256=checksums[DATABASE])
