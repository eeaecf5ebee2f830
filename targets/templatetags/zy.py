"""Formatting the report's way: 亿元 with up to two decimals, percentages with one,
no digit grouping (see USE_THOUSAND_SEPARATOR in settings), status by colour and text."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.html import format_html, format_html_join

from targets.models import EntryState, Status
from targets.periods import format_period

register = template.Library()

DASH = "—"


def format_amount(value: Decimal | float | int | None, places: int = 2) -> str:
    """2409.2000 → "2409.2", 335.25 → "335.25", 20 → "20"; None → "—"."""
    if value is None or value == "":
        return DASH
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_ratio(value: Decimal | float | None) -> str:
    """A ratio as a percentage with one decimal: 0.8333 → "83.3%"."""
    if value is None or value == "":
        return DASH
    percent = (Decimal(str(value)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{percent:f}%"


@register.filter
def amount(value, places: int = 2) -> str:
    return format_amount(value, int(places))


@register.filter
def with_unit(value, unit: str) -> str:
    text = format_amount(value)
    return text if text == DASH or not unit else f"{text}{unit}"


@register.filter
def ratio(value) -> str:
    return format_ratio(value)


@register.filter
def points(value) -> str:
    """A gap in ratio units as percentage points: 0.125 → "12.5个百分点"."""
    if value is None:
        return DASH
    number = (Decimal(str(value)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{number:f}个百分点"


@register.filter
def month(value: date | None) -> str:
    return f"{value.year}年{value.month}月" if value else DASH


@register.simple_tag
def status_badge(code: str | None) -> str:
    """Colour *and* text: never colour alone."""
    if not code:
        return format_html('<span class="badge badge-none">{}</span>', DASH)
    return format_html('<span class="badge status-{}">{}</span>', code, Status(code).label)


@register.simple_tag
def state_badge(code: str | None) -> str:
    if not code:
        return format_html('<span class="badge state-missing">{}</span>', "未填")
    return format_html('<span class="badge state-{}">{}</span>', code, EntryState(code).label)


@register.filter
def gap_text(value) -> str:
    """How far a ratio is from 序时, in words: 0.123 → "落后序时12.3个百分点"."""
    if value is None or value == "":
        return DASH
    number = (Decimal(str(value)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if number > 0:
        return f"落后序时{number:f}个百分点"
    if number < 0:
        return f"领先序时{-number:f}个百分点"
    return "与序时持平"


@register.filter
def period_param(value: date | None) -> str:
    """A month as the ``?month=`` parameter takes it: 2025-06 (the one definition
    every template uses)."""
    return format_period(value) if value else ""


@register.filter
def status_label(code: str | None) -> str:
    return Status(code).label if code else DASH


@register.simple_tag
def hidden_params(request, exclude: str = "") -> str:
    """The current query string as hidden inputs, minus ``exclude`` (space separated),
    so a small GET form (the month selector) keeps the filters and sort order."""
    skip = set(exclude.split())
    return format_html_join(
        "",
        '<input type="hidden" name="{}" value="{}">',
        (
            (key, value)
            for key in request.GET
            if key not in skip
            for value in request.GET.getlist(key)
        ),
    )


@register.simple_tag
def as_of_query(as_of, prefix: str = "?") -> str:
    """``?month=YYYY-MM`` for links that keep a month picked in the past; nothing for
    the latest month, so links to the current picture stay plain."""
    if as_of is None or as_of.period is None or as_of.period == as_of.latest:
        return ""
    return f"{prefix}month={period_param(as_of.period)}"
