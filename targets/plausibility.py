"""Plausibility checks of a target's monthly figure (pure: no ORM, no clock).

A warning does not refuse a figure: it asks the clerk to confirm it with a one-line
explanation, and the saved report is then flagged 异常 for the reviewer."""

from decimal import Decimal

from workflow.plausibility import Thresholds, amount, slip_warning


def figure_warnings(
    *,
    value: Decimal | None,
    target: Decimal | None,
    previous: Decimal | None,
    unit: str,
    cumulative: bool,
    thresholds: Thresholds,
) -> list[str]:
    """Why ``value`` (this month's figure of a numeric target) looks wrong, the
    likeliest cause first; empty when it looks plausible. ``previous`` is last
    month's counted figure; ``cumulative`` when the figure is a year-to-date total."""
    if value is None:
        return []
    t = thresholds
    slip = slip_warning(value=value, previous=previous, unit=unit, t=t)
    if slip:
        # The likeliest cause, alone: the other rules would only restate its size.
        return [slip]
    warnings = []
    if target is not None and target > 0 and value > t.max_multiple * target:
        warnings.append(
            f"数值 {amount(value)}{unit} 超过目标值 {amount(target)}{unit} 的"
            f" {amount(t.max_multiple)} 倍，请核实。"
        )
    if cumulative and target is not None and target > 0 and previous is not None:
        jump = value - previous
        if jump > t.max_jump_share * target:
            warnings.append(
                f"累计数一个月增加 {amount(jump)}{unit}，超过目标值的"
                f" {amount(t.max_jump_share * 100)}%，请核实。"
            )
    return warnings
