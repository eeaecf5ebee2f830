"""What recompute writes (targets/snapshots.py) and its outbox. Never edited by hand."""

from decimal import Decimal

from django.db import models
from django.db.models import Q

from org import glossary
from targets.models.choices import AMOUNT, RATIO, Status
from targets.models.definitions import PlanYear, Programme, Target


class TargetSnapshot(models.Model):
    """A target's computed picture at the end of one month. Written only by recompute."""

    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="snapshots", verbose_name="指标"
    )
    period = models.DateField("月份")
    as_of = models.DateField("截至日期")
    status = models.CharField("状态", max_length=20, choices=Status.choices)
    actual = models.DecimalField("实际值", null=True, **AMOUNT)
    ratio = models.DecimalField("完成率", null=True, **RATIO)
    expected = models.DecimalField("序时进度", null=True, **RATIO)
    gap = models.DecimalField("落后序时", null=True, **RATIO)
    forecast = models.DecimalField("预计年底值", null=True, **AMOUNT)
    pace = models.DecimalField("近三月月均进度", null=True, **AMOUNT)
    required_pace = models.DecimalField("尚需月均进度", null=True, **AMOUNT)
    reached_on = models.DateField("完成于", null=True)
    last_period = models.DateField("最近报送月份", null=True)
    # The figure rests on a report not yet approved（shown marked 未审核）；under
    # 仅计入已审核，a newer report is in but waits for approval before it counts.
    provisional = models.BooleanField(glossary.UNREVIEWED, default=False)
    awaiting_review = models.BooleanField("待审核未计入", default=False)
    # Which entries (id and version) the row was computed from, so pages can tell
    # a fresh row from one that an entry has overtaken since.
    source_entries = models.JSONField("计算依据", default=list)
    # Figures too large for their column (a unit slip: 元 typed into 亿元), by field:
    # the column keeps its limit and this keeps the computed value, as text, so a
    # recompute never fails on them and nothing is hidden.
    out_of_range = models.JSONField("超出范围的计算值", default=dict, blank=True)
    computed_at = models.DateTimeField("计算时间")

    class Meta:
        verbose_name = "指标快照"
        verbose_name_plural = "指标快照"
        ordering = ["target", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "period"], name="target_snapshot_one_per_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target.code} {self.period:%Y-%m} {self.get_status_display()}"


class ProgrammeSnapshot(models.Model):
    """A programme's (or, with no programme, the whole year's) computed month."""

    plan_year = models.ForeignKey(
        PlanYear, on_delete=models.CASCADE, related_name="snapshots", verbose_name="计划年度"
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="snapshots",
        verbose_name="工程",
    )
    period = models.DateField("月份")
    as_of = models.DateField("截至日期")
    status = models.CharField("状态", max_length=20, choices=Status.choices)
    ratio = models.DecimalField("完成度", null=True, **RATIO)
    expected = models.DecimalField("序时进度", null=True, **RATIO)
    status_counts = models.JSONField("状态分布", default=dict)
    target_count = models.PositiveIntegerField("指标数", default=0)
    # How many of its targets' figures rest on reports not yet approved (含 N 项未审核
    # 数据), and how many reports wait for approval before they count.
    provisional_count = models.PositiveIntegerField(f"{glossary.UNREVIEWED}数据项数", default=0)
    awaiting_count = models.PositiveIntegerField("待审核未计入项数", default=0)
    computed_at = models.DateTimeField("计算时间")

    class Meta:
        verbose_name = "工程快照"
        verbose_name_plural = "工程快照"
        ordering = ["plan_year", "programme__number", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "period"],
                condition=Q(programme__isnull=False),
                name="programme_snapshot_one_per_month",
            ),
            models.UniqueConstraint(
                fields=["plan_year", "period"],
                condition=Q(programme__isnull=True),
                name="plan_year_snapshot_one_per_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme or self.plan_year} {self.period:%Y-%m}"

    @property
    def gap(self) -> Decimal | None:
        if self.ratio is None or self.expected is None:
            return None
        return self.expected - self.ratio


class PendingRecompute(models.Model):
    """Outbox: a target whose snapshots must be recomputed.

    Written in the same transaction as the change that makes it necessary, and
    deleted by the recompute that covers it; the beat sweep re-enqueues what is
    left when the broker was down.
    """

    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="pending_recomputes", verbose_name="指标"
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True, db_index=True)
    # When the beat sweep last re-queued it (None: never), so it is not re-queued
    # every minute while a worker is still busy with it.
    swept_at = models.DateTimeField("重新排队时间", null=True, blank=True)
    reason = models.CharField("原因", max_length=100, blank=True)
    # A recompute that failed for this target: the batch skipped it, the others went
    # on. Kept until a recompute of the target succeeds; pages name it.
    attempts = models.PositiveIntegerField("失败次数", default=0)
    failed_at = models.DateTimeField("最近失败时间", null=True, blank=True)
    last_error = models.TextField("最近错误", blank=True)

    class Meta:
        verbose_name = "待重算"
        verbose_name_plural = "待重算"
        ordering = ["requested_at"]

    def __str__(self) -> str:
        return f"{self.target_id} @ {self.requested_at:%Y-%m-%d %H:%M:%S}"
