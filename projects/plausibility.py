"""Plausibility checks of a key project's monthly investment (pure: no ORM, no
clock). Amounts are in 亿元, like the project's."""

from decimal import Decimal

from workflow.plausibility import Thresholds, amount, slip_warning

UNIT = "亿元"


def investment_warnings(
    *,
    investment: Decimal | None,
    previous: Decimal | None,
    annual_plan: Decimal | None,
    invested_before: Decimal,
    total: Decimal | None,
    thresholds: Thresholds,
) -> list[str]:
    """Why this month's investment looks wrong, likeliest cause first; empty when
    it looks plausible. ``previous``: last month's investment; ``invested_before``:
    the year's counted investment before this month."""
    if investment is None or investment <= 0:
        return []
    t = thresholds
    slip = slip_warning(value=investment, previous=previous, unit=UNIT, t=t)
    if slip:
        # The likeliest cause, alone: the other rules would only restate its size.
        return [slip]
    warnings = []
    if annual_plan is not None and annual_plan > 0:
        remaining = max(annual_plan - invested_before, Decimal(0))
        if investment > remaining:
            warnings.append(
                f"本月投资 {amount(investment)}{UNIT} 超过年度计划尚余的"
                f" {amount(remaining)}{UNIT}，请核实。"
            )
    if total is not None and total > 0 and investment > t.max_jump_share * total:
        warnings.append(
            f"本月投资 {amount(investment)}{UNIT} 超过项目总投资 {amount(total)}{UNIT} 的"
            f" {amount(t.max_jump_share * 100)}%，请核实。"
        )
    return warnings
