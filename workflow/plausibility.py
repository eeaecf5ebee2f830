"""What every kind's plausibility rules share (pure: no ORM, no clock): the plan
year's thresholds, the unit-slip warning, and the way numbers read in a warning.
The kinds' rules are beside their other rules (targets/plausibility.py,
projects/plausibility.py); their adapters expose them as ``plausibility``."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# A smaller unit a figure of the larger one is typically typed in by mistake.
SMALLER_UNIT = {
    "万平方米": "平方米",
    "亿元": "元",
    "万元": "元",
    "万人": "人",
    "万户": "户",
    "万亩": "亩",
    "万吨": "吨",
}
CONFIRM_HINT = "如确认数值无误，请勾选“确认数值无误”并填写一句说明。"


@dataclass(frozen=True)
class Thresholds:
    """The plan year's plausibility settings (PlanYear.plausibility_*)."""

    max_multiple: Decimal = Decimal(3)  # a figure more than this × the target
    max_jump_share: Decimal = Decimal("0.5")  # a month's increase over this share of the target
    slip_ratio: Decimal = Decimal(100)  # a figure at least this × last month's


def amount(value: Decimal) -> str:
    """A number in a warning: thousands separated, at most 4 decimals, no zeros."""
    text = f"{value.quantize(Decimal('0.0001'), ROUND_HALF_UP).normalize():,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def times(value: Decimal) -> str:
    """A ratio read as a whole number of times (11,583 倍)."""
    return f"{value.quantize(Decimal(1), ROUND_HALF_UP):,f}"


def slip_warning(*, value: Decimal, previous: Decimal | None, unit: str, t: Thresholds):
    """The unit slip: a figure at least ``slip_ratio`` × last month's (a positive one)."""
    if previous is None or previous <= 0 or value < t.slip_ratio * previous:
        return None
    ratio = times(value / previous)
    smaller = SMALLER_UNIT.get(unit)
    if smaller:
        return f"数值约为上月的 {ratio} 倍，是否把{smaller}误填为{unit}？"
    return f"数值约为上月的 {ratio} 倍，是否多输了几位数或填错了单位？"


@dataclass(frozen=True)
class Verdict:
    """What a write does with a report's plausibility warnings: ``refusal`` is the
    message when it may not be written (empty when it may); otherwise the report is
    flagged 异常 (``unusual``) with the warning and the clerk's explanation, or not."""

    refusal: str = ""
    unusual: bool = False
    warning: str = ""
    reason: str = ""


def settle(
    warnings: list[str], *, confirmed: bool, reason: str, hint: str = CONFIRM_HINT
) -> Verdict:
    """The one rule for a warned value, whoever writes it (the web form, a workbook
    row, any other caller of the workflow services): a figure with warnings is
    written only when the clerk confirmed it and explained it in a line, and is then
    flagged 异常; a figure without warnings is never flagged."""
    if not warnings:
        return Verdict()
    reason = reason.strip()
    if not (confirmed and reason):
        return Verdict(refusal="".join(warnings) + hint)
    return Verdict(unusual=True, warning="".join(warnings), reason=reason)
