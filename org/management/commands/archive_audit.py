"""Move audit rows older than a date (and older than the retention period) to a
JSON-lines file; the audit admin's duty."""

from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from org import audit


class Command(BaseCommand):
    help = (
        "把 --before 日期（不含）之前的审计记录归档到 JSON Lines 文件（附 SHA-256 校验和），"
        "并记录归档的末条哈希，使链仍可校验。日期须早于保存期限（AUDIT_RETENTION_DAYS）。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--before", required=True, help="归档此日期之前的记录，如 2025-01-01。")
        parser.add_argument("--by", required=True, help="执行归档的审计管理员用户名。")
        parser.add_argument(
            "--dir", dest="directory", default=None, help="归档目录，默认为 AUDIT_ARCHIVE_DIR。"
        )

    def handle(self, *args, before: str, by: str, directory: str | None, **options) -> None:
        try:
            cutoff = date.fromisoformat(before)
        except ValueError as error:
            raise CommandError(f"日期“{before}”无效，请写作 YYYY-MM-DD。") from error
        actor = get_user_model().objects.filter(username=by).first()
        if actor is None:
            raise CommandError(f"没有用户“{by}”。")
        try:
            archive = audit.archive_events(
                before=cutoff,
                actor=actor,
                directory=Path(directory or settings.AUDIT_ARCHIVE_DIR),
                today=timezone.localdate(),
            )
        except audit.AuditError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"已归档第 {archive.first_seq}–{archive.last_seq} 条，共 {archive.count} 条，"
                f"写入 {archive.file_name}（SHA-256 {archive.file_sha256}）；"
                f"末条哈希 {archive.last_hash}。"
            )
        )
