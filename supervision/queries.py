"""Reads shaped for the supervision pages and the bulletin, each in a fixed number
of queries however many targets and months."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Exists, JSONField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from org import roles
from org.glossary import department_name
from org.models import Department
from supervision import ladder, prose, ranking
from supervision.escalation import cards_at, closed_statuses
from supervision.models import Bulletin, EscalationStep, OrderState, SupervisionOrder
from targets.models import (
    ClosedMonth,
    PlanYear,
    ProgrammeSnapshot,
    ProgressEntry,
    Target,
    TargetSnapshot,
)
from targets.periods import add_months, last_closed_month, month_end, months_between
from workflow.states import COUNTED_STATES

LAGGING_STATUSES = ("behind", "overdue")


# --- corrections -----------------------------------------------------------------


@dataclass(frozen=True)
class Correction:
    """An entry for a closed month that the month's frozen snapshot was not computed
    from: it came in (or changed) after the month closed."""

    period: date
    target: Target
    entry_id: int
    version: int
    submitted_at: datetime | None
    # Whether the month's bulletin was published (it stays as published).
    bulletin_published: bool = False


def closed_periods(plan_year: PlanYear) -> QuerySet:
    """The year's closed months, as a subquery for ``corrections(periods=…)``."""
    return ClosedMonth.objects.closed().filter(plan_year=plan_year).values("period")


def latest_closed_period(plan_year: PlanYear) -> QuerySet:
    """The year's latest closed month, as a subquery (empty while none is closed)."""
    return closed_periods(plan_year).order_by("-period")[:1]


def corrections(
    *,
    plan_year: PlanYear,
    periods: list[date] | QuerySet,
    target: Target | None = None,
    submitted_after: Any = None,
    submitted_by: Any = None,
) -> dict[date, list[Correction]]:
    """Per closed month, its corrections (one query). ``periods`` are closed months, a
    list or a subquery (closed_periods, latest_closed_period); ``target`` keeps one
    target's; ``submitted_after`` / ``submitted_by`` (a moment or an expression) keep
    those submitted in that window (the bulletin's: since the last one)."""
    if isinstance(periods, list | tuple) and not periods:
        return {}
    # What the month's frozen snapshot was computed from, beside each entry.
    frozen = TargetSnapshot.objects.filter(
        target_id=OuterRef("target_id"), period=OuterRef("period")
    ).values("source_entries")[:1]
    published = Bulletin.objects.filter(
        plan_year=plan_year,
        period=OuterRef("period"),
        state=Bulletin.State.PUBLISHED,
        private=False,
    )
    entries = ProgressEntry.objects.filter(
        target__programme__plan_year=plan_year,
        period__in=periods,
        state__in=COUNTED_STATES,
    )
    if target is not None:
        entries = entries.filter(target=target)
    if submitted_after is not None:
        entries = entries.filter(submitted_at__gt=submitted_after)
    if submitted_by is not None:
        entries = entries.filter(submitted_at__lte=submitted_by)
    found: dict[date, list[Correction]] = defaultdict(list)
    for entry in (
        entries.annotate(
            frozen_from=Subquery(frozen, output_field=JSONField()),
            bulletin_published=Exists(published),
        )
        .select_related("target")
        .order_by("period", "target__code", "pk")
    ):
        used = {
            (pair[0], pair[1])
            for pair in (entry.frozen_from or [])
            if isinstance(pair, list | tuple) and len(pair) == 2 and isinstance(pair[0], int)
        }
        if (entry.pk, entry.version) not in used:
            found[entry.period].append(
                Correction(
                    period=entry.period,
                    target=entry.target,
                    entry_id=entry.pk,
                    version=entry.version,
                    submitted_at=entry.submitted_at,
                    bulletin_published=entry.bulletin_published,
                )
            )
    return dict(found)


# --- the months page -------------------------------------------------------------


