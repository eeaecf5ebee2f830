"""Page reads for the key-project pages, each a fixed number of queries.

"Completed this year" is what ``projects/metrics.py`` counts for target 3.3: the
investment of submitted or approved monthly reports from January to the as-of month.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf

from org.models import Department
from projects.models import KeyProject, ProjectProgress, Stage
from targets.completion import counted_states
from targets.models import AMOUNT, RATIO, EntryState, PlanYear, Target
from targets.queries import AsOf, targets_at

ZERO = Decimal(0)
AMOUNT_FIELD = DecimalField(**AMOUNT)
RATIO_FIELD = DecimalField(**RATIO)


def counted_progress(plan_year: PlanYear, period: date | None) -> QuerySet[ProjectProgress]:
    """Monthly reports that count (the year's 计入口径), from January to ``period``
    (none without one)."""
    if period is None:
        return ProjectProgress.objects.none()
    return ProjectProgress.objects.filter(
        project__plan_year=plan_year,
        period__gte=plan_year.starts_on,
        period__lte=period,
        state__in=counted_states(plan_year.rules),
    )


def projects_of(plan_year: PlanYear) -> QuerySet[KeyProject]:
    return KeyProject.objects.for_plan_year(plan_year)


def _invested(as_of: AsOf) -> Subquery:
    """A project's completed investment this year up to the as-of month."""
    return Subquery(
        counted_progress(as_of.plan_year, as_of.period)
        .filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum("investment"))
        .values("total")[:1],
        output_field=AMOUNT_FIELD,
    )


def with_investment(projects: QuerySet[KeyProject], as_of: AsOf) -> QuerySet[KeyProject]:
    """Projects as the table shows them: programme and department joined, the year's
    completed investment up to the as-of month annotated (a correlated subquery, so
    paging and sorting stay one query), and its share of the annual plan."""
    return (
        projects.select_related("programme", "lead_department")
        .annotate(invested=_invested(as_of))
        .annotate(
            plan_ratio=ExpressionWrapper(
                F("invested") / NullIf(F("annual_plan"), Value(ZERO)), output_field=RATIO_FIELD
            )
        )
    )


def figures_first(projects: QuerySet[KeyProject], *then: str) -> QuerySet[KeyProject]:
    """Projects with figures before those without (the projects the report only names
    show "—" in every amount column), then by ``then`` (default the code). A table's
    ``?sort=`` replaces this order; its amount columns sort empty cells last too."""
    no_figures = Q(total_investment__isnull=True, annual_plan__isnull=True, invested__isnull=True)
    # An annotation, not a bare expression in ORDER BY: PostgreSQL reads a constant
    # there as a column position ("ORDER BY 0"), which a folded CASE can become.
    return projects.annotate(
        without_figures=Case(
            When(no_figures, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    ).order_by("without_figures", *(then or ("code",)))


@dataclass(frozen=True)
class Totals:
    count: int
    total_investment: Decimal
    annual_plan: Decimal
    invested: Decimal

    @property
    def plan_ratio(self) -> Decimal | None:
        return self.invested / self.annual_plan if self.annual_plan else None


def totals(projects: QuerySet[KeyProject], monthly: dict[date, Decimal]) -> Totals:
    """Count and sums over the whole filtered set, not one page (one query). The
    year's completed investment is the sum of ``investment_by_month`` for the same
    set, so the totals row and the chart's last point always agree."""
    row = projects.order_by().aggregate(
        count=Count("pk"),
        total_investment=Coalesce(Sum("total_investment"), Value(ZERO), output_field=AMOUNT_FIELD),
        annual_plan=Coalesce(Sum("annual_plan"), Value(ZERO), output_field=AMOUNT_FIELD),
    )
    return Totals(**row, invested=sum(monthly.values(), ZERO))


def investment_by_month(projects: QuerySet[KeyProject], as_of: AsOf) -> dict[date, Decimal]:
    """Completed investment of these projects per month, January to the as-of month
    (one query)."""
    rows = (
        counted_progress(as_of.plan_year, as_of.period)
        .filter(project__in=projects.order_by().values("pk"))
        .order_by()
        .values("period")
        .annotate(total=Sum("investment"))
    )
    return {row["period"]: row["total"] or ZERO for row in rows}


def stage_counts(projects: QuerySet[KeyProject]) -> dict[str, int]:
    """How many of these projects are at each stage, in the stages' order (one query)."""
    found = dict(
        projects.order_by().values("stage").annotate(n=Count("pk")).values_list("stage", "n")
    )
    return {stage: found.get(stage, 0) for stage in Stage.values}


def project_for_page(pk: int) -> KeyProject | None:
    return (
        KeyProject.objects.select_related("programme", "lead_department", "plan_year")
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class ProjectYear:
    """One project's reports up to the as-of month, each with the year's running total
    of what counts (``cumulative``), and the total against the annual plan."""

    progress: list[ProjectProgress]
    invested: Decimal | None
    annual_plan: Decimal | None

    @property
    def plan_ratio(self) -> Decimal | None:
        if self.invested is None or not self.annual_plan:
            return None
        return self.invested / self.annual_plan


def project_year(project: KeyProject, as_of: AsOf) -> ProjectYear:
    """One query. Drafts are the department's unfinished work and stay out; returned
    reports are listed but, like drafts, not counted."""
    progress = ProjectProgress.objects.filter(project=project).exclude(state=EntryState.DRAFT)
    if as_of.period is not None:
        progress = progress.filter(period__lte=as_of.period)
    rows = list(progress.select_related("submitted_by", "reviewed_by").order_by("period"))
    running = None
    for row in rows:
        if row.counts and row.period >= project.plan_year.starts_on:
            running = (running or ZERO) + (row.investment or ZERO)
        row.cumulative = running
    return ProjectYear(rows, running, project.annual_plan)


@dataclass(frozen=True)
class DepartmentPage:
    department: Department
    targets: list[Target]
    projects: list[KeyProject]

    @property
    def leads(self) -> list[Target]:
        return [t for t in self.targets if t.lead_department_id == self.department.pk]

    @property
    def supports(self) -> list[Target]:
        return [t for t in self.targets if t.lead_department_id != self.department.pk]

    @property
    def target_groups(self) -> list[dict]:
        return [
            {"title": "牵头的指标", "rows": self.leads, "testid": "department-leads"},
            {"title": "配合的指标", "rows": self.supports, "testid": "department-supports"},
        ]


def department_page(department: Department, as_of: AsOf) -> DepartmentPage:
    """What a department leads or supports at the as-of month, read from snapshots:
    two queries (its targets with their snapshot, its projects with their investment
    to the month), whatever the size of the year."""
    targets = list(
        targets_at(as_of)
        .filter(Q(lead_department=department) | Q(co_departments=department))
        .distinct()
    )
    projects = list(
        figures_first(
            with_investment(projects_of(as_of.plan_year).filter(lead_department=department), as_of),
            "programme__number",
            "code",
        )
    )
    return DepartmentPage(department, targets, projects)
