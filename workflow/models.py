"""The abstract monthly report every kind shares (state, version, who and when for
each step, the review reason) and the abstract evidence file. Concrete entries live
in the apps that own them (targets.ProgressEntry, projects.ProjectProgress): moving
an abstract base changes no table."""

import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q

from workflow.states import COUNTED_STATES, EntryState


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
    # A figure the plausibility checks warned about, confirmed by the clerk: the
    # reviewer, the target page and the history show it as 异常 with both texts.
    unusual = models.BooleanField("异常", default=False)
    unusual_warning = models.TextField("异常提示", blank=True, max_length=1000)
    unusual_reason = models.TextField("异常说明", blank=True, max_length=500)
    # Timeliness on record (workflow/timeliness.py): the first submission is kept
    # for good, so a late report never erases that it was late, and a return and
    # resubmission keeps the first time.
    first_submitted_at = models.DateTimeField("首次提交时间", null=True, blank=True, editable=False)
    return_count = models.PositiveIntegerField("退回次数", default=0, editable=False)
    is_demo = models.BooleanField("演示数据", default=False, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True

    @property
    def counts(self) -> bool:
        return self.state in COUNTED_STATES

    @property
    def is_locked(self) -> bool:
        return self.state == EntryState.APPROVED

    @property
    def awaits_review(self) -> bool:
        return self.state == EntryState.SUBMITTED

    @property
    def is_returned(self) -> bool:
        return self.state == EntryState.RETURNED

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


class EvidenceBase(models.Model):
    """An evidence file (佐证材料) of a report: the concrete model adds the entry it
    belongs to and the file field (its upload path is the owning app's)."""

    original_name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


def random_name(folder: str, filename: str) -> str:
    """Where an uploaded file is stored: a random name under ``folder``, keeping only
    the extension — nothing of the uploader's file name reaches the file system. Every
    upload path (evidence of each kind, pending uploads) is one of these."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"{folder}/{secrets.token_hex(16)}{suffix}"


def pending_path(instance: "PendingUpload", filename: str) -> str:
    return random_name("pending", filename)


class PendingUpload(models.Model):
    """An evidence file chosen on a form that was not saved (a validation error, a
    refusal): kept for its owner and that form, shown as attached when the form is
    shown again, attached to the report on the corrected save, and removed after a
    day if it never is (workflow/pending.py)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="上传人"
    )
    # Which form it was chosen on: the kind, the subject and the month ("target:12:2025-06").
    form_key = models.CharField("表单", max_length=80)
    file = models.FileField("文件", upload_to=pending_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100)
    created_at = models.DateTimeField("上传时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "待附加的佐证材料"
        verbose_name_plural = "待附加的佐证材料"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["owner", "form_key"], name="pending_owner_form")]

    def __str__(self) -> str:
        return self.original_name
