"""Celery tasks of the reporting pages: thin, with stable names."""

from celery import shared_task
from django.conf import settings

from reporting import services
from targets.clock import site_today


@shared_task(name="reporting.send_due_reminders")
def send_due_reminders() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): on the plan year's due day, remind the
    departments whose report for last month is still missing (in-app and e-mail,
    logged in the outbound log with no actor: the beat task). Returns how many
    e-mails were queued (0 on other days)."""
    result = services.send_due_day_reminders(today=site_today(), site_url=settings.SITE_URL)
    return result.messages if result else 0
