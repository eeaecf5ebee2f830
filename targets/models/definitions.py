"""What the admins define: plan years, programmes and targets. Every change is kept
(django-simple-history). Departments and profiles live in org."""

from datetime import MAXYEAR, MINYEAR, date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, IntegerField, Q, Value, When
from simple_history.models import HistoricalRecords

from org import glossary
from org.models import Department
from targets import completion, metrics
from targets.models.choices import (
    AMOUNT,
    MANUAL_SOURCE,
    Counting,
    Direction,
    Kind,
    Unit,
)
from workflow.plausibility import Thresholds


class PlanYearQuerySet(models.QuerySet):
    def current(self, today: date, *, prefer_year: int | None = None) -> "PlanYear | None":
        """The plan year a page is about, in one query: ``prefer_year``'s when there is
        one (the year of a month the user asked for), else the one covering ``today``,
        else the latest one before it, else the earliest one after it.

        The one place that chooses "the current plan year"; keeps any annotations of
        the queryset it is called on."""
        ordering = [
            Case(
                When(year__lte=today.year, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            Case(
                When(year__lte=today.year, then=-F("year")),
                default=F("year"),
                output_field=IntegerField(),
            ),
        ]
        if prefer_year is not None and MINYEAR <= prefer_year <= MAXYEAR:
            # Only when asked (and a year a date can have): a CASE that folds to a
            # constant, as `year = -1` does, is compiled as `ORDER BY 1`, which
            # PostgreSQL reads as "by the first column", the id.
            ordering.insert(
                0,
                Case(
                    When(year=prefer_year, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                ),
            )
        return self.order_by(*ordering).first()


class PlanYear(models.Model):
    year = models.PositiveSmallIntegerField("年度", unique=True)
    title = models.CharField("报告标题", max_length=200)
    adopted_on = models.DateField("报告通过日期")
    tolerance_points = models.DecimalField(
        "滞后容差（百分点）",
        max_digits=5,
        decimal_places=2,
        default=Decimal(10),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="低于序时进度不超过此值为“进度滞后”，超过为“严重滞后”。修改后全年重算。",
    )
    report_due_day = models.PositiveSmallIntegerField(
        "报送截止日",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text="每月进展须在次月的这一天前报送。修改后全年重算。",
    )
    counting = models.CharField(
        "计入口径",
        max_length=12,
        choices=Counting.choices,
        default=Counting.SUBMITTED,
        help_text=f"已报送即计入：已提交尚未审核的数据暂时计入，并在各页面标注“{glossary.UNREVIEWED}”。"
        "仅计入已审核：审核通过后才计入；已提交的月份仍算已报送，不会显示为未报送。"
        "修改后全年重算。",
    )
    plausibility_max_multiple = models.DecimalField(
        "异常提示：目标倍数",
        max_digits=6,
        decimal_places=2,
        default=Decimal(3),
        validators=[MinValueValidator(1)],
        help_text="填报数值超过目标值的这一倍数时提示核实。",
    )
    plausibility_max_jump_share = models.DecimalField(
        "异常提示：单月增幅（占目标比例）",
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.5"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(10)],
        help_text="累计数一个月的增加超过目标值的这一比例（0.5 即 50%），"
        "或项目单月投资超过总投资的这一比例时提示核实。",
    )
    plausibility_slip_ratio = models.DecimalField(
        "异常提示：单位误填倍数",
        max_digits=8,
        decimal_places=2,
        default=Decimal(100),
        validators=[MinValueValidator(2)],
        help_text="填报数值达到上月的这一倍数时，提示可能填错单位（如把平方米误填为万平方米）。",
    )
    # The escalation ladder（督办升级）：how many consecutive closed months 严重滞后，
    # 逾期未完成 or 未报送 give each card. Read by the supervision app's ladder.
    ladder_yellow_months = models.PositiveSmallIntegerField(
        "升级阶梯：黄牌（连续月数）",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="连续这么多个已关账月份严重滞后、逾期未完成或未报送时亮黄牌，提醒责任单位。",
    )
    ladder_red_months = models.PositiveSmallIntegerField(
        "升级阶梯：红牌（连续月数）",
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="亮红牌：拟制督办单，并告知分管区领导。",
    )
    ladder_bulletin_months = models.PositiveSmallIntegerField(
        "升级阶梯：列入通报（连续月数）",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="列入月度督查通报。",
    )
    # 红榜 / 黑榜 of the monthly bulletin (percentages).
    honour_min_rate = models.DecimalField(
        "红榜：按时率不低于（%）",
        max_digits=5,
        decimal_places=2,
        default=Decimal(100),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    honour_min_progress = models.DecimalField(
        "红榜：正常推进比例不低于（%）",
        max_digits=5,
        decimal_places=2,
        default=Decimal(90),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="牵头指标中正常推进或已完成的比例。",
    )
    blacklist_max_rate = models.DecimalField(
        "黑榜：按时率低于（%）",
        max_digits=5,
        decimal_places=2,
        default=Decimal(80),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    blacklist_max_progress = models.DecimalField(
        "黑榜：正常推进比例低于（%）",
        max_digits=5,
        decimal_places=2,
        default=Decimal(60),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="按时率或正常推进比例任一低于阈值即列入黑榜。",
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
    def plausibility(self) -> Thresholds:
        return Thresholds(
            max_multiple=self.plausibility_max_multiple,
            max_jump_share=self.plausibility_max_jump_share,
            slip_ratio=self.plausibility_slip_ratio,
        )

    def clean(self) -> None:
        super().clean()
        if not (self.ladder_yellow_months <= self.ladder_red_months <= self.ladder_bulletin_months):
            raise ValidationError(
                {"ladder_red_months": "升级阶梯的月数须依次不减：黄牌 ≤ 红牌 ≤ 列入通报。"}
            )

    @property
    def ladder(self) -> tuple[int, int, int]:
        """Consecutive months behind for 黄牌, 红牌 and 列入通报."""
        return (self.ladder_yellow_months, self.ladder_red_months, self.ladder_bulletin_months)

    @property
    def rules(self) -> completion.Rules:
        return completion.Rules(
            tolerance=self.tolerance_points / 100,
            due_day=self.report_due_day,
            counting=self.counting,
        )


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
        help_text="计算工程完成度时的权重；为 0 时只计状态、不计均值。",
    )
    source = models.CharField(
        "数据来源",
        max_length=60,
        default=MANUAL_SOURCE,
        help_text="“manual”为各单位按月填报；其他值为由重点项目台账自动汇总的派生指标名称。",
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
            # A plan figure is compared with the register: with nothing to compare it
            # with, it would be a number nobody checks.
            models.CheckConstraint(
                condition=~Q(kind=Kind.REFERENCE) | ~Q(source=MANUAL_SOURCE),
                name="reference_target_is_derived",
                violation_error_message="规模型指标须从项目清单计算，请选择派生指标。",
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
                    {"direction": "方向与基数、目标值不一致：越大越好时目标值应不低于基数。"}
                )

    def validate_source(self) -> None:
        if self.is_derived and self.source not in metrics.registry:
            raise ValidationError(
                {"source": f"未知的派生指标“{self.source}”。可选：{metrics.registry.describe()}"}
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
