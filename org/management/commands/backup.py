from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from org.backup import BackupError, write_backup


class Command(BaseCommand):
    help = (
        "Write the database and the evidence files (MEDIA_ROOT) to one .tar.gz archive "
        "with a SHA-256 checksum for every member, and OUT.sha256 beside it."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="the archive to write, e.g. backup-2025-11-20.tar.gz")
        parser.add_argument("--database", default="default")

    def handle(self, *args, out: str, database: str, **options):
        path = Path(out)
        if path.exists():
            raise CommandError(f"{path} 已存在：不覆盖已有的备份，请换一个文件名。")
        if not path.parent.is_dir():
            raise CommandError(f"目录 {path.parent} 不存在。")
        try:
            summary = write_backup(out=path, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"已备份：{summary.rows} 条记录、{summary.files} 个附件 → {path}"
            f"（SHA-256 {summary.sha256}，已写入 {path.name}.sha256）"
        )
