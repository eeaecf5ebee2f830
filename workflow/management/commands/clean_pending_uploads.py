from django.core.management.base import BaseCommand
from django.utils import timezone

from workflow import pending


class Command(BaseCommand):
    help = "删除超过一天仍未附加的佐证材料（表单未保存时暂存的文件）。"

    def handle(self, *args, **options) -> None:
        removed = pending.clean_expired(now=timezone.now())
        self.stdout.write(f"已删除 {removed} 个过期的暂存文件。")
