"""Formatting the report's way: 亿元 with up to two decimals, percentages with one,
no digit grouping (see USE_THOUSAND_SEPARATOR in settings), status by colour and text."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.timezone import localtime

from org.roles import can_view_department
from targets import completion, presenters
from targets.clock import clock_today, site_today
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


@register.filter
def department(dept, viewer="link") -> str:
    """A department the one way it is shown everywhere: the short name, the full name
    on hover, linked to its page. ``{{ d|department:request.user }}`` links it only
    for a user who may open that page (staff: their own department), so nobody meets
    a link that answers 403; ``{{ d|department:"plain" }}`` never links."""
    if dept is None:
        return DASH
    short = dept.short_name or dept.name
    if viewer == "plain" or (viewer != "link" and not can_view_department(viewer, dept.pk)):
        return format_html('<span class="department" title="{}">{}</span>', dept.name, short)
    return format_html(
        '<a class="department" href="{}" title="{}">{}</a>',
        reverse("departments:detail", args=[dept.pk]),
        dept.name,
        short,
    )


@register.simple_tag
def computed_at(moment) -> str:
    """``{% computed_at as_of.computed_at %}``: "2026年12月1日 16:40", labelled
    （服务器时间） while the site's day is pinned to another (targets.presenters)."""
    if moment is None:
        return DASH
    return presenters.computed_at_text(
        localtime(moment), site_today=site_today(), clock_today=clock_today()
    )


@register.filter
def name_cell(text, url: str = "") -> str:
    """A long name (指标, 项目名称) in a table cell: one line cut with an ellipsis, the
    whole name on hover; linked when given a URL."""
    if not text:
        return DASH
    if url:
        return format_html('<a class="trunc" href="{}" title="{}">{}</a>', url, text, text)
    return format_html('<span class="trunc" title="{}">{}</span>', text, text)


@register.simple_tag
def reconcile_badge(result) -> str:
    """一致 / 相差 +3 个, with both figures on hover (``targets.reconcile``)."""
    if result is None:
        return ""
    tone = "agrees" if result.agrees else "differs"
    return format_html(
        '<span class="reconcile reconcile-{}" title="{}" data-testid="reconcile">{}</span>',
        tone,
        result.explanation,
        result.label,
    )


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


@register.simple_tag
def status_count_links(counts: dict | None, as_of, programme: int | None = None) -> SafeString:
    """ "严重滞后 1、逾期未完成 1、进度滞后 3……": every status present, most urgent
    first, each count a link to the list of exactly those targets (``targets:list``
    with ``?status=``, and ``?programme=`` on a programme's counts)."""
    items = []
    for code in completion.STATUSES:
        count = (counts or {}).get(code, 0)
        if not count:
            continue
        params = {"status": code}
        if programme is not None:
            params["programme"] = programme
        month_param = as_of_query(as_of, prefix="")
        if month_param:
            params["month"] = month_param.removeprefix("month=")
        items.append(
            (
                f"{reverse('targets:list')}?{urlencode(params)}",
                code,
                code,
                Status(code).label,
                count,
            )
        )
    return format_html_join(
        "、",
        '<a class="chip status-chip-{}" data-status="{}" href="{}">{} {}</a>',
        ((code, data, url, label, count) for url, code, data, label, count in items),
    )


def _snapshot_fields(row) -> dict:
    """The fields a presenter needs, from a TargetSnapshot (with ``target``) or a
    target row annotated by ``queries.targets_at``."""
    target = getattr(row, "target", row)
    return {
        "kind": target.kind,
        "status": row.status,
        "ratio": row.ratio,
        "gap": row.gap,
        "as_of": getattr(row, "snap_as_of", None) or getattr(row, "as_of", None),
        "deadline": target.deadline,
        "actual": row.actual,
        "target_value": target.target_value,
        "direction": target.direction,
        "unit": target.unit,
        "last_period": row.last_period,
        "reached_on": getattr(row, "reached_on", None),
    }


@register.filter
def missing_text(row) -> str:
    """What a target still lacks: "逾期 45 天", "逾期，差 20亿元", "落后序时 12.3 个
    百分点", "未报送（最近报送：2025年8月）"."""
    if row is None:
        return DASH
    return presenters.behind_text(**_snapshot_fields(row))


