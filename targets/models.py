"""Plan years, programmes, targets, departments, monthly entries and their snapshots.

Every definition and every entry keeps its history (who, when, the values before
and after) through django-simple-history; snapshots are computed, never edited.
"""

import secrets
from datetime import date
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from targets import completion, metrics

AMOUNT = {"max_digits": 16, "decimal_places": 4}
RATIO = {"max_digits": 9, "decimal_places": 4}


class DepartmentKind(models.TextChoices):
    DISTRICT_OFFICE = "district_office", "区直部门"
    SUBDISTRICT = "subdistrict", "街道"
    STATE_ENTERPRISE = "state_enterprise", "国有企业"
    DEVELOPMENT_ZONE = "development_zone", "开发区"
    OTHER = "other", "其他"


class Kind(models.TextChoices):
    CUMULATIVE = completion.CUMULATIVE, "累计型"
    LEVEL = completion.LEVEL, "水平型"
    CEILING = completion.CEILING, "控制型"
    MILESTONE = completion.MILESTONE, "节点型"
    ASSESSED = completion.ASSESSED, "定性型"


class Direction(models.TextChoices):
    INCREASE = completion.INCREASE, "越大越好(≥)"
    DECREASE = completion.DECREASE, "越小越好(≤)"


class Unit(models.TextChoices):
    YI_YUAN = "亿元", "亿元"
    WAN_SQM = "万平方米", "万平方米"
    GE = "个", "个"
    JIA = "家", "家"
    SUO = "所", "所"
    HU = "户", "户"
    PERCENT = "%", "%"
    NONE = "", "无"


class Status(models.TextChoices):
    COMPLETED = completion.COMPLETED, "已完成"
    COMPLETED_LATE = completion.COMPLETED_LATE, "逾期完成"
    OVERDUE = completion.OVERDUE, "逾期未完成"
    ON_TRACK = completion.ON_TRACK, "正常推进"
    LAGGING = completion.LAGGING, "进度滞后"
    BEHIND = completion.BEHIND, "严重滞后"
    NOT_REPORTED = completion.NOT_REPORTED, "未报送"
    NOT_STARTED = completion.NOT_STARTED, "未开始"


class Assessment(models.TextChoices):
    ACHIEVED = completion.ACHIEVED, "已达成"
    ON_TRACK = completion.ON_TRACK, "正常推进"
    LAGGING = completion.LAGGING, "进度滞后"
    BEHIND = completion.BEHIND, "严重滞后"


class EntryState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = completion.SUBMITTED, "已提交"
    RETURNED = "returned", "已退回"
    APPROVED = completion.APPROVED, "已通过"


class Role(models.TextChoices):
    STAFF = "staff", "填报员"
    REVIEWER = "reviewer", "审核员"
    LEADER = "leader", "领导"
    ADMIN = "admin", "管理员"


MANUAL_SOURCE = "manual"


class PlanYearQuerySet(models.QuerySet):
    def for_day(self, day: date) -> "PlanYear | None":
        """The plan year covering ``day``, else the latest one before it, else any."""
        return (
            self.filter(year=day.year).first()
            or self.filter(year__lt=day.year).order_by("-year").first()
            or self.order_by("year").first()
        )


