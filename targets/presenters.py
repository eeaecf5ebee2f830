"""How a target's computed month is said on a page: the words beside the numbers.

Pure (no ORM, no clock): each function takes the fields a snapshot row carries and
returns text, so templates and tables call them through template tags and columns
instead of comparing raw codes. The rules that produce those fields live in
``targets/completion.py``; nothing here decides a status.
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from org import glossary
from targets import completion

DASH = "—"
UNREVIEWED = glossary.UNREVIEWED
AWAITING_REVIEW = glossary.AWAITING_REVIEW


def _amount(value: Decimal, places: int = 2) -> str:
    """2409.2000 → "2409.2"; the report's way, no digit grouping."""
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _day(value: date) -> str:
    return f"{value.month}月{value.day}日"


def computed_at_text(moment: datetime, *, site_today: date, clock_today: date) -> str:
    """When snapshots were computed, as the pages say it: "2026年12月1日 16:40" in
    local time. The time is the server's clock; when the site's day is pinned to
    another day (``SITE_TODAY``, the demo) it says so, rather than set a real time
    beside a fictional today."""
    text = f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"
    return text if site_today == clock_today else f"{text}（服务器时间）"


def holds_level_early(*, kind: str, status: str | None, ratio: Decimal | None) -> bool:
    """A level or ceiling target at its level before the deadline month's report:
    on track, shown as 当前已达标 (DESIGN.md §3)."""
    return (
        kind in completion.HOLDING_KINDS
        and status == completion.ON_TRACK
        and ratio is not None
        and ratio >= 1
    )


def status_note(*, kind: str, status: str | None, ratio: Decimal | None) -> str:
    """The words under a status badge, or ""."""
    return "当前已达标" if holds_level_early(kind=kind, status=status, ratio=ratio) else ""


def shortfall(
    *, kind: str, actual: Decimal | None, target_value: Decimal | None, direction: str
) -> Decimal | None:
    """How far a quantified target's figure is from its target (None when it is not
    short, or has no figure)."""
    if kind not in (completion.CUMULATIVE, completion.LEVEL, completion.CEILING):
        return None
    if actual is None or target_value is None:
        return None
    short = target_value - actual if direction == completion.INCREASE else actual - target_value
    return short if short > 0 else None


def overdue_text(
    *,
    kind: str,
    as_of: date,
    deadline: date,
    actual: Decimal | None,
    target_value: Decimal | None,
    direction: str,
    unit: str,
) -> str:
    """An overdue target: "逾期 N 天" for milestones and assessments, "逾期，差 N 单位"
    for a figure still short of its target."""
    short = shortfall(kind=kind, actual=actual, target_value=target_value, direction=direction)
    if short is not None:
        return f"逾期，差 {_amount(short)}{unit}"
    return f"逾期 {max(0, (as_of - deadline).days)} 天"


def gap_points(gap: Decimal | None) -> str:
    """A gap behind 序时 in words: 0.123 → "落后序时 12.3 个百分点"."""
    if gap is None:
        return DASH
    points = _amount(Decimal(str(gap)) * 100, 1)
    if Decimal(points) > 0:
        return f"落后序时 {points} 个百分点"
    if Decimal(points) < 0:
        return f"领先序时 {points.lstrip('-')} 个百分点"
    return "与序时持平"


def behind_text(
    *,
    kind: str,
    status: str | None,
    ratio: Decimal | None,
    gap: Decimal | None,
    as_of: date | None,
    deadline: date,
    actual: Decimal | None,
    target_value: Decimal | None,
    direction: str,
    unit: str,
    last_period: date | None,
    reached_on: date | None = None,
) -> str:
    """What is missing, in one phrase, for the lists of targets needing attention and
    the programme table: days overdue, the shortfall, the gap to 序时, or the report."""
    if status in completion.DONE_STATUSES:
        return f"完成于{reached_on.year}年{_day(reached_on)}" if reached_on else "已完成"
    if status == completion.NOT_STARTED:
        return "未开始"
    if status == completion.OVERDUE and as_of is not None:
        return overdue_text(
            kind=kind,
            as_of=as_of,
            deadline=deadline,
            actual=actual,
            target_value=target_value,
            direction=direction,
            unit=unit,
        )
    if status == completion.NOT_REPORTED:
        if last_period is None:
            return "尚未报送"
        return f"最近报送：{last_period.year}年{last_period.month}月"
    if holds_level_early(kind=kind, status=status, ratio=ratio):
        return "当前已达标"
    if kind == completion.ASSESSED:
        return DASH
    return gap_points(gap)


def milestone_state(*, status: str | None, reached_on: date | None, percent: Decimal | None) -> str:
    """A milestone's figure: 完成 with the date, or 未完成 with the percent reported."""
    if status in completion.DONE_STATUSES and reached_on is not None:
        return f"已完成（{_day(reached_on)}）"
    if percent is None:
        return "未完成"
    return f"未完成（{_amount(percent, 1)}%）"


def target_text(
    *, kind: str, target_value: Decimal | None, unit: str, direction: str, deadline: date
) -> str:
    """A target as the report states it: "400亿元", "≤ 0户", "6月30日前完成"."""
    if kind == completion.MILESTONE:
        return f"{deadline.year}年{_day(deadline)}前完成"
    if kind == completion.ASSESSED or target_value is None:
        return DASH
    text = f"{_amount(target_value)}{unit}"
    if kind == completion.CUMULATIVE:
        return text
    return f"≥ {text}" if direction == completion.INCREASE else f"≤ {text}"


# --- unreviewed figures（未审核） ---------------------------------------------------------


def review_mark(*, provisional: bool, awaiting_review: bool) -> str:
    """The word beside a computed figure: 未审核 when it rests on a report not yet
    approved; 待审核，暂未计入 when a newer report waits for approval before it counts
    (仅计入已审核); else ""."""
    if provisional:
        return UNREVIEWED
    if awaiting_review:
        return AWAITING_REVIEW
    return ""


def entry_review_mark(*, state: str, rules: completion.Rules) -> str:
    """The word beside one report's figure in a history: 未审核 when it counts
    provisionally; 待审核，暂未计入 when it waits for approval; else ""."""
    return review_mark(
        provisional=completion.is_provisional(state, rules),
        awaiting_review=completion.awaits_review(state, rules),
    )


def unreviewed_summary(*, provisional_count: int, awaiting_count: int = 0) -> str:
    """A group's line: "含 3 项未审核数据" and/or "2 项已报送待审核，暂未计入"; "" when
    every figure is reviewed."""
    parts = []
    if provisional_count:
        parts.append(f"含 {provisional_count} 项{UNREVIEWED}数据")
    if awaiting_count:
        parts.append(f"{awaiting_count} 项已报送{AWAITING_REVIEW}")
    return "；".join(parts)


def unreviewed_hover(*, provisional: bool) -> str:
    """A chart point's hover suffix: "（未审核）" or ""."""
    return f"（{UNREVIEWED}）" if provisional else ""
