"""The month's products: 通报 (bulletins) and the escalation ladder's steps.

Whether a month is closed lives in ``targets.ClosedMonth`` (the recompute there must
read it); the pages and services that close and reopen months are this app's.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from projects.models import KeyProject
from supervision import ladder
from targets.models import PlanYear, Target

__all__ = ["Bulletin", "EscalationLevel", "EscalationStep", "bulletin_path"]


def bulletin_path(bulletin: "Bulletin", filename: str) -> str:
    return f"bulletins/{bulletin.period:%Y}/{filename}"


class Bulletin(models.Model):
    """One generated 月度督查通报: the .docx as generated, from which snapshots, by
    whom; a draft until the reviewer publishes it. A leader's draft is for the leader
    alone and is never published."""

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    plan_year = models.ForeignKey(
        PlanYear, on_delete=models.PROTECT, related_name="bulletins", verbose_name="计划年度"
    )
    period = models.DateField("月份")
    number = models.PositiveIntegerField("文号序号", null=True, blank=True)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.DRAFT)
    private = models.BooleanField(
        "仅供本人参阅", default=False, help_text="领导生成的草稿：只有本人可见，不能发布。"
    )
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="生成人",
    )
    generated_at = models.DateTimeField("生成时间")
    # The computed_at range of the snapshots the document was written from.
    computed_from = models.DateTimeField("快照计算时间（最早）", null=True, blank=True)
    computed_to = models.DateTimeField("快照计算时间（最晚）", null=True, blank=True)
    file = models.FileField("文件", upload_to=bulletin_path)
    # SHA-256 of the document's text (not of the file: a .docx is a zip whose bytes
    # carry times), so two generations of a month can be compared.
    text_digest = models.CharField("正文摘要", max_length=64)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布人",
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "月度督查通报"
        verbose_name_plural = "月度督查通报"
        ordering = ["-period", "-generated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan_year", "period"],
                condition=Q(state="published"),
                name="bulletin_one_published_per_month",
                violation_error_message="该月已有发布的通报。",
            ),
            models.CheckConstraint(
                condition=~Q(state="published") | Q(private=False),
                name="bulletin_private_never_published",
                violation_error_message="领导个人草稿不能发布。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period.year}年{self.period.month}月督查通报"

    @property
    def filename(self) -> str:
        return f"中原区{self.period.year}年{self.period.month}月督查通报.docx"

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED


class EscalationLevel(models.IntegerChoices):
    NONE = ladder.NONE, ladder.LEVEL_LABELS[ladder.NONE]
    YELLOW = ladder.YELLOW, ladder.LEVEL_LABELS[ladder.YELLOW]
    RED = ladder.RED, ladder.LEVEL_LABELS[ladder.RED]
    LISTED = ladder.LISTED, ladder.LEVEL_LABELS[ladder.LISTED]


class EscalationStep(models.Model):
    """A change of card at a closed month (supervision/ladder.py decides it), for a
    target or a project, with whom it was told to and when."""

    target = models.ForeignKey(
        Target,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="escalation_steps",
        verbose_name="指标",
    )
    project = models.ForeignKey(
        KeyProject,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="escalation_steps",
        verbose_name="重点项目",
    )
    period = models.DateField("月份")
    level = models.PositiveSmallIntegerField("级别", choices=EscalationLevel.choices)
    previous_level = models.PositiveSmallIntegerField(
        "原级别", choices=EscalationLevel.choices, default=EscalationLevel.NONE
    )
    status = models.CharField("当月状态", max_length=20)
    notified = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name="已通知"
    )
    notified_at = models.DateTimeField("通知时间", null=True, blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "督办升级记录"
        verbose_name_plural = "督办升级记录"
        ordering = ["period", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target__isnull=False, project__isnull=True)
                | Q(target__isnull=True, project__isnull=False),
                name="escalation_step_one_subject",
            ),
            models.UniqueConstraint(
                fields=["target", "period"],
                condition=Q(target__isnull=False),
                name="escalation_step_target_month",
            ),
            models.UniqueConstraint(
                fields=["project", "period"],
                condition=Q(project__isnull=False),
                name="escalation_step_project_month",
            ),
        ]

    def __str__(self) -> str:
        subject = self.target or self.project
        return f"{subject} {self.period:%Y-%m} {self.get_level_display()}"

    @property
    def subject(self):
        return self.target or self.project

    @property
    def climbed(self) -> bool:
        return self.level > self.previous_level

    @property
    def badge_class(self) -> str:
        """The badge a card shows as (the status colours: yellow, red)."""
        return LEVEL_BADGES[self.level]


LEVEL_BADGES = {
    ladder.NONE: "status-on_track",
    ladder.YELLOW: "status-lagging",
    ladder.RED: "status-behind",
    ladder.LISTED: "status-behind",
}