class PlanYear(models.Model):
    year = models.PositiveSmallIntegerField("年度", unique=True)
    title = models.CharField("报告标题", max_length=200)
    adopted_on = models.DateField("报告通过日期")
    tolerance_points = models.DecimalField(
        "滞后容差(百分点)",
        max_digits=5,
        decimal_places=2,
        default=Decimal(10),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="低于序时进度不超过此值为“进度滞后”,超过为“严重滞后”。修改后全年重算。",
    )
    report_due_day = models.PositiveSmallIntegerField(
        "报送截止日",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text="每月进展须在次月的这一天前报送。修改后全年重算。",
    )
    source_text = models.TextField("报告原文", blank=True)
    has_demo_data = models.BooleanField("含演示数据", default=False, editable=False)
    history = HistoricalRecords()

    objects = PlanYearQuerySet.as_manager()

    class Meta:
        verbose_name = "计划年度"
        verbose_name_plural = "计划年度"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tolerance_points__gte=0) & Q(tolerance_points__lte=100),
                name="planyear_tolerance_0_100",
                violation_error_message="滞后容差须在 0 到 100 个百分点之间。",
            ),
            models.CheckConstraint(
                condition=Q(report_due_day__gte=1) & Q(report_due_day__lte=28),
                name="planyear_due_day_1_28",
                violation_error_message="报送截止日须在 1 到 28 日之间。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.title}"

    @property
    def starts_on(self) -> date:
        return date(self.year, 1, 1)

    @property
    def ends_on(self) -> date:
        return date(self.year, 12, 31)

    @property
    def rules(self) -> completion.Rules:
        return completion.Rules(tolerance=self.tolerance_points / 100, due_day=self.report_due_day)


class Department(models.Model):
    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=30)
    code = models.SlugField(
        "代码", max_length=30, unique=True, help_text="英文短代码,用于账号名,如 fgw。"
    )
    kind = models.CharField(
        "类型",
        max_length=30,
        choices=DepartmentKind.choices,
        default=DepartmentKind.DISTRICT_OFFICE,
    )
    email = models.EmailField(
        "联系邮箱", blank=True, help_text="催报提醒发送到此邮箱及本单位填报员。"
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "责任单位"
        verbose_name_plural = "责任单位"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class Programme(models.Model):
    plan_year = models.ForeignKey(
        PlanYear, on_delete=models.CASCADE, related_name="programmes", verbose_name="计划年度"
    )
    number = models.PositiveSmallIntegerField(
        "序号", validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    name = models.CharField("工程名称", max_length=100)
    short_name = models.CharField("简称", max_length=20)
    text = models.TextField("报告原文", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "工程"
        verbose_name_plural = "八大工程"
        ordering = ["plan_year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan_year", "number"],
                name="programme_number_unique_per_year",
                violation_error_message="同一年度的工程序号不能重复。",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=8),
                name="programme_number_1_8",
                violation_error_message="工程序号须在 1 到 8 之间。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class TargetQuerySet(models.QuerySet):
    def manual(self) -> "TargetQuerySet":
        return self.filter(source=MANUAL_SOURCE)

    def derived(self) -> "TargetQuerySet":
        return self.exclude(source=MANUAL_SOURCE)

    def for_plan_year(self, plan_year: PlanYear) -> "TargetQuerySet":
        return self.filter(programme__plan_year=plan_year)


class Target(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="targets", verbose_name="所属工程"
    )
    code = models.CharField("编号", max_length=10, help_text="如 4.1")
    title = models.CharField("指标名称", max_length=200)
    sentence = models.TextField("报告原句", help_text="报告中提出该目标的原句。")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    unit = models.CharField("单位", max_length=10, choices=Unit.choices, blank=True)
    baseline = models.DecimalField("基数", null=True, blank=True, **AMOUNT)
    target_value = models.DecimalField("目标值", null=True, blank=True, **AMOUNT)
    direction = models.CharField(
        "方向", max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    starts_on = models.DateField("开始日期")
    deadline = models.DateField("完成时限")
    lead_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="led_targets",
        verbose_name="牵头单位",
    )
    co_departments = models.ManyToManyField(
        Department, blank=True, related_name="co_targets", verbose_name="配合单位"
    )
    weight = models.DecimalField(
        "权重",
        max_digits=6,
        decimal_places=2,
        default=Decimal(1),
        help_text="计算工程完成度时的权重;为 0 时只计状态、不计均值。",
    )
    source = models.CharField(
        "数据来源",
        max_length=60,
        default=MANUAL_SOURCE,
        help_text="“manual”为各单位按月填报;其他值为由重点项目台账自动汇总的派生指标名称。",
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=100)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = "指标"
        verbose_name_plural = "指标与节点任务"
        ordering = ["programme__number", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"],
                name="target_code_unique_per_programme",
                violation_error_message="同一工程下的指标编号不能重复。",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("starts_on")),
                name="target_deadline_not_before_start",
                violation_error_message="完成时限不能早于开始日期。",
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0),
                name="target_weight_non_negative",
                violation_error_message="权重不能为负数。",
            ),
            models.CheckConstraint(
                condition=Q(baseline__isnull=True) | Q(baseline__gte=0),
                name="target_baseline_non_negative",
                violation_error_message="基数不能为负数。",
            ),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True) | Q(target_value__gte=0),
                name="target_value_non_negative",
                violation_error_message="目标值不能为负数。",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[Kind.MILESTONE, Kind.ASSESSED])
                | Q(target_value__isnull=False),
                name="target_value_required_for_quantified_kinds",
                violation_error_message="累计型、水平型、控制型指标必须有目标值。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs) -> None:
        # Refused here as well as in forms: a derived target with no metric behind it
        # would silently never move.
        self.validate_source()
        super().save(*args, **kwargs)

    @property
    def is_derived(self) -> bool:
        return self.source != MANUAL_SOURCE

    @property
    def metric_label(self) -> str:
        metric = metrics.registry.get(self.source)
        return metric.label if metric else ""

    def clean(self) -> None:
        super().clean()
        self.validate_source()
        if self.deadline and self.starts_on and self.deadline < self.starts_on:
            raise ValidationError({"deadline": "完成时限不能早于开始日期。"})
        if self.kind in (Kind.CUMULATIVE, Kind.CEILING) and self.target_value is not None:
            baseline = self.baseline or 0
            if self.kind == Kind.CEILING and self.direction != Direction.DECREASE:
                raise ValidationError({"direction": "控制型指标的方向应为“越小越好”。"})
            if self.kind == Kind.CUMULATIVE and (
                (self.direction == Direction.INCREASE and self.target_value < baseline)
                or (self.direction == Direction.DECREASE and self.target_value > baseline)
            ):
                raise ValidationError(
                    {"direction": "方向与基数、目标值不一致:越大越好时目标值应不低于基数。"}
                )

    def validate_source(self) -> None:
        if self.is_derived and self.source not in metrics.registry:
            raise ValidationError(
                {"source": f"未知的派生指标“{self.source}”。可选:{metrics.registry.describe()}"}
            )

    def spec(self) -> completion.TargetSpec:
        return completion.TargetSpec(
            kind=self.kind,
            starts_on=self.starts_on,
            deadline=self.deadline,
            target_value=self.target_value,
            baseline=self.baseline,
            direction=self.direction,
            weight=self.weight,
            derived=self.is_derived,
        )


