"""Small display helpers of the reporting pages (the shared ones are in targets' zy)."""

from datetime import date

from django import template

from projects.adapters import amount_yi
from targets.periods import format_period
from targets.templatetags.zy import DASH
from workflow.registry import registry

register = template.Library()


@register.filter
def period_param(period: date | None) -> str:
    """2025-10, for URLs and form values."""
    return format_period(period) if period else ""


@register.simple_tag
def figure(entry, subject) -> str:
    """A report's figure the way its kind reads (318亿元, 85%, 已完成(3月26日),
    正常推进): its adapter knows."""
    return registry.for_subject(subject).figure_text(subject, entry)


@register.filter
def yi(value) -> str:
    """An amount in 亿元."""
    return amount_yi(value)


@register.filter
def person(user) -> str:
    """A user's display name (their full name, else the account name)."""
    if user is None:
        return DASH
    return user.get_full_name() or user.username