@dataclass
class MonthRow:
    period: date
    record: ClosedMonth | None
    corrections: list[Correction] = field(default_factory=list)
    bulletins: list[Bulletin] = field(default_factory=list)
    latest_closed: bool = False  # only the latest closed month can be reopened
    next_to_close: bool = False  # months close in order

    @property
    def is_closed(self) -> bool:
        return self.record is not None and self.record.closed

    @property
    def was_reopened(self) -> bool:
        return self.record is not None and self.record.reopened_at is not None


def months_page(*, plan_year: PlanYear, today: date, user) -> list[MonthRow]:
    """Every ended month of the year, latest first, with its closing, corrections and
    bulletins (three queries)."""
    last = min(last_closed_month(today), date(plan_year.year, 12, 1))
    periods = months_between(plan_year.starts_on, last) if last >= plan_year.starts_on else []
    records = {
        r.period: r
        for r in ClosedMonth.objects.filter(plan_year=plan_year).select_related(
            "closed_by", "reopened_by"
        )
    }
    closed = [p for p, r in records.items() if r.closed]
    fixes = corrections(plan_year=plan_year, periods=closed)
    by_month: dict[date, list[Bulletin]] = defaultdict(list)
    for bulletin in visible_bulletins(user).filter(plan_year=plan_year):
        by_month[bulletin.period].append(bulletin)
    latest = max(closed, default=None)
    first_open = next((p for p in periods if p not in closed), None)
    return [
        MonthRow(
            period=p,
            record=records.get(p),
            corrections=fixes.get(p, []),
            bulletins=by_month.get(p, []),
            latest_closed=p == latest,
            next_to_close=p == first_open,
        )
        for p in reversed(periods)
    ]


def visible_bulletins(user):
    """The bulletins ``user`` may see (supervision/access.py), newest first."""
    rows = Bulletin.objects.select_related("generated_by", "published_by", "plan_year")
    own = Q(private=True, generated_by=user)
    if roles.is_reviewer(user):
        return rows.filter(Q(private=False) | own)
    return rows.filter(Q(state=Bulletin.State.PUBLISHED, private=False) | own)


# --- the target page's card ------------------------------------------------------


def _steps(**subject) -> list[EscalationStep]:
    """A subject's ladder history, oldest first (one query; a second for whom each
    step was told to, when there are steps)."""
    return list(
        EscalationStep.objects.filter(**subject)
        .prefetch_related("notified")
        .order_by("period", "pk")
    )


def target_steps(target: Target) -> list[EscalationStep]:
    return _steps(target=target)


def project_steps(project) -> list[EscalationStep]:
    return _steps(project=project)


# --- the bulletin ----------------------------------------------------------------


@dataclass
class Lagging:
    figures: prose.TargetFigures
    problems: str
    next_steps: str


@dataclass
class RedCard:
    title: str
    department: str
    behind: int  # closed months behind this year
    run: int  # consecutive, up to the month
    level: str


@dataclass
class BulletinData:
    plan_year: PlanYear
    period: date
    closed_month: ClosedMonth
    year: prose.AggregateFigures
    programmes: list[tuple[int, prose.AggregateFigures, list[prose.TargetFigures]]]
    lagging: list[Lagging]
    red_cards: list[RedCard]
    ranking: list[ranking.Ranked]
    overdue_orders: list[prose.OverdueOrder]
    computed_from: datetime | None
    computed_to: datetime | None
    # Earlier closed months' figures corrected since the last bulletin (none: the
    # bulletin reads as it always did).
    corrections: list[prose.CorrectedItem] = field(default_factory=list)

    @property
    def issued_on(self) -> date:
        """The document's date: the day the month was closed (fixed, so regenerating
        gives the same text)."""
        closed_on = self.closed_month.frozen.get("closed_on")
        if closed_on:
            return date.fromisoformat(closed_on)
        return timezone.localdate(self.closed_month.closed_at)


class NotClosed(ValueError):
    pass


