"""The registry of derived metrics: targets whose actual value is computed, not typed.

A metric is a function ``(plan_year, as_of) -> Decimal`` registered under a stable
name; a target whose ``source`` is that name takes its monthly actual from it. A
metric may also give its figures for many months at once (``series``: one grouped
query for the whole year, where asking month by month would cost a query a month);
the snapshots use that. Other
apps register their metrics here when they load (``projects/metrics.py``), so this
app never imports them.

Each metric declares the fields it reads, as "Model.field" (``KeyProject.signed_on``,
``ProjectProgress.investment`` …): a change to records then asks for the recompute of
exactly the targets whose figure it can move (``Registry.reading``), not of all of them.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from targets.periods import month_end

if TYPE_CHECKING:
    from org.models import Department
    from targets.models import PlanYear

MetricFunction = Callable[["PlanYear", date], Decimal]
# (plan_year, months) -> {month: the figure at that month's end}; months are first days.
SeriesFunction = Callable[["PlanYear", Sequence[date]], dict[date, Decimal]]
# (plan_year, months) -> (the series, {month: how many unapproved records it sums}).
FiguresFunction = Callable[
    ["PlanYear", Sequence[date]], tuple[dict[date, Decimal], dict[date, int]]
]


@dataclass(frozen=True)
class Contribution:
    """One record a derived figure sums (a project), for the target page to link."""

    code: str
    name: str
    url: str
    amount: Decimal | None
    department: "Department | None"


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
    # The "Model.field"s the figure is computed from; a change to any other field
    # cannot move it.
    reads: frozenset[str]
    # What the figure is made of, for the target page (two queries: a count, a page).
    contributors: ContributorsFunction | None = None
    series_function: SeriesFunction | None = None
    # The metric giving the register's planned figure this one is measured against
    # (the annual planned investment Σ behind 335.3亿元 completed): the target's
    # value is reconciled with it (targets/reconcile.py).
    plan: str | None = None
    # The series together with how many records not yet approved each month's figure
    # sums, in one go (None: the metric sums none, e.g. dated facts of the register
    # that need no review). A month with any is marked 未审核 on the target's pages.
    figures_function: FiguresFunction | None = None

    def __call__(self, plan_year: "PlanYear", as_of: date) -> Decimal:
        return self.function(plan_year, as_of)

    def series(self, plan_year: "PlanYear", months: Sequence[date]) -> dict[date, Decimal]:
        """The figure at the end of each month (``months`` are first days). A metric
        without a series of its own is asked month by month."""
        if self.series_function is not None:
            return self.series_function(plan_year, months)
        return {month: self.function(plan_year, month_end(month)) for month in months}

    def figures(
        self, plan_year: "PlanYear", months: Sequence[date]
    ) -> tuple[dict[date, Decimal], dict[date, int]]:
        """The series, and how many unapproved records each month's figure counts
        (empty: none), as one query where the metric can."""
        if self.figures_function is None:
            return self.series(plan_year, months), {}
        return self.figures_function(plan_year, months)


class Registry:
    def __init__(self) -> None:
        self._metrics: dict[str, Metric] = {}

    def register(
        self,
        name: str,
        label: str,
        *,
        reads: Iterable[str],
        contributors: ContributorsFunction | None = None,
        series: SeriesFunction | None = None,
        plan: str | None = None,
        figures: "FiguresFunction | None" = None,
    ) -> Callable[[MetricFunction], MetricFunction]:
        """Decorator: ``@registry.register("signed_amount", "新引进项目签约额",
        reads=["KeyProject.signed_amount", "KeyProject.signed_on"])``."""
        fields = frozenset(reads)
        if not fields or any(field.count(".") != 1 for field in fields):
            raise ValueError(f"metric {name!r} must declare the fields it reads as Model.field")

        def decorator(function: MetricFunction) -> MetricFunction:
            if name in self._metrics and self._metrics[name].function is not function:
                raise ValueError(f"metric {name!r} is registered twice")
            self._metrics[name] = Metric(
                name, label, function, fields, contributors, series, plan, figures
            )
            return function

        return decorator

    def unregister(self, name: str) -> None:
        """For tests that register a metric of their own."""
        self._metrics.pop(name, None)

    def reading(self, changed: Iterable[str]) -> list[str]:
        """The names of the metrics that read any of the ``changed`` fields."""
        changed = set(changed)
        return [m.name for m in self if m.reads & changed]

    def get(self, name: str) -> Metric | None:
        return self._metrics.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self._metrics

    def __iter__(self) -> Iterator[Metric]:
        return iter(sorted(self._metrics.values(), key=lambda m: m.name))

    def choices(self) -> list[tuple[str, str]]:
        return [(m.name, f"{m.label}({m.name})") for m in self]

    def describe(self) -> str:
        return "、".join(m.name for m in self) or "（无）"


registry = Registry()
