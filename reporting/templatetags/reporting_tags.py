"""Small display helpers of the reporting pages (the shared ones are in targets' zy)."""

from datetime import date

from django import template

from targets.models import Kind
from targets.periods import format_period
from targets.templatetags.zy import DASH, format_amount

register = template.Library()


@register.filter
def period_param(period: date | None) -> str:
    """2025-10, for URLs and form values."""
    return format_period(period) if period else ""


@register.simple_tag
def figure(entry, target) -> str:
    """An entry's figure the way its kind reads: 318亿元, 85%, 已完成(3月26日), 正常推进."""
    if entry is None:
        return DASH
    if target.kind == Kind.MILESTONE:
        if entry.done_on:
            return f"已完成({entry.done_on.month}月{entry.done_on.day}日)"
        return DASH if entry.percent is None else f"{format_amount(entry.percent)}%"
    if target.kind == Kind.ASSESSED:
        return entry.get_assessment_display() if entry.assessment else DASH
    if entry.value is None:
        return DASH
    return f"{format_amount(entry.value, 4)}{target.unit}"


@register.filter
def yi(value) -> str:
    """An amount in 亿元."""
    text = format_amount(value, 4)
    return text if text == DASH else f"{text}亿元"


@register.filter
def person(user) -> str:
    """A user's display name (their full name, else the account name)."""
    if user is None:
        return DASH
    return user.get_full_name() or user.username
