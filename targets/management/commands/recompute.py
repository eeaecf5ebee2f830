from datetime import date

from django.core.management.base import BaseCommand, CommandError

from targets import snapshots
from targets.clock import site_today
from targets.models import PlanYear, Target


class Command(BaseCommand):
    help = (
        "Recompute snapshots now, in this process (no broker needed): every plan year, "
        "one year (--year) or one target (--target)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="only this plan year")
        parser.add_argument("--target", type=int, help="only this target (id)")
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            help="judge as of this day (YYYY-MM-DD); default: the site's today",
        )

    def handle(self, *args, year: int | None, target: int | None, today: date | None, **options):
        today = today or site_today()
        if target is not None:
            if not snapshots.recompute_target(target_id=target, today=today):
                raise CommandError(f"没有 id 为 {target} 的指标。")
            self.stdout.write(f"已重算指标 {Target.objects.get(pk=target)}(截至 {today})。")
            return
        years = PlanYear.objects.order_by("year")
        if year is not None:
            years = years.filter(year=year)
            if not years.exists():
                raise CommandError(f"没有 {year} 年度。")
        for plan_year in years:
            count = snapshots.recompute_plan_year(plan_year=plan_year, today=today)
            self.stdout.write(f"{plan_year.year}年:已重算 {count} 项指标(截至 {today})。")
