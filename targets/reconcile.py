"""Reconciliation of a figure the report states with what the project register holds
(规模指标 356个、2409.2亿元; the annual planned investment 335.3亿元): a pure rule.

The report states its figures to a precision (356 个, 2409.2 亿元); the register's sum
has four decimal places. They agree when the register's figure, rounded to the
report's precision, is the report's figure: 2409.2000 and 2409.23 agree with 2409.2,
2409.26 does not (相差 0.1 亿元). A difference is shown as the register's excess
(+) or shortfall (−) in the report's unit and precision.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

AGREES = "一致"
MISSING = "清单无数据"


@dataclass(frozen=True)
class Reconciliation:
    stated: Decimal
    held: Decimal | None
    unit: str

    @property
    def difference(self) -> Decimal | None:
        """The register's figure minus the report's, at the report's precision."""
        if self.held is None:
            return None
        exponent = self.stated.as_tuple().exponent
        precision = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)
        return self.held.quantize(precision, rounding=ROUND_HALF_UP) - self.stated

    @property
    def agrees(self) -> bool:
        return self.difference == 0

    @property
    def amount(self) -> str:
        """The difference alone, signed, with its unit: "+3 个", "−0.5 亿元"."""
        difference = self.difference
        if difference is None:
            return ""
        sign = "+" if difference > 0 else "−"
        return sign + _with_unit(abs(difference), self.unit)

    @property
    def label(self) -> str:
        """The badge: 一致, or 相差 +3 个."""
        if self.held is None:
            return MISSING
        return AGREES if self.agrees else f"相差 {self.amount}"

    @property
    def explanation(self) -> str:
        """The badge's hover text: both figures."""
        held = "无" if self.held is None else _with_unit(self.held, self.unit)
        return f"报告：{_with_unit(self.stated, self.unit)}；项目清单：{held}"


def reconcile(*, stated: Decimal, held: Decimal | None, unit: str) -> Reconciliation:
    return Reconciliation(stated=stated, held=held, unit=unit)


def combined_label(reconciliations: list[Reconciliation]) -> str:
    """One badge for several figures of one list (356 个 and 2409.2 亿元): 一致 when all
    agree, else each difference joined with " · " (相差 +3 个 · +12.5 亿元)."""
    if not reconciliations:
        return ""
    if any(r.held is None for r in reconciliations):
        return MISSING
    if all(r.agrees for r in reconciliations):
        return AGREES
    return "相差 " + " · ".join(r.amount for r in reconciliations if not r.agrees)


def _with_unit(value: Decimal, unit: str) -> str:
    """2409.2000 亿元 → "2409.2 亿元", 356.0000 个 → "356 个"."""
    text = f"{value.normalize():f}"
    return f"{text} {unit}" if unit else text
