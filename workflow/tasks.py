"""The workflow's periodic work."""

from celery import shared_task
from django.utils import timezone

from workflow import pending


@shared_task(name="workflow.clean_pending_uploads")
def clean_pending_uploads() -> int:
    """Remove evidence files kept from unsaved forms for more than a day."""
    return pending.clean_expired(now=timezone.now())
