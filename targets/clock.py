"""The site's idea of today: the one place that reads the clock.

``SITE_TODAY`` pins it (the demo runs on 2025-11-20); production leaves it unset.
Only edges call this (views choosing a default month, tasks, reminders); the rules
take the date as an argument.
"""

from datetime import date

from django.conf import settings
from django.utils import timezone


def site_today() -> date:
    return settings.SITE_TODAY or timezone.localdate()


def clock_today() -> date:
    """The server's own date, whatever ``SITE_TODAY`` says (for labelling times that
    are the real clock's)."""
    return timezone.localdate()
