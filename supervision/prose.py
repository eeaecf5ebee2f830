"""The bulletin's words, in the district's register. Pure: plain values in, text out
(no ORM, no clock), so the same closed month always reads the same.

"1—10月，全区新引进项目签约额318亿元，完成年度目标的79.5%，低于序时进度3.8个百分点。"

Full-width punctuation throughout; numbers as the report writes them (no digit
grouping, the target's unit straight after the number, percentages to one decimal).
Departments' own text is passed through ``fullwidth`` so a half-width comma typed
between Chinese characters reads as the rest of the document.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from org.glossary import STATUS
from targets.templatetags.zy import format_amount

# The order statuses are counted in（the glossary's, without 规模指标）.
STATUS_ORDER = (
    "completed",
    "completed_late",
    "on_track",
    "lagging",
    "behind",
    "overdue",
    "not_reported",
    "not_started",
)
NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class TargetFigures:
    """One target at the end of a closed month (its snapshot and definition)."""

    code: str
    title: str
    kind: str
    unit: str
    status: str
    actual: Decimal | None
    ratio: Decimal | None
    expected: Decimal | None
    target_value: Decimal | None
    direction: str
    reached_on: date | None
    department: str


@dataclass(frozen=True)
class AggregateFigures:
    """A programme (or the year) at the end of a closed month."""

    name: str
    status: str
    ratio: Decimal | None
    expected: Decimal | None
    counts: Mapping[str, int]
    target_count: int


# --- numbers ---------------------------------------------------------------------


def period_label(period: date) -> str:
    """The months covered: "1月", "1—10月" (an em dash pair, as the report writes)."""
    return "1月" if period.month == 1 else f"1—{period.month}月"


def percent(ratio: Decimal | None) -> str:
    """0.795 → "79.5%"."""
    if ratio is None:
        return "—"
    value = (Decimal(str(ratio)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{value:f}%"


def points(value: Decimal) -> str:
    """A difference of ratios in percentage points: 0.038 → "3.8"."""
    return format_amount(abs(Decimal(str(value))) * 100, 1)


def against_expected(ratio: Decimal | None, expected: Decimal | None) -> str:
    """ "低于序时进度3.8个百分点" / "高于序时进度…" / "与序时进度持平"."""
    if ratio is None or expected is None:
        return ""
    gap = Decimal(str(ratio)) - Decimal(str(expected))
    if points(gap) == "0":
        return "与序时进度持平"
    word = "低于" if gap < 0 else "高于"
    return f"{word}序时进度{points(gap)}个百分点"


def amount(value: Decimal | None, unit: str) -> str:
    return f"{format_amount(value)}{unit}"


def counts_text(counts: Mapping[str, int]) -> str:
    """ "已完成3项、正常推进10项、严重滞后2项" (only the statuses that occur)."""
    parts = [f"{STATUS[code]}{counts[code]}项" for code in STATUS_ORDER if counts.get(code)]
    return "、".join(parts)


def fullwidth(text: str) -> str:
    """Half-width , : ; ( ) ! ? next to a Chinese character made full-width; the rest
    (1,000 or 10:30 between digits) left alone. Whitespace runs become one space."""
    pairs = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"}
    cjk = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
    pattern = re.compile(rf"(?<={cjk})\s*([,:;()!?])\s*|\s*([,:;()!?])\s*(?={cjk})")

    def swap(match: re.Match) -> str:
        return pairs[match.group(1) or match.group(2)]

    text = re.sub(r"\s+", " ", text or "").strip()
    return pattern.sub(swap, text)


def sentence(text: str) -> str:
    """Ends with a full stop (unless it already ends with a Chinese mark)."""
    text = fullwidth(text).rstrip("，；、 ")
    return text if not text or text[-1] in "。！？" else f"{text}。"


# --- sentences -------------------------------------------------------------------


def target_clause(figures: TargetFigures) -> str:
    """One target's figures as a clause, without the final mark."""
    status = STATUS.get(figures.status, figures.status)
    if figures.kind == "cumulative" and figures.actual is not None:
        clause = f"{figures.title}{amount(figures.actual, figures.unit)}"
        if figures.ratio is not None:
            clause += f"，完成年度目标的{percent(figures.ratio)}"
        comparison = against_expected(figures.ratio, figures.expected)
        if comparison and figures.status not in ("completed", "completed_late"):
            clause += f"，{comparison}"
        return clause
    if figures.kind in ("level", "ceiling") and figures.actual is not None:
        sign = "不低于" if figures.direction == "increase" else "不高于"
        return (
            f"{figures.title}为{amount(figures.actual, figures.unit)}"
            f"（目标{sign}{amount(figures.target_value, figures.unit)}），{status}"
        )
    if figures.status in ("completed", "completed_late") and figures.reached_on:
        day = figures.reached_on
        return f"{figures.title}已于{day.month}月{day.day}日完成"
    return f"{figures.title}，{status}"


