"""Page reads for the reporting pages. Each function runs a fixed number of queries,
however many targets and projects a department leads (pinned by query-count tests).

Which reports are owed ("due") for a month:
- a manual target owes one for every month from its start to its deadline; a
  milestone or an assessed target stops owing once a counted report has said it is
  done (a done date, or the assessment 已达成), since there is nothing left to report;
- a key project owes one every month unless it is still at the 谋划 stage (nothing is
  being built yet) or has reached 竣工投产 (nothing is left to build); its current
  stage is what decides;
- derived targets owe nothing: their figures come from the project records.
A report counts once it is submitted or approved; drafts and returned ones do not.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, Sum

from projects.models import KeyProject, ProjectProgress, Stage
from targets.completion import ACHIEVED, COUNTED_STATES
from targets.models import (
    MANUAL_SOURCE,
    Department,
    EntryState,
    Kind,
    PlanYear,
    Profile,
    ProgressEntry,
    Role,
    Target,
    TargetSnapshot,
)
from targets.periods import add_months, month_end, months_between, report_due_date

# Returned first (someone must act on the reviewer's reason), then what is still to
# do, then what waits for the reviewer, then what is done.
STATE_ORDER = {EntryState.RETURNED: 0, None: 1, EntryState.DRAFT: 2, EntryState.SUBMITTED: 3}
DONE_ORDER = 4


def _state_order(state: str | None) -> int:
    return STATE_ORDER.get(state, DONE_ORDER)


# --- what is owed ----------------------------------------------------------------------


def finished_period(target: Target, counted: Iterable) -> date | None:
    """The month in which a milestone or assessed target was reported done (None if
    not, or for the other kinds). ``counted`` are its counted entries (any objects
    with period, done_on and assessment)."""
    if target.kind not in (Kind.MILESTONE, Kind.ASSESSED):
        return None
    done = [
        e.period
        for e in counted
        if (e.done_on if target.kind == Kind.MILESTONE else e.assessment == ACHIEVED)
    ]
    return min(done) if done else None


def target_owes(target: Target, period: date, finished: date | None) -> bool:
    if target.is_derived or month_end(period) < target.starts_on:
        return False
    if finished is not None:
        return period <= finished
    if target.kind in (Kind.MILESTONE, Kind.ASSESSED):
        return True  # an unfinished milestone keeps reporting past its deadline
    return period <= target.deadline


# Projects at these stages report nothing: not started, or finished.
NOT_OWING_STAGES = (Stage.PLANNING, Stage.COMPLETED)


def project_owes(project: KeyProject) -> bool:
    return project.stage not in NOT_OWING_STAGES


# --- 填报: a department's month ------------------------------------------------------


@dataclass
class TargetRow:
    target: Target
    entry: ProgressEntry | None
    previous: ProgressEntry | None
    owes: bool

    kind = "target"

    @property
    def subject(self) -> Target:
        return self.target

    @property
    def state(self) -> str | None:
        return self.entry.state if self.entry else None

    @property
    def order(self) -> tuple:
        return (_state_order(self.state), self.target.programme.number, self.target.sort_order)


@dataclass
class DerivedRow:
    target: Target
    snapshot: TargetSnapshot | None


@dataclass
class ProjectRow:
    project: KeyProject
    progress: ProjectProgress | None
    previous: ProjectProgress | None

    kind = "project"

    @property
    def subject(self) -> KeyProject:
        return self.project

    @property
    def entry(self) -> ProjectProgress | None:
        return self.progress

    @property
    def state(self) -> str | None:
        return self.progress.state if self.progress else None

    @property
    def owes(self) -> bool:
        return project_owes(self.project)


@dataclass
class OverdueMonth:
    period: date
    due_on: date
    targets: list[Target]
    projects: int


@dataclass
class MonthPage:
    department: Department
    plan_year: PlanYear
    period: date
    due_on: date
    targets: list[TargetRow]
    derived: list[DerivedRow]
    projects: list[ProjectRow]
    overdue: list[OverdueMonth]
    tallies: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> list:
        """Every report of the month, targets first (the workbook's order)."""
        return [*self.targets, *self.projects]


def _tally(rows: Iterable) -> dict[str, int]:
    counts = {"total": 0, "returned": 0, "todo": 0, "submitted": 0, "approved": 0}
    for row in rows:
        counts["total"] += 1
        if row.state == EntryState.RETURNED:
            counts["returned"] += 1
        elif row.state == EntryState.SUBMITTED:
            counts["submitted"] += 1
        elif row.state == EntryState.APPROVED:
            counts["approved"] += 1
        elif row.owes:
            counts["todo"] += 1
    return counts


def month_page(
    *, department: Department, plan_year: PlanYear, period: date, today: date
) -> MonthPage:
    """Everything the 填报 page shows for one department and month: six queries."""
    previous_period = add_months(period, -1)
    mine = Q(lead_department=department) & Q(programme__plan_year=plan_year)
    # 1. the department's targets
    targets = list(Target.objects.filter(mine).select_related("programme"))
    # 2. every entry of theirs this year (a dozen a target at most): this month's,
    #    last month's, and what earlier months still owe
    entries = list(
        ProgressEntry.objects.filter(
            target__lead_department=department, target__programme__plan_year=plan_year
        ).select_related("reviewed_by")
    )
    # 3. the derived targets' latest computed month up to this one
    snapshots = {
        s.target_id: s
        for s in TargetSnapshot.objects.filter(
            target__lead_department=department,
            target__programme__plan_year=plan_year,
            period__lte=period,
        )
        .exclude(target__source=MANUAL_SOURCE)
        .order_by("period")
    }
    # 4. the department's projects, with their counted investment before this month
    projects = list(
        KeyProject.objects.filter(plan_year=plan_year, lead_department=department)
        .select_related("programme")
        .annotate(
            invested_before=Sum(
                "progress__investment",
                filter=Q(progress__state__in=COUNTED_STATES)
                & Q(progress__period__gte=plan_year.starts_on)
                & Q(progress__period__lt=period),
            )
        )
        .order_by("code")
    )
    # 5. their progress reports for this month and last
    progress = {
        (p.project_id, p.period): p
        for p in ProjectProgress.objects.filter(
            project__plan_year=plan_year,
            project__lead_department=department,
            period__in=[period, previous_period],
        ).select_related("reviewed_by")
    }
    # 6. counted project reports per month (for the months still owed)
    counted_projects = dict(
        ProjectProgress.objects.filter(
            project__plan_year=plan_year,
            project__lead_department=department,
            state__in=COUNTED_STATES,
        )
        .exclude(project__stage__in=NOT_OWING_STAGES)
        .values_list("period")
        .annotate(n=Count("id"))
        .order_by()
    )

    by_target: dict[int, dict[date, ProgressEntry]] = defaultdict(dict)
    for entry in entries:
        by_target[entry.target_id][entry.period] = entry
    finished = {
        t.pk: finished_period(t, [e for e in by_target[t.pk].values() if e.counts]) for t in targets
    }
    target_rows = sorted(
        (
            TargetRow(
                target=t,
                entry=by_target[t.pk].get(period),
                previous=by_target[t.pk].get(previous_period),
                owes=target_owes(t, period, finished[t.pk]),
            )
            for t in targets
            if not t.is_derived
        ),
        key=lambda row: row.order,
    )
    project_rows = sorted(
        (
            ProjectRow(
                project=p,
                progress=progress.get((p.pk, period)),
                previous=progress.get((p.pk, previous_period)),
            )
            for p in projects
        ),
        key=lambda row: _state_order(row.state),
    )
    owing_projects = sum(1 for p in projects if project_owes(p))
    overdue = []
    for month in months_between(plan_year.starts_on, min(period, plan_year.ends_on)):
        due_on = report_due_date(month, plan_year.report_due_day)
        if month == period or due_on >= today:
            continue
        missing = [
            t
            for t in targets
            if target_owes(t, month, finished[t.pk])
            and not (by_target[t.pk].get(month) and by_target[t.pk][month].counts)
        ]
        projects_missing = owing_projects - counted_projects.get(month, 0)
        if missing or projects_missing > 0:
            overdue.append(OverdueMonth(month, due_on, missing, max(projects_missing, 0)))
    return MonthPage(
        department=department,
        plan_year=plan_year,
        period=period,
        due_on=report_due_date(period, plan_year.report_due_day),
        targets=target_rows,
        derived=[DerivedRow(t, snapshots.get(t.pk)) for t in targets if t.is_derived],
        projects=project_rows,
        overdue=overdue,
        tallies={"targets": _tally(target_rows), "projects": _tally(project_rows)},
    )


# --- 未报送: missing reports by department -----------------------------------------


@dataclass
class DepartmentMissing:
    department: Department
    targets_due: int = 0
    targets_missing: list[Target] = field(default_factory=list)
    projects_due: int = 0
    projects_missing: int = 0
    recipients: int = 0

    @property
    def missing(self) -> int:
        return len(self.targets_missing) + self.projects_missing

    @property
    def due(self) -> int:
        return self.targets_due + self.projects_due


def missing_by_department(*, plan_year: PlanYear, period: date) -> list[DepartmentMissing]:
    """Per department: reports owed for ``period`` and how many are missing. Six
    queries. Departments that owe nothing are left out."""
    # 1. departments
    rows = {d.pk: DepartmentMissing(d) for d in Department.objects.all()}
    # 2. manual targets of the year
    targets = list(Target.objects.for_plan_year(plan_year).manual().select_related("programme"))
    # 3. counted entries up to this month (reported this month; finished before)
    counted: dict[int, list[ProgressEntry]] = defaultdict(list)
    for entry in ProgressEntry.objects.filter(
        target__programme__plan_year=plan_year,
        target__source=MANUAL_SOURCE,
        state__in=COUNTED_STATES,
        period__lte=period,
    ).only("target_id", "period", "done_on", "assessment", "state"):
        counted[entry.target_id].append(entry)
    for target in targets:
        if not target_owes(target, period, finished_period(target, counted[target.pk])):
            continue
        row = rows[target.lead_department_id]
        row.targets_due += 1
        if all(e.period != period for e in counted[target.pk]):
            row.targets_missing.append(target)
    owing = KeyProject.objects.filter(plan_year=plan_year).exclude(stage__in=NOT_OWING_STAGES)
    # 4. projects that owe a report, per department
    projects_due = dict(owing.values_list("lead_department").annotate(n=Count("id")).order_by())
    # 5. counted reports of theirs for the month, per department
    projects_in = dict(
        ProjectProgress.objects.filter(project__in=owing, period=period, state__in=COUNTED_STATES)
        .values_list("project__lead_department")
        .annotate(n=Count("id"))
        .order_by()
    )
    # 6. who would receive a reminder (active staff with an e-mail address)
    recipients = dict(
        Profile.objects.filter(role=Role.STAFF, user__is_active=True)
        .exclude(user__email="")
        .values_list("department")
        .annotate(n=Count("id"))
        .order_by()
    )
    result = []
    for department_id, row in rows.items():
        row.projects_due = projects_due.get(department_id, 0)
        row.projects_missing = max(0, row.projects_due - projects_in.get(department_id, 0))
        row.recipients = recipients.get(department_id, 0) + (1 if row.department.email else 0)
        if row.due:
            result.append(row)
    return result


def missing_projects(
    *, department: Department, plan_year: PlanYear, period: date
) -> list[KeyProject]:
    """The projects of a department that owe ``period`` and have not reported it."""
    reported = ProjectProgress.objects.filter(
        project=OuterRef("pk"), period=period, state__in=COUNTED_STATES
    )
    return list(
        KeyProject.objects.filter(plan_year=plan_year, lead_department=department)
        .exclude(stage__in=NOT_OWING_STAGES)
        .exclude(Exists(reported))
        .order_by("code")
    )


# --- 审核: the review queue -----------------------------------------------------------


@dataclass
class QueueEntry:
    entry: ProgressEntry
    previous: ProgressEntry | None


@dataclass
class QueueProgress:
    progress: ProjectProgress
    previous: ProjectProgress | None


def queue_entries(queryset) -> list[QueueEntry]:
    """Submitted target entries, each beside the latest counted entry before it: two
    queries (one when the queue is empty)."""
    entries = list(
        queryset.select_related("target__programme", "target__lead_department", "submitted_by")
        .annotate(evidence_count=Count("evidence"))
        .order_by("period", "target__programme__number", "target__sort_order", "target__code")
    )
    if not entries:
        return []
    earlier: dict[int, list[ProgressEntry]] = defaultdict(list)
    for entry in ProgressEntry.objects.filter(
        target_id__in={e.target_id for e in entries},
        state__in=COUNTED_STATES,
        period__lt=max(e.period for e in entries),
    ).order_by("period"):
        earlier[entry.target_id].append(entry)
    rows = []
    for entry in entries:
        before = [e for e in earlier[entry.target_id] if e.period < entry.period]
        rows.append(QueueEntry(entry, before[-1] if before else None))
    return rows


def queue_progress(progress: Iterable[ProjectProgress]) -> list[QueueProgress]:
    """Project reports (one page of them), each beside the project's previous month:
    one query."""
    progress = list(progress)
    if not progress:
        return []
    previous = {
        (p.project_id, p.period): p
        for p in ProjectProgress.objects.filter(
            project_id__in={p.project_id for p in progress},
            period__in={add_months(p.period, -1) for p in progress},
        )
    }
    return [
        QueueProgress(p, previous.get((p.project_id, add_months(p.period, -1)))) for p in progress
    ]


def queue_progress_queryset(queryset):
    return queryset.select_related(
        "project__programme", "project__lead_department", "submitted_by"
    ).order_by("period", "project__lead_department__sort_order", "project__code")
