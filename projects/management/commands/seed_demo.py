from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from projects.demo import DEMO_TODAY, remove_demo_data, seed_demo
from targets.clock import site_today
from targets.models import PlanYear
from zhongyuan.db import analyze


class Command(BaseCommand):
    help = (
        "Load the demo data (2025 entries Jan–Oct, generated key projects, demo accounts). "
        "Refused unless DEMO_MODE is on: the demo accounts' password is public."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=2025)
        parser.add_argument(
            "--reset", action="store_true", help="replace the demo data even if it is loaded"
        )
        parser.add_argument("--remove", action="store_true", help="remove the demo data only")

    def handle(self, *args, year: int, reset: bool, remove: bool, **options):
        if not settings.DEMO_MODE:
            raise CommandError(
                "演示数据只能在演示模式（DEMO_MODE=1）下载入：演示账号的密码是公开的。"
                "(The demo data is refused unless DEMO_MODE is on: "
                "the demo accounts' password is public.)"
            )
        plan_year = PlanYear.objects.filter(year=year).first()
        if plan_year is None:
            raise CommandError(f"没有 {year} 年度的工作报告，请先运行 load_workreport。")
        if remove:
            remove_demo_data(plan_year)
            self.stdout.write("已删除演示数据。")
            return
        if plan_year.has_demo_data and not reset:
            self.stdout.write("演示数据已载入（用 --reset 重新生成）。")
            return
        if site_today() != DEMO_TODAY:
            self.stderr.write(
                f"提示：演示数据按 {DEMO_TODAY} 编排，当前站点日期为 {site_today()}"
                "（设置 SITE_TODAY=2025-11-20 可看到年中进度）。"
            )
        counts = seed_demo(plan_year)
        analyze()
        self.stdout.write(
            "已载入演示数据：{accounts} 个账号，{entries} 条指标月报，{projects} 个项目，"
            "{progress} 条项目月报。".format(**counts)
        )