def _average(figures: AggregateFigures) -> str:
    """ "，平均完成率93.2%，高于序时进度3.3个百分点" ("" with no average: only
    assessed targets)."""
    if figures.ratio is None:
        return ""
    text = f"，平均完成率{percent(figures.ratio)}"
    comparison = against_expected(figures.ratio, figures.expected)
    return f"{text}，{comparison}" if comparison else text


def year_paragraph(period: date, year: AggregateFigures) -> str:
    """The year in one paragraph."""
    text = f"{period_label(period)}，全区“八大工程”纳入监测的目标任务共{year.target_count}项"
    text += _average(year)
    text += f"，总体状态为{STATUS.get(year.status, year.status)}。"
    counts = counts_text(year.counts)
    if counts:
        text += f"其中，{counts}。"
    return text


def programme_paragraph(
    number: int, programme: AggregateFigures, targets: Sequence[TargetFigures]
) -> str:
    """ "（一）产业集群工程。纳入监测的目标任务2项，…。新招引…；…。" """
    head = f"（{NUMERALS[number - 1]}）{programme.name}。"
    text = f"{head}纳入监测的目标任务{programme.target_count}项"
    text += _average(programme)
    text += f"，状态为{STATUS.get(programme.status, programme.status)}"
    counts = counts_text(programme.counts)
    text += f"（{counts}）。" if counts else "。"
    clauses = [target_clause(t) for t in targets if t.kind != "reference"]
    if clauses:
        text += "；".join(clauses) + "。"
    return text


def figure_detail(figures: TargetFigures) -> str:
    """A quantified target's figures without its title ("" for the others)."""
    if figures.actual is None or figures.kind not in ("cumulative", "level", "ceiling"):
        return ""
    text = f"当前为{amount(figures.actual, figures.unit)}"
    if figures.kind == "cumulative" and figures.ratio is not None:
        text += f"，完成年度目标的{percent(figures.ratio)}"
        comparison = against_expected(figures.ratio, figures.expected)
        if comparison:
            text += f"，{comparison}"
    elif figures.target_value is not None:
        sign = "不低于" if figures.direction == "increase" else "不高于"
        text += f"，目标{sign}{amount(figures.target_value, figures.unit)}"
    return text


def lagging_item(index: int, figures: TargetFigures, problems: str, next_steps: str) -> str:
    """One 严重滞后 / 逾期未完成 target with its department's own words."""
    status = STATUS.get(figures.status, figures.status)
    text = f"{index}．{figures.title}（牵头单位：{figures.department}），{status}。"
    detail = figure_detail(figures)
    if detail:
        text += f"{detail}。"
    text += f"存在问题：{sentence(problems) or '未填报。'}"
    text += f"下步计划：{sentence(next_steps) or '未填报。'}"
    return text


