from django.core.management.base import BaseCommand, CommandError

from supervision import escalation
from targets.models import PlanYear
from targets.periods import parse_period


class Command(BaseCommand):
    help = (
        "Run the escalation ladder for a closed month (what the Celery task does when "
        "a month is closed); idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM, a closed month")

    def handle(self, *args, month: str, **options):
        try:
            period = parse_period(month)
        except ValueError as error:
            raise CommandError(f"月份“{month}”格式不对，应为 2025-10。") from error
        plan_year = PlanYear.objects.filter(year=period.year).first()
        if plan_year is None:
            raise CommandError(f"没有 {period.year} 年度的工作报告。")
        try:
            steps = escalation.run_escalation(plan_year=plan_year, period=period)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{period.year}年{period.month}月：记录督办升级 {len(steps)} 条。")
