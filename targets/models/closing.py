"""Closed months: the fact that a month's figures are frozen.

The 督查室 closes a month (the supervision app's pages and services do it); the
recompute, which lives here, must then leave that month's snapshots alone. So the
fact lives at this level, where ``targets/snapshots.py`` can read it without
importing anything above it. A reopened month keeps its row (``closed`` false, who
reopened it, when and why), so the months page can say it was reopened.
"""

from django.conf import settings
from django.db import models

from targets.models.definitions import PlanYear


class ClosedMonthQuerySet(models.QuerySet):
    def closed(self) -> "ClosedMonthQuerySet":
        return self.filter(closed=True)


class ClosedMonth(models.Model):
    plan_year = models.ForeignKey(
        PlanYear, on_delete=models.CASCADE, related_name="closed_months", verbose_name="计划年度"
    )
    period = models.DateField("月份")
    closed = models.BooleanField("已关账", default=True)
    closed_at = models.DateTimeField("关账时间")
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="关账人",
    )
    reopened_at = models.DateTimeField("重新打开时间", null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="重新打开人",
    )
    reopen_reason = models.TextField("重新打开原因", blank=True)
    # Figures the apps above freeze at closing, by name (the supervision app keeps the
    # month's timeliness tally here, so a report that comes in after closing does not
    # move the ranking of a closed month). Plain JSON: this app reads none of it.
    frozen = models.JSONField("关账时冻结的数据", default=dict, blank=True)

    objects = ClosedMonthQuerySet.as_manager()

    class Meta:
        verbose_name = "关账月份"
        verbose_name_plural = "关账月份"
        ordering = ["plan_year", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan_year", "period"], name="closed_month_one_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period.year}年{self.period.month}月"


def closed_periods(plan_year_id: int) -> set:
    """The months of a plan year that are closed (frozen), in one query."""
    return set(
        ClosedMonth.objects.closed()
        .filter(plan_year_id=plan_year_id)
        .values_list("period", flat=True)
    )
