"""Forms of the reporting pages (the review and upload actions; the entry forms
belong to each kind and come through its adapter)."""

from reporting.forms.actions import REVIEW_ACTIONS, ReviewForm, UploadForm
from reporting.forms.entry import ACTIONS, action_of

__all__ = [
    "ACTIONS",
    "REVIEW_ACTIONS",
    "ReviewForm",
    "UploadForm",
    "action_of",
]
