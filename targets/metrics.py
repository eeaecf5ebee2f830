"""The registry of derived metrics: targets whose actual value is computed, not typed.

A metric is a function ``(plan_year, as_of) -> Decimal`` registered under a stable
name; a target whose ``source`` is that name takes its monthly actual from it. Other
apps register their metrics here when they load (``projects/metrics.py``), so this
app never imports them.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from targets.models import PlanYear

MetricFunction = Callable[["PlanYear", date], Decimal]


@dataclass(frozen=True)
class Contribution:
    """One record a derived figure sums (a project), for the target page to link."""

    code: str
    name: str
    url: str
    amount: Decimal | None
    department: str


@dataclass(frozen=True)
class Contributions:
    """The records behind a derived figure: how many, and the largest ``limit``."""

    count: int
    rows: list[Contribution]


ContributorsFunction = Callable[["PlanYear", date, int], Contributions]


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    function: MetricFunction
    # What the figure is made of, for the target page (two queries: a count, a page).
    contributors: ContributorsFunction | None = None

    def __call__(self, plan_year: "PlanYear", as_of: date) -> Decimal:
        return self.function(plan_year, as_of)


class Registry:
    def __init__(self) -> None:
        self._metrics: dict[str, Metric] = {}

    def register(
        self, name: str, label: str, *, contributors: ContributorsFunction | None = None
    ) -> Callable[[MetricFunction], MetricFunction]:
        """Decorator: ``@registry.register("signed_amount", "新引进项目签约额")``."""

        def decorator(function: MetricFunction) -> MetricFunction:
            if name in self._metrics and self._metrics[name].function is not function:
                raise ValueError(f"metric {name!r} is registered twice")
            self._metrics[name] = Metric(name, label, function, contributors)
            return function

        return decorator

    def get(self, name: str) -> Metric | None:
        return self._metrics.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self._metrics

    def __iter__(self) -> Iterator[Metric]:
        return iter(sorted(self._metrics.values(), key=lambda m: m.name))

    def choices(self) -> list[tuple[str, str]]:
        return [(m.name, f"{m.label}({m.name})") for m in self]

    def describe(self) -> str:
        return "、".join(m.name for m in self) or "(无)"


registry = Registry()