def _aggregate(row: ProgrammeSnapshot, name: str) -> prose.AggregateFigures:
    return prose.AggregateFigures(
        name=name,
        status=row.status,
        ratio=row.ratio,
        expected=row.expected,
        counts=dict(row.status_counts),
        target_count=row.target_count,
    )


def _figures(snapshot: TargetSnapshot) -> prose.TargetFigures:
    target = snapshot.target
    return prose.TargetFigures(
        code=target.code,
        title=target.title,
        kind=target.kind,
        unit=target.unit,
        status=snapshot.status,
        actual=snapshot.actual,
        ratio=snapshot.ratio,
        expected=snapshot.expected,
        target_value=target.target_value,
        direction=target.direction,
        reached_on=snapshot.reached_on,
        department=target.lead_department.short_name or target.lead_department.name,
    )


def _code_key(code: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in code.split("."))


def bulletin_data(*, plan_year: PlanYear, period: date) -> BulletinData:
    """Everything the month's bulletin says, from the closed month's frozen rows."""
    closed_month = ClosedMonth.objects.closed().filter(plan_year=plan_year, period=period).first()
    if closed_month is None:
        raise NotClosed(f"{period.year}年{period.month}月尚未关账，不能生成通报。")
    aggregates = list(
        ProgrammeSnapshot.objects.filter(plan_year=plan_year, period=period).select_related(
            "programme"
        )
    )
    year_row = next((a for a in aggregates if a.programme_id is None), None)
    if year_row is None:
        raise NotClosed(f"{period.year}年{period.month}月没有计算结果，不能生成通报。")
    snapshots = sorted(
        TargetSnapshot.objects.filter(
            target__programme__plan_year=plan_year, period=period
        ).select_related("target__lead_department", "target__programme"),
        key=lambda s: (s.target.programme.number, s.target.sort_order, _code_key(s.target.code)),
    )
    by_programme: dict[int, list[prose.TargetFigures]] = defaultdict(list)
    for snapshot in snapshots:
        by_programme[snapshot.target.programme_id].append(_figures(snapshot))
    programmes = [
        (a.programme.number, _aggregate(a, a.programme.name), by_programme[a.programme_id])
        for a in sorted(
            (a for a in aggregates if a.programme_id is not None), key=lambda a: a.programme.number
        )
    ]
    lagging_rows = [s for s in snapshots if s.status in LAGGING_STATUSES]
    texts = _entry_texts([s.target_id for s in lagging_rows], period)
    lagging = [Lagging(_figures(s), *texts.get(s.target_id, ("", ""))) for s in lagging_rows]
    computed = [s.computed_at for s in snapshots] + [a.computed_at for a in aggregates]
    return BulletinData(
        plan_year=plan_year,
        period=period,
        closed_month=closed_month,
        year=_aggregate(year_row, "全区"),
        programmes=programmes,
        lagging=lagging,
        red_cards=_red_cards(plan_year, period),
        ranking=_ranking(plan_year, closed_month, snapshots),
        overdue_orders=_overdue_orders(plan_year, period),
        computed_from=min(computed) if computed else None,
        computed_to=max(computed) if computed else None,
        corrections=_earlier_corrections(plan_year, closed_month),
    )


def _earlier_corrections(plan_year: PlanYear, closed_month: ClosedMonth) -> list:
    """Corrections to the closed months before this one submitted after the month
    before it closed and by this one's close (one query; none for the year's first
    month). Each shows once, in the first bulletin written after it; the window
    is read from the closings' times, so regenerating the month reads the same."""
    period = closed_month.period
    if period <= plan_year.starts_on or closed_month.closed_at is None:
        return []
    previous_close = ClosedMonth.objects.filter(
        plan_year=plan_year, period=add_months(period, -1)
    ).values("closed_at")[:1]
    found = corrections(
        plan_year=plan_year,
        periods=closed_periods(plan_year).filter(period__lt=period),
        submitted_after=Subquery(previous_close),
        submitted_by=closed_month.closed_at,
    )
    return [
        prose.CorrectedItem(
            code=fix.target.code,
            title=fix.target.title,
            period=fix.period,
            corrected_on=timezone.localdate(fix.submitted_at) if fix.submitted_at else None,
            version=fix.version,
        )
        for month in sorted(found)
        for fix in sorted(found[month], key=lambda c: (_code_key(c.target.code), c.entry_id))
    ]


