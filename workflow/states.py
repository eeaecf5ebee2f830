"""The states of a monthly report (codes in English, labels in Chinese)."""

from django.db import models

from org import glossary


class EntryState(models.TextChoices):
    DRAFT = "draft", glossary.ENTRY_STATE["draft"]
    SUBMITTED = "submitted", glossary.ENTRY_STATE["submitted"]
    RETURNED = "returned", glossary.ENTRY_STATE["returned"]
    APPROVED = "approved", glossary.ENTRY_STATE["approved"]


# Only submitted and approved reports count; drafts and returned ones do not.
COUNTED_STATES = (EntryState.SUBMITTED.value, EntryState.APPROVED.value)
