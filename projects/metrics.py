"""Derived metrics computed from key-project records, registered into targets' registry.

Each function answers "what was the figure at the end of ``as_of``" for one plan
year from dated facts only (the day a project entered the list and, if ever, left it;
signed; entered the national reserve; the month of its progress), so a month's
snapshot can be recomputed at any later time with the same result, and adding a
project in May leaves January's figures as they were. A project counts from the day
it is listed until the day it is delisted, in every metric.
Each also names the projects it sums (``contributors``), for the target page.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Aggregate, Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.urls import reverse

from projects.models import KeyProject, ProjectProgress
from targets import completion
from targets.metrics import Contribution, Contributions, ContributorsFunction, registry
from targets.models import PlanYear, Target
from targets.periods import month_end

ZERO = Decimal(0)

# Which year's figures a project counts in, and from when to when: moving a project
# to another year, listing or delisting it (or adding or removing one) moves every
# metric of the year.
MEMBERSHIP = ("KeyProject.plan_year", "KeyProject.listed_on", "KeyProject.delisted_on")


def _fields_of(*models) -> frozenset[str]:
    return frozenset(
        f"{model.__name__}.{field.name}"
        for model in models
        for field in model._meta.concrete_fields
    )


# Every field a change may name; adding or deleting a project (and its progress)
# changes all of them.
PROJECT_FIELDS = _fields_of(KeyProject, ProjectProgress)


def _projects(plan_year: PlanYear) -> QuerySet[KeyProject]:
    return KeyProject.objects.filter(plan_year=plan_year)


def _listed(plan_year: PlanYear, as_of: date) -> QuerySet[KeyProject]:
    """The year's list as it stood at the end of ``as_of``."""
    return _projects(plan_year).filter(
        Q(delisted_on__isnull=True) | Q(delisted_on__gt=as_of), listed_on__lte=as_of
    )


def _signed(plan_year: PlanYear, as_of: date) -> QuerySet[KeyProject]:
    return _listed(plan_year, as_of).filter(
        signed_on__gte=plan_year.starts_on, signed_on__lte=as_of
    )


def _leading_signed(plan_year: PlanYear, as_of: date) -> QuerySet[KeyProject]:
    return _signed(plan_year, as_of).filter(leading_industry=True)


def _reserve(plan_year: PlanYear, as_of: date) -> QuerySet[KeyProject]:
    return _listed(plan_year, as_of).filter(national_reserve_on__lte=as_of)


@dataclass(frozen=True)
class Figure:
    """One metric as a grouped query: the ``rows`` of the year, the date each row
    starts counting on (``event``; None: from the day its project is listed), what
    is summed, and the path from a row to its project (``""`` or ``"project__"``).

    A row counts at a cut-off when its event and its project's listing are on or
    before it and its project was not delisted by then. Each date is bucketed in SQL
    by the first cut-off it falls on or before, so all cut-offs come from one query
    whose rows are (event bucket, listed bucket, delisted bucket, total): at most
    (n + 1)³ rows for n cut-offs, whatever the number of projects."""

    rows: Callable[[PlanYear], QuerySet]
    value: Aggregate
    event: str | None = None
    project: str = ""

    def at(self, plan_year: PlanYear, cutoffs: Sequence[date]) -> list[Decimal]:
        """The figure at the end of each cut-off date, in the order given."""
        return self.totals(plan_year, cutoffs, {"total": self.value})["total"]

    def totals(
        self, plan_year: PlanYear, cutoffs: Sequence[date], aggregates: dict[str, Aggregate]
    ) -> dict[str, list[Decimal]]:
        """Each of ``aggregates`` (over the same rows) at the end of each cut-off date,
        all from the one grouped query."""
        ordered = sorted(set(cutoffs))
        if not ordered:
            return {name: [] for name in aggregates}
        listed = self._bucket(f"{self.project}listed_on", ordered)
        buckets = {
            "_listed": listed,
            "_delisted": self._bucket(f"{self.project}delisted_on", ordered),
            "_event": self._bucket(self.event, ordered) if self.event else listed,
        }
        groups = list(
            self.rows(plan_year)
            .annotate(**buckets)
            .order_by()
            .values(*buckets)
            .annotate(**aggregates)
            .values_list("_event", "_listed", "_delisted", *aggregates)
        )
        result = {}
        for column, name in enumerate(aggregates, start=3):
            figures = {}
            for index, cutoff in enumerate(ordered):
                figures[cutoff] = sum(
                    (
                        Decimal(group[column] or 0)
                        for group in groups
                        if max(group[0], group[1]) <= index < group[2]
                    ),
                    ZERO,
                )
            result[name] = [figures[cutoff] for cutoff in cutoffs]
        return result

    @staticmethod
    def _bucket(field: str, ordered: Sequence[date]) -> Case:
        # NULL (never delisted) falls through every When to len(ordered): never reached.
        return Case(
            *[When(**{f"{field}__lte": cutoff}, then=Value(i)) for i, cutoff in enumerate(ordered)],
            default=Value(len(ordered)),
            output_field=IntegerField(),
        )


