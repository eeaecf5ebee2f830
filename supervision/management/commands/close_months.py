from django.core.management.base import BaseCommand, CommandError

from supervision import escalation
from supervision.closing import ClosingError, close_through
from targets.clock import site_today
from targets.models import PlanYear
from targets.periods import format_period, parse_period


class Command(BaseCommand):
    help = (
        "Close every open month of the year from January to --through, in order, and run "
        "the escalation ladder for each (the demo's setup: January–October). Months "
        "already closed are skipped, so it can run on every start."
    )

    def add_arguments(self, parser):
        parser.add_argument("--through", required=True, help="YYYY-MM, the last month to close")

    def handle(self, *args, through: str, **options):
        try:
            period = parse_period(through)
        except ValueError as error:
            raise CommandError(f"月份“{through}”格式不对，应为 2025-10。") from error
        plan_year = PlanYear.objects.filter(year=period.year).first()
        if plan_year is None:
            raise CommandError(f"没有 {period.year} 年度的工作报告。")
        try:
            closed = close_through(
                plan_year=plan_year, through=period, user=None, today=site_today()
            )
        except ClosingError as error:
            raise CommandError(str(error)) from error
        # With a broker the ladder runs on a worker; run it here too (idempotent), so
        # the months are in order however the tasks are scheduled.
        for row in closed:
            escalation.run_escalation(plan_year=plan_year, period=row.period)
        months = "、".join(format_period(row.period) for row in closed) or "无"
        self.stdout.write(f"已关账：{months}。")
