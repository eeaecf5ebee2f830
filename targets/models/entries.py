"""What departments report each month, through the workflow (the workflow app),
and the evidence they attach. Every change is kept (django-simple-history)."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from targets import completion
from targets.models.choices import AMOUNT, Assessment
from targets.models.definitions import Target
from workflow.models import EvidenceBase, WorkflowEntry, random_name


class ProgressEntry(WorkflowEntry):
    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="entries", verbose_name="指标"
    )
    value = models.DecimalField(
        "数值", null=True, blank=True, help_text="累计型为 1–N 月累计数。", **AMOUNT
    )
    percent = models.DecimalField(
        "完成进度（%）", max_digits=5, decimal_places=2, null=True, blank=True
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
    return random_name(f"evidence/{instance.entry.period:%Y/%m}", filename)


class Evidence(EvidenceBase):
    entry = models.ForeignKey(
        ProgressEntry, on_delete=models.CASCADE, related_name="evidence", verbose_name="月度进展"
    )
    file = models.FileField("文件", upload_to=evidence_path, max_length=200)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["uploaded_at"]