def _register(
    name: str,
    label: str,
    figure: Figure,
    *,
    reads: Iterable[str],
    contributors: ContributorsFunction,
    plan: str | None = None,
    unreviewed: Callable[[PlanYear], Aggregate | None] | None = None,
) -> Callable[[PlanYear, date], Decimal]:
    """Register ``figure`` as a metric: one month (``(plan_year, as_of)``) and a series
    of months are the same grouped query, so they cannot disagree."""

    def one(plan_year: PlanYear, as_of: date) -> Decimal:
        return figure.at(plan_year, [as_of])[0]

    def series(plan_year: PlanYear, months: Sequence[date]) -> dict[date, Decimal]:
        values = figure.at(plan_year, [month_end(month) for month in months])
        return dict(zip(months, values, strict=True))

    def with_unreviewed(
        plan_year: PlanYear, months: Sequence[date]
    ) -> tuple[dict[date, Decimal], dict[date, int]]:
        # The figure and how many unapproved rows it sums, from the same grouped query.
        count = unreviewed(plan_year)
        aggregates = {"total": figure.value}
        if count is not None:
            aggregates["unreviewed"] = count
        got = figure.totals(plan_year, [month_end(month) for month in months], aggregates)
        counts = got.get("unreviewed") or [0] * len(months)
        return (
            dict(zip(months, got["total"], strict=True)),
            {month: int(n) for month, n in zip(months, counts, strict=True)},
        )

    one.__name__ = one.__qualname__ = name
    registry.register(
        name,
        label,
        reads=reads,
        contributors=contributors,
        series=series,
        plan=plan,
        figures=with_unreviewed if unreviewed is not None else None,
    )(one)
    return one


def _listing(queryset: QuerySet[KeyProject], amount_field: str | None, limit: int) -> Contributions:
    """The count, and the ``limit`` largest by amount (by code where there is none):
    ordered and cut in SQL, since a district may have thousands of projects."""
    order = (F(amount_field).desc(nulls_last=True), "code") if amount_field else ("code",)
    rows = queryset.select_related("lead_department").order_by(*order)[:limit]
    return Contributions(
        count=queryset.count(),
        rows=[
            Contribution(
                code=p.code,
                name=p.name,
                url=reverse("projects:detail", args=[p.pk]),
                amount=getattr(p, amount_field) if amount_field else None,
                department=p.lead_department,
            )
            for p in rows
        ],
    )


def _invested_listing(plan_year: PlanYear, as_of: date, limit: int) -> Contributions:
    # Filter on the join itself: `progress__in=<subquery>` is evaluated per project
    # by SQLite and takes minutes at scale.
    invested = (
        _listed(plan_year, as_of)
        .filter(
            progress__period__gte=plan_year.starts_on,
            progress__period__lte=as_of,
            progress__state__in=completion.counted_states(plan_year.rules),
        )
        .annotate(invested=Sum("progress__investment"))
    )
    return _listing(invested, "invested", limit)


def _unreviewed_count(rules: completion.Rules) -> Aggregate | None:
    """Counts the counted progress rows not yet approved (None: the rule counts none)."""
    states = [s for s in completion.counted_states(rules) if completion.is_provisional(s, rules)]
    return Count("pk", filter=Q(state__in=states)) if states else None


def _progress(plan_year: PlanYear) -> QuerySet[ProjectProgress]:
    """The year's monthly progress reports, whatever their state."""
    return ProjectProgress.objects.filter(
        project__plan_year=plan_year, period__gte=plan_year.starts_on
    )


def _signed_this_year(plan_year: PlanYear) -> QuerySet[KeyProject]:
    return _projects(plan_year).filter(signed_on__gte=plan_year.starts_on)