def _overdue_orders(plan_year: PlanYear, period: date) -> list[prose.OverdueOrder]:
    """督办单 given before the month's end, past their deadline then and not closed by
    then (one query). Read from their dates, so regenerating the month later gives
    the same list unless an order's deadline was extended."""
    end = month_end(period)
    rows = (
        SupervisionOrder.objects.with_subject()
        .filter(plan_year=plan_year, opened_at__date__lte=end, deadline__lt=end)
        .exclude(state=OrderState.DRAFT)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__date__gt=end))
        .order_by("deadline", "pk")
    )
    return [
        prose.OverdueOrder(
            title=order.subject_title,
            department=department_name(order.lead_department),
            deadline=order.deadline,
        )
        for order in rows
    ]


def _entry_texts(target_ids: list[int], period: date) -> dict[int, tuple[str, str]]:
    """target id → (存在问题, 下步计划) of its latest counted entry up to the month."""
    texts: dict[int, tuple[str, str]] = {}
    for target_id, problems, next_steps in (
        ProgressEntry.objects.filter(
            target_id__in=target_ids, period__lte=period, state__in=COUNTED_STATES
        )
        .order_by("target_id", "period", "pk")
        .values_list("target_id", "problems", "next_steps")
    ):
        texts[target_id] = (problems, next_steps)  # the latest wins
    return texts


def _red_cards(plan_year: PlanYear, period: date) -> list[RedCard]:
    cards = cards_at(plan_year=plan_year, period=period)
    listed = {tid: s for tid, s in cards.items() if s.level >= ladder.LISTED}
    if not listed:
        return []
    statuses = closed_statuses(plan_year=plan_year, through=period)
    result = []
    for target_id, step in sorted(listed.items(), key=lambda i: _code_key(i[1].target.code)):
        months = statuses.get(target_id, [])
        run = 0
        for status in reversed(months):
            if status not in ladder.BEHIND_STATUSES:
                break
            run += 1
        department = step.target.lead_department
        result.append(
            RedCard(
                title=step.target.title,
                department=department.short_name or department.name,
                behind=sum(1 for s in months if s in ladder.BEHIND_STATUSES),
                run=run,
                level=ladder.LEVEL_LABELS[step.level],
            )
        )
    return result


def _ranking(
    plan_year: PlanYear, closed_month: ClosedMonth, snapshots: list[TargetSnapshot]
) -> list[ranking.Ranked]:
    frozen = {
        row["department_id"]: row
        for row in closed_month.frozen.get("timeliness", {}).get("year", [])
    }
    statuses: dict[int, list[str]] = defaultdict(list)
    for snapshot in snapshots:
        statuses[snapshot.target.lead_department_id].append(snapshot.status)
    departments = [d for d in Department.objects.all() if d.pk in frozen or d.pk in statuses]
    figures = [
        ranking.DepartmentFigures(
            department_id=d.pk,
            name=d.short_name or d.name,
            order=index,
            on_time=frozen.get(d.pk, {}).get("on_time", 0),
            late=frozen.get(d.pk, {}).get("late", 0),
            missing=frozen.get(d.pk, {}).get("missing", 0),
            statuses=tuple(statuses.get(d.pk, ())),
        )
        for index, d in enumerate(departments)
    ]
    hundred = Decimal(100)
    thresholds = ranking.Thresholds(
        honour_rate=plan_year.honour_min_rate / hundred,
        honour_progress=plan_year.honour_min_progress / hundred,
        black_rate=plan_year.blacklist_max_rate / hundred,
        black_progress=plan_year.blacklist_max_progress / hundred,
    )
    return ranking.rank(figures, thresholds)
