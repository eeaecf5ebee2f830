"""Page reads: each function returns what one page needs in a fixed number of queries.

The dashboards read snapshots only; nothing here calls the completion rules. Each
function's docstring says how many queries it runs, and the query-count tests in
tests/targets/test_dashboard_queries.py pin the pages that call them.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from org.models import Department
from targets import completion
from targets.metrics import Contributions, Metric, registry
from targets.models import (
    MANUAL_SOURCE,
    EntryState,
    Evidence,
    Kind,
    PendingRecompute,
    PlanYear,
    Programme,
    ProgrammeSnapshot,
    ProgressEntry,
    Target,
    TargetSnapshot,
)
from targets.periods import (
    format_period,
    last_closed_month,
    month_end,
    months_between,
    parse_period,
)
from targets.reconcile import Reconciliation, reconcile

# --- the as-of month ----------------------------------------------------------------


@dataclass(frozen=True)
class Stuck:
    """A target whose recompute failed, or has waited too long: what the pages name."""

    code: str
    title: str
    since: datetime  # its oldest pending request
    failed_at: datetime | None = None  # its latest failure (None: only waiting)
    attempts: int = 0
    error: str = ""


# How many stuck targets a page names (the rest are counted).
STUCK_SHOWN = 10


@dataclass(frozen=True)
class AsOf:
    """Which month a page shows, and how fresh the snapshots behind it are."""

    plan_year: PlanYear
    period: date | None  # the month shown; None while the year has no snapshots
    latest: date | None  # the latest month that has snapshots
    computed_at: datetime | None  # the last recompute of the year's aggregates
    pending_stale: bool  # a requested recompute has failed or waited too long
    today: date
    message: str = ""  # why the month asked for is not the one shown
    stuck: list[Stuck] = field(default_factory=list)  # the first STUCK_SHOWN of them
    stuck_count: int = 0

    @property
    def stuck_more(self) -> int:
        return self.stuck_count - len(self.stuck)

    @property
    def months(self) -> list[date]:
        """The months a leader can pick: recompute writes every closed month, so
        they run without gaps from January to the latest."""
        return months_between(self.plan_year.starts_on, self.latest) if self.latest else []

    @property
    def months_to_period(self) -> list[date]:
        return months_between(self.plan_year.starts_on, self.period) if self.period else []

    @property
    def as_of(self) -> date | None:
        return month_end(self.period) if self.period else None

    @property
    def month_param(self) -> str:
        return format_period(self.period) if self.period else ""

    @property
    def missing_month(self) -> date | None:
        """The latest closed month of the year when it has no snapshot yet."""
        closed = min(last_closed_month(self.today), self.plan_year.ends_on.replace(day=1))
        if closed < self.plan_year.starts_on:
            return None
        if self.latest is None or self.latest < closed:
            return closed
        return None

    @property
    def stale_minutes(self) -> int:
        return max(1, round(settings.SNAPSHOT_STALE_AFTER_SECONDS / 60))

    @property
    def stale(self) -> bool:
        return self.pending_stale or self.missing_month is not None


def _stuck_pending(cutoff: datetime) -> QuerySet[PendingRecompute]:
    """Outbox rows that failed, or have waited past ``cutoff``."""
    return PendingRecompute.objects.filter(Q(requested_at__lte=cutoff) | Q(failed_at__isnull=False))


def _stuck_targets(plan_year: PlanYear) -> tuple[list[Stuck], int]:
    """The year's stuck targets, failed ones first, and how many there are (one query;
    run only when the year has any)."""
    rows = (
        _stuck_pending(_stale_cutoff())
        .filter(target__programme__plan_year=plan_year)
        .order_by("requested_at")
        .values(
            "target_id",
            "target__code",
            "target__title",
            "requested_at",
            "failed_at",
            "attempts",
            "last_error",
        )
    )
    by_target: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        by_target[row["target_id"]].append(row)
    stuck = []
    for requests in by_target.values():
        failures = [r for r in requests if r["failed_at"] is not None]
        latest = max(failures, key=lambda r: r["failed_at"]) if failures else None
        stuck.append(
            Stuck(
                code=requests[0]["target__code"],
                title=requests[0]["target__title"],
                since=requests[0]["requested_at"],  # rows come oldest first
                failed_at=latest["failed_at"] if latest else None,
                attempts=max(r["attempts"] for r in requests),
                error=latest["last_error"] if latest else "",
            )
        )
    stuck.sort(key=lambda s: (s.failed_at is None, s.since, s.code))
    return stuck[:STUCK_SHOWN], len(stuck)


def _stale_cutoff() -> datetime:
    return timezone.now() - timedelta(seconds=settings.SNAPSHOT_STALE_AFTER_SECONDS)


def _plan_years_with_freshness() -> QuerySet[PlanYear]:
    cutoff = _stale_cutoff()
    totals = ProgrammeSnapshot.objects.filter(plan_year=OuterRef("pk"), programme__isnull=True)
    # The report's full text is not needed on any dashboard.
    return PlanYear.objects.defer("source_text").annotate(
        latest_period=Subquery(totals.order_by("-period").values("period")[:1]),
        last_computed_at=Subquery(
            ProgrammeSnapshot.objects.filter(plan_year=OuterRef("pk"))
            .order_by("-computed_at")
            .values("computed_at")[:1]
        ),
        has_stale_pending=Exists(
            _stuck_pending(cutoff).filter(target__programme__plan_year=OuterRef("pk"))
        ),
    )


def _parse_month(text: str | None) -> tuple[date | None, str]:
    if not text:
        return None, ""
    try:
        return parse_period(text.strip()), ""
    except ValueError:
        return None, f"“{text[:20]}”不是有效的月份（格式为 YYYY-MM，如 2025-06），已显示最新月份。"


def resolve_as_of(
    *, month: str | None, today: date, plan_year_id: int | None = None
) -> AsOf | None:
    """The plan year and month a page shows, in one query (two when a recompute has
    failed or waited too long: the second names the targets).

    Without ``plan_year_id`` the year is the one the requested month falls in if
    there is one, else the current year (``PlanYear.objects.current``). A month
    that is malformed, outside the year or not yet computed falls back to the
    latest computed month, with a message saying so. None when there is no year.
    """
    requested, message = _parse_month(month)
    years = _plan_years_with_freshness()
    if plan_year_id is not None:
        years = years.filter(pk=plan_year_id)
    plan_year = years.current(today, prefer_year=requested.year if requested else None)
    if plan_year is None:
        return None
    latest = plan_year.latest_period
    period = latest
    if requested is not None:
        if requested.year != plan_year.year:
            message = (
                f"{requested.year}年没有工作报告目标数据，已显示{plan_year.year}年的最新月份。"
            )
        elif latest is None or requested > latest:
            message = (
                f"{requested.year}年{requested.month}月尚无计算结果"
                "（每月结束后才计算），已显示最新月份。"
            )
        else:
            period = requested
    # One more query, only when something is stuck: which targets, since when, why.
    stuck, stuck_count = _stuck_targets(plan_year) if plan_year.has_stale_pending else ([], 0)
    return AsOf(
        plan_year=plan_year,
        period=period,
        latest=latest,
        computed_at=plan_year.last_computed_at,
        pending_stale=plan_year.has_stale_pending,
        today=today,
        message=message if latest else "",
        stuck=stuck,
        stuck_count=stuck_count,
    )


# --- overview -----------------------------------------------------------------------

# Every status that makes a programme red or amber (completion.rolled_up_status), in
# the order the overview lists them.
TROUBLE_STATUSES = (*completion.ATTENTION_STATUSES, *completion.WARNING_STATUSES)


# A city's year has thousands of targets: the overview lists the worst ATTENTION_SHOWN
# of those needing attention, the MISSING_DEPARTMENTS_SHOWN departments with the most
# unreported ones and MISSING_TARGETS_SHOWN of each one's, and says how many more there
# are (the target list shows them all). At 200 departments the unbounded list was
# 117 KB of the overview's 220 KB.
ATTENTION_SHOWN = 30
MISSING_DEPARTMENTS_SHOWN = 20
MISSING_TARGETS_SHOWN = 5


@dataclass
class DepartmentMissing:
    department: Department
    targets: list[Target] = field(default_factory=list)
    count: int = 0  # all of them; ``targets`` holds the first MISSING_TARGETS_SHOWN

    @property
    def more(self) -> int:
        return self.count - len(self.targets)


@dataclass(frozen=True)
class Overview:
    total: ProgrammeSnapshot | None
    programmes: list[ProgrammeSnapshot]  # at the as-of month, in programme order
    history: dict[int, list[ProgrammeSnapshot]]  # programme number → its months
    # 严重滞后, 逾期未完成, 进度滞后 and 未报送 targets, in that order, furthest behind first
    attention: list[TargetSnapshot]
    missing: list[DepartmentMissing]  # departments with not_reported targets, most first
    attention_count: int = 0  # all of them; ``attention`` holds the first ATTENTION_SHOWN
    missing_count: int = 0  # all such departments; ``missing`` holds the first 20

    @property
    def attention_more(self) -> int:
        return self.attention_count - len(self.attention)

    @property
    def missing_more(self) -> int:
        return self.missing_count - len(self.missing)


def overview(as_of: AsOf) -> Overview:
    """The overview page: two queries (programme snapshots of every month up to the
    as-of month; the as-of month's target snapshots that need attention)."""
    if as_of.period is None:
        return Overview(None, [], {}, [], [])
    rows = list(
        ProgrammeSnapshot.objects.filter(plan_year=as_of.plan_year, period__lte=as_of.period)
        .select_related("programme")
        .order_by("programme__number", "period")
    )
    total = next((r for r in rows if r.programme_id is None and r.period == as_of.period), None)
    programmes = [r for r in rows if r.programme_id is not None and r.period == as_of.period]
    history: dict[int, list[ProgrammeSnapshot]] = defaultdict(list)
    for row in rows:
        if row.programme_id is not None:
            history[row.programme.number].append(row)

    flagged = list(
        TargetSnapshot.objects.filter(
            target__programme__plan_year=as_of.plan_year,
            period=as_of.period,
            status__in=TROUBLE_STATUSES,
        )
        .select_related("target__programme", "target__lead_department")
        .order_by("target__programme__number", "target__sort_order", "target__code")
    )
    # Stable sort: within a status, furthest behind first, then in programme order.
    attention = sorted(
        flagged,
        key=lambda s: (
            TROUBLE_STATUSES.index(s.status),
            -(s.gap if s.gap is not None else 0),
        ),
    )
    by_department: dict[int, DepartmentMissing] = {}
    for snapshot in flagged:
        if snapshot.status != completion.NOT_REPORTED:
            continue
        department = snapshot.target.lead_department
        row = by_department.setdefault(department.pk, DepartmentMissing(department))
        row.count += 1
        if len(row.targets) < MISSING_TARGETS_SHOWN:
            row.targets.append(snapshot.target)
    missing = sorted(
        by_department.values(), key=lambda d: (-d.count, d.department.sort_order, d.department.name)
    )
    return Overview(
        total,
        programmes,
        dict(history),
        attention[:ATTENTION_SHOWN],
        missing[:MISSING_DEPARTMENTS_SHOWN],
        attention_count=len(attention),
        missing_count=len(missing),
    )


# --- programme ----------------------------------------------------------------------


def _at_period(period: date | None) -> FilteredRelation:
    return FilteredRelation("snapshots", condition=Q(snapshots__period=period))


def programmes_at(as_of: AsOf) -> list[Programme]:
    """Every programme of the year with its snapshot at the as-of month (one query);
    ``snap_*`` attributes are None where there is none."""
    return list(
        Programme.objects.filter(plan_year=as_of.plan_year)
        .alias(snap=_at_period(as_of.period))
        .annotate(
            snap_ratio=F("snap__ratio"),
            snap_expected=F("snap__expected"),
            snap_status=F("snap__status"),
            snap_counts=F("snap__status_counts"),
            snap_target_count=F("snap__target_count"),
            provisional_count=F("snap__provisional_count"),
            awaiting_count=F("snap__awaiting_count"),
        )
        .order_by("number")
    )


def programme_targets(programme: Programme, as_of: AsOf) -> QuerySet[Target]:
    """A programme's targets with their snapshot at the as-of month, as the programme
    table shows them (one query when evaluated)."""
    return targets_at(as_of).filter(programme=programme)


def targets_at(as_of: AsOf) -> QuerySet[Target]:
    """Every target of the year with its snapshot at the as-of month (one query when
    evaluated): the rows of the programme table and of the filtered target list.
    ``shown_target`` is what the 目标值 column sorts by (100 for a milestone)."""
    return (
        Target.objects.filter(programme__plan_year=as_of.plan_year)
        .select_related("lead_department", "programme")
        .alias(snap=_at_period(as_of.period))
        .annotate(
            status=F("snap__status"),
            snap_as_of=F("snap__as_of"),
            reached_on=F("snap__reached_on"),
            actual=F("snap__actual"),
            ratio=F("snap__ratio"),
            expected=F("snap__expected"),
            gap=F("snap__gap"),
            last_period=F("snap__last_period"),
            provisional=F("snap__provisional"),
            awaiting_review=F("snap__awaiting_review"),
            shown_target=Case(
                When(kind=Kind.MILESTONE, then=Value(100)),
                default=F("target_value"),
                output_field=Target._meta.get_field("target_value"),
            ),
            # A milestone is 完成 / 未完成 and a date, not a number of percent.
            shown_unit=Case(
                When(kind=Kind.MILESTONE, then=Value("")),
                default=F("unit"),
            ),
        )
        # Sorting by 状态 puts the most urgent first (completion.STATUSES order).
        .annotate(
            status_rank=Case(
                *[When(status=code, then=Value(i)) for i, code in enumerate(completion.STATUSES)],
                default=Value(len(completion.STATUSES)),
                output_field=IntegerField(),
            )
        )
        .order_by("programme__number", "sort_order", "code")
    )


# --- target -------------------------------------------------------------------------


def target_for_page(target_id: int) -> Target | None:
    """The target with its programme, year and departments (two queries)."""
    return (
        Target.objects.select_related("programme__plan_year", "lead_department")
        .prefetch_related("co_departments")
        .filter(pk=target_id)
        .first()
    )


def target_snapshots(target: Target, as_of: AsOf) -> list[TargetSnapshot]:
    """The target's months up to the as-of month, in order (one query)."""
    if as_of.period is None:
        return []
    # Through the related manager, so each row's ``target`` is this one (no query).
    return list(target.snapshots.filter(period__lte=as_of.period).order_by("period"))


def target_entries(target: Target, as_of: AsOf) -> list[ProgressEntry]:
    """The reports up to the as-of month, latest first (one query). Drafts are the
    department's unfinished work and stay out of the leaders' view."""
    entries = ProgressEntry.objects.filter(target=target).exclude(state=EntryState.DRAFT)
    if as_of.period is not None:
        entries = entries.filter(period__lte=as_of.period)
    return list(
        entries.select_related("submitted_by", "reviewed_by", "created_by")
        .annotate(evidence_count=Coalesce(_evidence_count(), 0))
        .order_by("-period")
    )


def _evidence_count() -> Subquery:
    return Subquery(
        Evidence.objects.filter(entry=OuterRef("pk"))
        .order_by()
        .values("entry")
        .annotate(n=Count("pk"))
        .values("n")[:1],
        output_field=IntegerField(),
    )


@dataclass(frozen=True)
class StatusMonth:
    """One month of an assessed target's history: its status and the report behind it."""

    snapshot: TargetSnapshot
    entry: ProgressEntry | None


def status_history(
    snapshots: list[TargetSnapshot], entries: list[ProgressEntry]
) -> list[StatusMonth]:
    """Latest month first, each with that month's report (no queries)."""
    by_period = {e.period: e for e in entries}
    return [StatusMonth(s, by_period.get(s.period)) for s in reversed(snapshots)]


@dataclass(frozen=True)
class Reconciled:
    """A figure of the report checked against the project register: a reference
    target's stated figure against the register's for the month (规模指标), or a
    target's value against the register's planned total behind it (the Σ of annual
    plans against 335.3亿元)."""

    target: Target
    what: str
    result: Reconciliation


def _plan_metric(target: Target) -> Metric | None:
    metric = registry.get(target.source) if target.is_derived else None
    return registry.get(metric.plan) if metric is not None and metric.plan else None


def _reconciled(
    target: Target, actual: Decimal | None, plans: dict[str, Decimal]
) -> Reconciled | None:
    if target.target_value is None:
        return None
    if target.kind == Kind.REFERENCE:
        held, what = actual, "项目清单"
    else:
        plan = _plan_metric(target)
        if plan is None or plan.name not in plans:
            return None
        held, what = plans[plan.name], plan.label
    return Reconciled(
        target, what, reconcile(stated=target.target_value, held=held, unit=target.unit)
    )


def _plans(targets: Iterable[Target], as_of: AsOf) -> dict[str, Decimal]:
    """The register's planned totals the targets are measured against: one query per
    plan metric named (one in the report), however many targets name it."""
    if as_of.as_of is None:
        return {}
    names = {plan.name for plan in map(_plan_metric, targets) if plan is not None}
    return {name: registry.get(name)(as_of.plan_year, as_of.as_of) for name in sorted(names)}


def target_reconciliation(target: Target, actual: Decimal | None, as_of: AsOf) -> Reconciled | None:
    """The target page's: no query for a reference target (``actual`` is the
    register's figure), one for a target whose metric names a plan metric."""
    return _reconciled(target, actual, _plans([target], as_of))


def reconciliations(
    rows: Sequence[Target], as_of: AsOf, *, among: Sequence[Target] | None = None
) -> list[Reconciled]:
    """The programme page's, for its rows (annotated with ``actual``, as
    ``targets_at`` gives them): one query per plan metric named (3.3's), none else.
    ``among``: the programme's rows when ``rows`` is one page of them, so that the
    page costs the same queries whichever targets it shows."""
    plans = _plans(rows if among is None else among, as_of)
    found = (_reconciled(row, row.actual, plans) for row in rows)
    return [r for r in found if r is not None]


def register_reconciliations(*, plan_year: PlanYear, as_of: date) -> list[Reconciled]:
    """Every reconciled target of the year against the register as it stands at
    ``as_of`` (computed, not read from snapshots: the admin shows today's register):
    one query for the targets, one per metric involved."""
    targets = list(
        Target.objects.filter(programme__plan_year=plan_year)
        .exclude(source=MANUAL_SOURCE)
        .order_by("programme__number", "sort_order", "code")
    )
    figures: dict[str, Decimal] = {}

    def figure(name: str) -> Decimal:
        if name not in figures:
            figures[name] = registry.get(name)(plan_year, as_of)
        return figures[name]

    found = []
    for target in targets:
        if target.kind == Kind.REFERENCE and target.source in registry:
            actual = figure(target.source)
            found.append(_reconciled(target, actual, {}))
        elif (plan := _plan_metric(target)) is not None:
            found.append(_reconciled(target, None, {plan.name: figure(plan.name)}))
    return [r for r in found if r is not None]


CONTRIBUTORS_SHOWN = 20


def target_contributors(target: Target, as_of: AsOf) -> Contributions | None:
    """What a derived target's figure sums at the as-of month: how many records and
    the largest few (two queries); None for a target typed in by its department."""
    metric = registry.get(target.source) if target.is_derived else None
    if metric is None or metric.contributors is None or as_of.as_of is None:
        return None
    return metric.contributors(as_of.plan_year, as_of.as_of, CONTRIBUTORS_SHOWN)
