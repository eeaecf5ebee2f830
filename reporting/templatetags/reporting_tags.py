"""Small display helpers of the reporting pages (the shared ones are in targets' zy)."""

from django import template

from projects.adapters import amount_yi
from targets.forms import NEEDS_REASONS
from workflow.registry import registry

register = template.Library()


@register.filter
def needs_reasons(status: str | None) -> bool:
    """A status a leader must find the reason beside (进度滞后, 严重滞后): submitting
    it requires 存在问题 and 下步计划 (targets/forms.py)."""
    return status in NEEDS_REASONS


@register.simple_tag
def figure(entry, subject) -> str:
    """A report's figure the way its kind reads (318亿元, 85%, 已完成(3月26日),
    正常推进): its adapter knows."""
    return registry.for_subject(subject).figure_text(subject, entry)


@register.filter
def yi(value) -> str:
    """An amount in 亿元."""
    return amount_yi(value)
