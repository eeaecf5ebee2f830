"""Walk the audit log's hash chain; exit non-zero at the first broken row."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from org import audit
from org.audit_models import AuditArchive


class Command(BaseCommand):
    help = "校验审计日志的哈希链（SHA-256），报告第一条被改动、删除或插入的记录。"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--archives",
            action="store_true",
            help="同时校验归档目录（AUDIT_ARCHIVE_DIR）中每个归档文件的校验和与链。",
        )

    def handle(self, *args, archives: bool = False, **options) -> None:
        broken, checked = audit.verify_chain()
        if broken:
            where = f"第 {broken.seq} 条" if broken.seq is not None else "审计表"
            raise CommandError(f"审计链校验失败：{where}，{broken.reason}。")
        if archives:
            directory = Path(settings.AUDIT_ARCHIVE_DIR)
            for archive in AuditArchive.objects.order_by("last_seq"):
                path = directory / archive.file_name
                if not path.exists():
                    raise CommandError(f"找不到归档文件 {path}。")
                file_broken = audit.verify_archive_file(path)
                if file_broken is None and audit.file_sha256(path) != archive.file_sha256:
                    file_broken = audit.Break(None, "与归档记录中的校验和不符")
                if file_broken:
                    raise CommandError(
                        f"归档文件 {archive.file_name} 校验失败：{file_broken.reason}。"
                    )
                self.stdout.write(f"归档 {archive.file_name}：{archive.count} 条，校验通过。")
        self.stdout.write(self.style.SUCCESS(f"审计链校验通过：表中 {checked} 条记录。"))
