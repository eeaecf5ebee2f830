"""The states of a monthly report (codes in English, labels in Chinese)."""

from django.db import models


class EntryState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已通过"


# Only submitted and approved reports count; drafts and returned ones do not.
COUNTED_STATES = (EntryState.SUBMITTED.value, EntryState.APPROVED.value)
