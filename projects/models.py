"""Key projects (重点项目) and their monthly progress."""

from datetime import date

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from org.models import Department
from projects import owed
from targets.models import AMOUNT, PlanYear, Programme
from workflow.models import EvidenceBase, WorkflowEntry, random_name


class Stage(models.TextChoices):
    PLANNING = owed.PLANNING, "谋划"
    SIGNED = "signed", "签约"
    STARTED = "started", "开工"
    UNDER_CONSTRUCTION = "under_construction", "在建"
    COMPLETED = owed.COMPLETED, "竣工投产"


class Category(models.TextChoices):
    INDUSTRY = "industry", "产业项目"
    URBAN_RENEWAL = "urban_renewal", "城市更新"
    INFRASTRUCTURE = "infrastructure", "基础设施"
    CONSUMPTION = "consumption", "文商旅体"
    PUBLIC_SERVICE = "public_service", "社会民生"


class KeyProjectQuerySet(models.QuerySet):
    def for_plan_year(self, plan_year: PlanYear) -> "KeyProjectQuerySet":
        return self.filter(plan_year=plan_year)


class KeyProject(models.Model):
    plan_year = models.ForeignKey(
        PlanYear, on_delete=models.CASCADE, related_name="projects", verbose_name="计划年度"
    )
    code = models.CharField("项目编号", max_length=20)
    name = models.CharField("项目名称", max_length=200)
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="projects", verbose_name="所属工程"
    )
    lead_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="projects", verbose_name="责任单位"
    )
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    stage = models.CharField("阶段", max_length=20, choices=Stage.choices, default=Stage.PLANNING)
    total_investment = models.DecimalField(
        "总投资（亿元）", null=True, blank=True, help_text="报告未公布的留空。", **AMOUNT
    )
    annual_plan = models.DecimalField("年度计划投资（亿元）", null=True, blank=True, **AMOUNT)
    signed_amount = models.DecimalField("签约额（亿元）", null=True, blank=True, **AMOUNT)
    signed_on = models.DateField("签约日期", null=True, blank=True)
    leading_industry = models.BooleanField("主导产业项目", default=False)
    national_reserve_on = models.DateField(
        "纳入国家重大建设项目库日期",
        null=True,
        blank=True,
        help_text="填写即表示已纳入国家重大建设项目库储备。",
    )
    starts_on = models.DateField("计划开工日期", null=True, blank=True)
    started_on = models.DateField("实际开工日期", null=True, blank=True)
    completes_on = models.DateField("计划竣工日期", null=True, blank=True)
    # The register is dated: every figure derived from it answers "what was true at
    # the end of that month", so a project enters the list on a date and, instead of
    # being deleted, leaves it on a date.
    listed_on = models.DateField(
        "列入清单日期", blank=True, help_text="留空则为计划年度的开始日期。"
    )
    delisted_on = models.DateField(
        "移出清单日期",
        null=True,
        blank=True,
        help_text="项目不再列入重点项目清单的日期；此前各月的数字不变。",
    )
    description = models.TextField("报告表述", blank=True)
    named_in_report = models.BooleanField("报告点名项目", default=False)
    is_demo = models.BooleanField("演示数据", default=False, editable=False)
    history = HistoricalRecords()

    objects = KeyProjectQuerySet.as_manager()

    class Meta:
        verbose_name = "重点项目"
        verbose_name_plural = "重点项目"
        ordering = ["plan_year", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan_year", "code"],
                name="project_code_unique_per_year",
                violation_error_message="同一年度的项目编号不能重复。",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0}),
                    name=f"project_{field}_non_negative",
                    violation_error_message=f"{label}不能为负数。",
                )
                for field, label in [
                    ("total_investment", "总投资"),
                    ("annual_plan", "年度计划投资"),
                    ("signed_amount", "签约额"),
                ]
            ],
            models.CheckConstraint(
                condition=Q(signed_on__isnull=True) | Q(signed_amount__isnull=False),
                name="project_signed_on_has_amount",
                violation_error_message="填写签约日期时必须填写签约额。",
            ),
            models.CheckConstraint(
                condition=Q(delisted_on__isnull=True) | Q(delisted_on__gte=F("listed_on")),
                name="project_delisted_not_before_listed",
                violation_error_message="移出清单日期不能早于列入清单日期。",
            ),
            models.CheckConstraint(
                condition=Q(completes_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(completes_on__gte=F("starts_on")),
                name="project_completion_not_before_start",
                violation_error_message="计划竣工日期不能早于计划开工日期。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs) -> None:
        if self.listed_on is None and self.plan_year_id is not None:
            # A project entered without a date was on the year's list from its start.
            self.listed_on = self.plan_year.starts_on
        super().save(*args, **kwargs)

    def listed_at(self, as_of: date) -> bool:
        return self.listed_on <= as_of and (self.delisted_on is None or self.delisted_on > as_of)

    @property
    def in_national_reserve(self) -> bool:
        return self.national_reserve_on is not None


class ProjectProgress(WorkflowEntry):
    project = models.ForeignKey(
        KeyProject, on_delete=models.CASCADE, related_name="progress", verbose_name="重点项目"
    )
    investment = models.DecimalField("当月完成投资（亿元）", null=True, blank=True, **AMOUNT)
    stage = models.CharField("达到阶段", max_length=20, choices=Stage.choices, blank=True)
    notes = models.TextField("进展情况", blank=True, max_length=2000)
    problems = models.TextField("存在问题", blank=True, max_length=2000)
    next_steps = models.TextField("下步计划", blank=True, max_length=2000)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "项目月度进展"
        verbose_name_plural = "项目月度进展"
        ordering = ["project", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period"],
                name="project_progress_one_per_month",
                violation_error_message="该项目本月已有填报记录。",
            ),
            models.CheckConstraint(
                condition=Q(investment__isnull=True) | Q(investment__gte=0),
                name="project_progress_investment_non_negative",
                violation_error_message="完成投资不能为负数。",
            ),
            *WorkflowEntry.workflow_constraints("project_progress"),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.period:%Y年%m月}"


def evidence_path(instance: "ProjectEvidence", filename: str) -> str:
    return random_name(f"evidence/projects/{instance.entry.period:%Y/%m}", filename)


class ProjectEvidence(EvidenceBase):
    """An evidence file (佐证材料) of a project's monthly progress."""

    entry = models.ForeignKey(
        ProjectProgress,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name="项目月度进展",
    )
    file = models.FileField("文件", upload_to=evidence_path, max_length=200)

    class Meta:
        verbose_name = "项目佐证材料"
        verbose_name_plural = "项目佐证材料"
        ordering = ["uploaded_at"]
