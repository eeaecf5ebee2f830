from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from org.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup` into an EMPTY, migrated database and an "
        "empty MEDIA_ROOT, after checking every checksum; refused otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar.gz written by `manage.py backup`")
        parser.add_argument("--database", default="default")

    def handle(self, *args, archive: str, database: str, **options):
        try:
            summary = restore_backup(archive=Path(archive), using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"已恢复：{summary.rows} 条记录、{summary.files} 个附件。")