def red_card_item(
    index: int, title: str, department: str, period: date, behind: int, run: int, level: str
) -> str:
    """A target listed by the ladder: how many closed months it was behind, the run
    it ends on, its card."""
    text = (
        f"{index}．{title}（牵头单位：{department}），{period_label(period)}中有{behind}个月"
        "严重滞后、逾期未完成或未报送"
    )
    if run > 1:
        text += f"，已连续{run}个月"
    return f"{text}，{level}。"


def ranking_sentence(red: Sequence[str], black: Sequence[str]) -> list[str]:
    """The 红榜 and 黑榜 sentences."""
    return [
        f"红榜：{'、'.join(red)}。" if red else "红榜：本月暂无。",
        f"黑榜：{'、'.join(black)}。" if black else "黑榜：本月暂无。",
    ]


def document_title(period: date) -> str:
    return f"关于{period.year}年{period_label(period)}“八大工程”目标任务推进情况的通报"


def opening(period: date) -> str:
    return f"现将{period.year}年{period_label(period)}全区“八大工程”目标任务推进情况通报如下。"


REQUIREMENTS = (
    "各责任单位要对照年度目标和序时进度，逐项梳理滞后事项，明确责任人和完成时限，"
    "确保按期完成。被列入严重滞后、逾期未完成清单的单位，要在下月报送时说明整改措施和进展。"
    "各单位要严格按照报送时限及时、准确报送月度进展，督查室将持续跟踪督办。"
)


@dataclass(frozen=True)
class OverdueOrder:
    title: str
    department: str
    deadline: date


def overdue_orders_paragraphs(period: date, orders: Sequence[OverdueOrder]) -> list[str]:
    """The 督办单 still open after their deadline at the month's end: a count, then
    one line each."""
    if not orders:
        return [f"截至{period.year}年{period.month}月底，无超期未办结的督办单。"]
    lines = [f"截至{period.year}年{period.month}月底，超期未办结的督办单{len(orders)}件："]
    for index, order in enumerate(orders, start=1):
        lines.append(
            f"{index}．{order.title}（责任单位：{order.department}），办结时限"
            f"{order.deadline.year}年{order.deadline.month}月{order.deadline.day}日。"
        )
    return lines


# --- corrections after a month closed ----------------------------------------------


@dataclass(frozen=True)
class CorrectedItem:
    """A closed month's figure corrected afterwards (supervision.queries.corrections)."""

    code: str
    title: str
    period: date
    corrected_on: date | None
    version: int


def _corrected_when(period: date, corrected_on: date | None, version: int) -> str:
    """ "10月数据于2025年11月5日更正（第2版）"."""
    when = (
        f"于{corrected_on.year}年{corrected_on.month}月{corrected_on.day}日"
        if corrected_on
        else "关账后"
    )
    return f"{period.month}月数据{when}更正（第{version}版）"


def correction_note(
    period: date, corrected_on: date | None, version: int, *, published: bool
) -> str:
    """The target page's line for one correction: what changed, where it is counted,
    and that the month's bulletin stays as it was."""
    counted = "" if period.month == 12 else f"，已计入{period.month + 1}月及以后的累计数"
    bulletin = (
        f"已发布的{period.month}月通报不变"
        if published
        else f"{period.month}月通报仍以关账时的数据为准"
    )
    return f"关账后更正：{_corrected_when(period, corrected_on, version)}{counted}；{bulletin}。"


def corrections_sentence(items: Sequence[CorrectedItem]) -> str:
    """The bulletin's one sentence on earlier months corrected since the last one
    ("" when none: the bulletin then reads as it always did)."""
    if not items:
        return ""
    parts = [
        f"{item.code}{fullwidth(item.title)}，"
        f"{_corrected_when(item.period, item.corrected_on, item.version)}"
        for item in items
    ]
    return f"上月通报数据更正：{'；'.join(parts)}。更正后的数据已计入本月累计数，已发布的通报不变。"