class Profile(models.Model):
    """What a user does in the system and, for staff, for which department."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name="用户",
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.LEADER)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name="所属单位",
    )
    is_demo = models.BooleanField(
        "演示账号", default=False, help_text="演示账号在 DEBUG 关闭时不能登录。"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "用户角色"
        verbose_name_plural = "用户角色"
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="staff") | Q(department__isnull=False),
                name="profile_staff_has_department",
                violation_error_message="填报员必须属于一个责任单位。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class WorkflowEntry(models.Model):
    """The monthly-report workflow shared by target entries and project progress:
    draft → submitted → approved, or → returned (with a reason) → resubmitted."""

    period = models.DateField("月份", help_text="该月第一天")
    state = models.CharField(
        "状态", max_length=12, choices=EntryState.choices, default=EntryState.DRAFT
    )
    # Optimistic lock: every write bumps it; a save carrying an older one is refused.
    version = models.PositiveIntegerField("版本", default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="填报人",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="最后修改人",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="提交人",
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    return_reason = models.TextField("退回原因", blank=True, max_length=1000)
    is_demo = models.BooleanField("演示数据", default=False, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True

    @property
    def counts(self) -> bool:
        return self.state in completion.COUNTED_STATES

    @property
    def is_locked(self) -> bool:
        return self.state == EntryState.APPROVED

    @staticmethod
    def workflow_constraints(prefix: str) -> list[models.BaseConstraint]:
        return [
            models.CheckConstraint(
                condition=Q(period__day=1),
                name=f"{prefix}_period_is_first_of_month",
                violation_error_message="月份须为该月第一天。",
            ),
            models.CheckConstraint(
                condition=~Q(state="returned") | ~Q(return_reason=""),
                name=f"{prefix}_returned_has_reason",
                violation_error_message="退回必须填写原因。",
            ),
        ]


class ProgressEntry(WorkflowEntry):
    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="entries", verbose_name="指标"
    )
    value = models.DecimalField(
        "数值", null=True, blank=True, help_text="累计型为 1–N 月累计数。", **AMOUNT
    )
    percent = models.DecimalField(
        "完成进度(%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    done_on = models.DateField("完成日期", null=True, blank=True)
    assessment = models.CharField("评估结论", max_length=20, choices=Assessment.choices, blank=True)
    narrative = models.TextField("进展情况", blank=True, max_length=2000)
    problems = models.TextField("存在问题", blank=True, max_length=2000)
    next_steps = models.TextField("下步计划", blank=True, max_length=2000)
    correction_reason = models.TextField(
        "数值下调说明",
        blank=True,
        max_length=500,
        help_text="累计数低于上月时必须说明原因。",
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "月度进展"
        verbose_name_plural = "月度进展"
        ordering = ["target", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "period"],
                name="entry_one_per_target_and_month",
                violation_error_message="该指标本月已有填报记录。",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="entry_value_non_negative",
                violation_error_message="数值不能为负数。",
            ),
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | (Q(percent__gte=0) & Q(percent__lte=100)),
                name="entry_percent_0_100",
                violation_error_message="完成进度须在 0 到 100 之间。",
            ),
            *WorkflowEntry.workflow_constraints("entry"),
        ]

    def __str__(self) -> str:
        return f"{self.target.code} {self.period:%Y年%m月}"

    def fact(self) -> completion.EntryFact:
        return completion.EntryFact(
            period=self.period,
            state=self.state,
            value=self.value,
            percent=self.percent,
            done_on=self.done_on,
            assessment=self.assessment or None,
        )


def evidence_path(instance: "Evidence", filename: str) -> str:
    # Random names: nothing of the uploader's file name reaches the file system.
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"evidence/{instance.entry.period:%Y/%m}/{secrets.token_hex(16)}{suffix}"


class Evidence(models.Model):
    entry = models.ForeignKey(
        ProgressEntry, on_delete=models.CASCADE, related_name="evidence", verbose_name="月度进展"
    )
    file = models.FileField("文件", upload_to=evidence_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小(字节)")
    content_type = models.CharField("类型", max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


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
    # Which entries (id and version) the row was computed from, so pages can tell
    # a fresh row from one that an entry has overtaken since.
    source_entries = models.JSONField("计算依据", default=list)
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

    class Meta:
        verbose_name = "待重算"
        verbose_name_plural = "待重算"
        ordering = ["requested_at"]

    def __str__(self) -> str:
        return f"{self.target_id} @ {self.requested_at:%Y-%m-%d %H:%M:%S}"