@register.filter
def status_note(row) -> str:
    """ "当前已达标" under a level or ceiling target's 正常推进, else ""."""
    if row is None:
        return ""
    target = getattr(row, "target", row)
    return presenters.status_note(kind=target.kind, status=row.status, ratio=row.ratio)


@register.filter
def target_text(target) -> str:
    """A target as the report states it: "400亿元", "≥ 10%", "2025年6月30日前完成"."""
    return presenters.target_text(
        kind=target.kind,
        target_value=target.target_value,
        unit=target.unit,
        direction=target.direction,
        deadline=target.deadline,
    )


@register.filter
def milestone_state(row) -> str:
    """A milestone's month: 已完成（3月26日） or 未完成（80%）."""
    if row is None:
        return DASH
    return presenters.milestone_state(
        status=row.status, reached_on=row.reached_on, percent=row.actual
    )


# Named predicates, so that no template compares a raw kind code.
@register.filter
def is_milestone(target) -> bool:
    return target is not None and target.kind == completion.MILESTONE


@register.filter
def is_assessed(target) -> bool:
    return target is not None and target.kind == completion.ASSESSED


@register.filter
def is_reference(target) -> bool:
    return target is not None and target.kind == completion.REFERENCE


@register.filter
def is_ceiling(target) -> bool:
    return target is not None and target.kind == completion.CEILING


@register.simple_tag
def entry_figure_label(target) -> str:
    """The header of a target's reports column: 进度, 评估 or 数值."""
    if is_milestone(target):
        return "进度"
    return "评估" if is_assessed(target) else "数值"


@register.simple_tag
def entry_figure(entry, target) -> str:
    """One report's figure as its kind reads: 已完成 and the date, or the percent (a
    milestone); the assessment; or the value with its unit."""
    if is_milestone(target):
        if entry.done_on:
            return format_html(
                '已完成<br><span class="muted">{}月{}日</span>',
                entry.done_on.month,
                entry.done_on.day,
            )
        return with_unit(entry.percent, "%")
    if is_assessed(target):
        return entry.get_assessment_display() or DASH
    return with_unit(entry.value, target.unit)


# --- 未审核 ---------------------------------------------------------------------------


@register.simple_tag
def review_mark(row) -> str:
    """未审核 (or 待审核，暂未计入) beside a snapshot's figure, from the snapshot's own
    marks (a TargetSnapshot, or a target row annotated by ``queries.targets_at``)."""
    if row is None:
        return ""
    text = presenters.review_mark(
        provisional=bool(getattr(row, "provisional", False)),
        awaiting_review=bool(getattr(row, "awaiting_review", False)),
    )
    return _review_badge(text)


@register.simple_tag
def entry_review_mark(entry, rules) -> str:
    """未审核 (or 待审核，暂未计入) beside one report's figure, by the plan year's rule."""
    return _review_badge(presenters.entry_review_mark(state=entry.state, rules=rules))


def _review_badge(text: str) -> str:
    if not text:
        return ""
    return format_html(
        '<span class="badge badge-unreviewed" data-testid="unreviewed-mark">{}</span>', text
    )


@register.simple_tag
def unreviewed_summary(snapshot) -> str:
    """ "含 N 项未审核数据" for a programme's or the year's snapshot (or a programme
    row annotated by ``queries.programmes_at``); "" when all is reviewed."""
    if snapshot is None:
        return ""
    text = presenters.unreviewed_summary(
        provisional_count=getattr(snapshot, "provisional_count", 0) or 0,
        awaiting_count=getattr(snapshot, "awaiting_count", 0) or 0,
    )
    if not text:
        return ""
    return format_html(
        '<p class="unreviewed-summary" data-testid="unreviewed-summary">{}</p>', text
    )


@register.filter
def has_points(figure: dict | None) -> bool:
    """Whether a figure dict has anything to draw. Bars of nothing but zeros (a filter
    that matches no row) would draw bare axis ticks "0, 0, 1, 1"; a line or heatmap
    point counts whatever its value (a ceiling target's 0 is a figure)."""
    for trace in (figure or {}).get("data", []):
        kind = trace.get("type")
        if kind == "heatmap":
            if any(v is not None for row in trace.get("z") or [] for v in row):
                return True
        elif kind == "bar":
            values = trace.get("x" if trace.get("orientation") == "h" else "y") or []
            if any(v for v in values):
                return True
        elif any(v is not None for v in trace.get("y") or []):
            return True
    return False
