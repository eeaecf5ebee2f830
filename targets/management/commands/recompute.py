from datetime import date
from functools import partial

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from targets import snapshots
from targets.clock import site_today
from targets.models import PlanYear, Target


class Command(BaseCommand):
    help = (
        "Recompute snapshots now, in this process (no broker needed): every plan year, "
        "one year (--year) or one target (--target). A target that fails is skipped and "
        "recorded (the others complete); the command then lists it and exits with an "
        "error. A dropped database connection is retried with backoff."
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
            outcome = snapshots.with_db_retry(
                partial(snapshots.recompute_target, target_id=target, today=today),
                backoff=settings.RECOMPUTE_RETRY_BACKOFF_SECONDS,
            )
            if outcome.missing:
                raise CommandError(f"没有 id 为 {target} 的指标。")
            if outcome.done:
                self.stdout.write(f"已重算指标 {Target.objects.get(pk=target)}（截至 {today}）。")
            self._report_failures(outcome)
            return
        years = PlanYear.objects.order_by("year")
        if year is not None:
            years = years.filter(year=year)
            if not years.exists():
                raise CommandError(f"没有 {year} 年度。")
        total = snapshots.Outcome()
        for plan_year in years:
            outcome = snapshots.with_db_retry(
                partial(snapshots.recompute_plan_year, plan_year=plan_year, today=today),
                backoff=settings.RECOMPUTE_RETRY_BACKOFF_SECONDS,
            )
            self.stdout.write(f"{plan_year.year}年：已重算 {outcome.done} 项指标（截至 {today}）。")
            total += outcome
        self._report_failures(total)

    def _report_failures(self, outcome: snapshots.Outcome) -> None:
        if not outcome.failed:
            return
        targets = Target.objects.in_bulk(list(outcome.failed))
        for target_id, error in sorted(outcome.failed.items()):
            name = targets.get(target_id, f"id {target_id}")
            self.stderr.write(f"重算失败：指标 {name}：{error}")
        raise CommandError(
            f"有 {len(outcome.failed)} 项指标重算失败，已跳过（其余已完成）；"
            "错误已记入待重算，页面会提示，修正后重新运行即可。"
        )