signed_amount = _register(
    "signed_amount",
    "新引进项目签约额（亿元）",
    Figure(_signed_this_year, Sum("signed_amount"), event="signed_on"),
    reads=[*MEMBERSHIP, "KeyProject.signed_amount", "KeyProject.signed_on"],
    contributors=lambda y, d, n: _listing(_signed(y, d), "signed_amount", n),
)

leading_signed_amount = _register(
    "leading_signed_amount",
    "主导产业项目签约额（亿元）",
    Figure(
        lambda y: _signed_this_year(y).filter(leading_industry=True),
        Sum("signed_amount"),
        event="signed_on",
    ),
    reads=[
        *MEMBERSHIP,
        "KeyProject.signed_amount",
        "KeyProject.signed_on",
        "KeyProject.leading_industry",
    ],
    contributors=lambda y, d, n: _listing(_leading_signed(y, d), "signed_amount", n),
)

key_project_count = _register(
    "key_project_count",
    "重点项目个数",
    Figure(_projects, Count("pk")),
    reads=MEMBERSHIP,
    contributors=lambda y, d, n: _listing(_listed(y, d), None, n),
)

key_project_total_investment = _register(
    "key_project_total_investment",
    "重点项目计划总投资（亿元）",
    Figure(_projects, Sum("total_investment")),
    reads=[*MEMBERSHIP, "KeyProject.total_investment"],
    contributors=lambda y, d, n: _listing(_listed(y, d), "total_investment", n),
)

key_project_annual_plan = _register(
    "key_project_annual_plan",
    "重点项目年度计划投资（亿元）",
    Figure(_projects, Sum("annual_plan")),
    reads=[*MEMBERSHIP, "KeyProject.annual_plan"],
    contributors=lambda y, d, n: _listing(_listed(y, d), "annual_plan", n),
)

key_project_investment_completed = _register(
    "key_project_investment_completed",
    "重点项目年度完成投资（亿元）",
    Figure(
        lambda y: _progress(y).filter(state__in=completion.counted_states(y.rules)),
        Sum("investment"),
        event="period",
        project="project__",
    ),
    reads=[
        *MEMBERSHIP,
        "ProjectProgress.investment",
        "ProjectProgress.state",
        "ProjectProgress.period",
        "ProjectProgress.project",
    ],
    contributors=_invested_listing,
    # The report's 335.3亿元 is the year's planned investment: the register's Σ of
    # annual plans must come to it.
    plan="key_project_annual_plan",
    # The month's figure sums progress reports not yet approved: marked 未审核.
    unreviewed=lambda y: _unreviewed_count(y.rules),
)

national_reserve_count = _register(
    "national_reserve_count",
    "纳入国家重大建设项目库储备项目个数",
    Figure(
        lambda y: _projects(y).filter(national_reserve_on__isnull=False),
        Count("pk"),
        event="national_reserve_on",
    ),
    reads=[*MEMBERSHIP, "KeyProject.national_reserve_on"],
    contributors=lambda y, d, n: _listing(_reserve(y, d), None, n),
)


def request_derived_recompute(*, plan_year_id: int, changed: Iterable[str], reason: str) -> None:
    """Ask, once, for the recompute of the year's derived targets whose metric reads a
    changed field. ``changed`` names the fields that changed, as "Model.field"
    (``ProjectProgress.investment``, ``KeyProject.stage`` …; ``PROJECT_FIELDS`` for a
    project added or deleted). Call it inside the transaction that made the change.

    A name that is no field of a project or its progress is refused: a typo would
    otherwise ask for nothing, and the figures would silently stop following."""
    from targets import cache as page_cache
    from targets.snapshots import request_recompute

    changed = set(changed)
    unknown = changed - PROJECT_FIELDS
    if unknown:
        raise ValueError(f"not fields of a project or its progress: {sorted(unknown)}")
    # Every write of a project or its counted progress passes here: the project list's
    # cached reads (projects/views.py) retire with the year's generation, whether or
    # not a derived target reads the field.
    page_cache.bump(plan_year_id)
    sources = registry.reading(changed)
    if not sources:
        return
    request_recompute(
        target_ids=Target.objects.filter(
            programme__plan_year_id=plan_year_id, source__in=sources
        ).values_list("pk", flat=True),
        reason=reason,
    )
