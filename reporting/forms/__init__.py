"""Forms of the reporting pages (entry forms per target kind, project form, actions)."""

from reporting.forms.actions import REVIEW_ACTIONS, ReviewForm, UploadForm
from reporting.forms.entry import (
    ACTIONS,
    EntryForm,
    ProjectProgressForm,
    action_of,
    entry_form_class,
    entry_initial,
    progress_initial,
)

__all__ = [
    "ACTIONS",
    "REVIEW_ACTIONS",
    "EntryForm",
    "ProjectProgressForm",
    "ReviewForm",
    "UploadForm",
    "action_of",
    "entry_form_class",
    "entry_initial",
    "progress_initial",
]
