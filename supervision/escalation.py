"""The escalation ladder's run for a closed month: read the closed months' statuses,
ask the pure rule (supervision/ladder.py) what changed, record each step and tell
whom it concerns through the one outbound log.

Subjects are targets (their TargetSnapshot statuses) and key projects（their
month's report against the annual plan × 序时，projects/pace.py ``month_status``）；
both climb the same ladder and are recorded, told and drafted for alike.

Idempotent: a step is recorded once per subject and month; running a month again
records nothing new and tells nobody twice.
"""

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from org import outbound
from org.models import OutboundEvent, Role
from org.roles import active_with_role, clerks_of
from projects import pace
from projects.models import KeyProject, ProjectProgress
from supervision import ladder, orders
from supervision.models import EscalationLevel, EscalationStep, OrderColour
from targets.models import ClosedMonth, PlanYear, Target, TargetSnapshot
from targets.periods import month_end


def closed_statuses(*, plan_year: PlanYear, through: date) -> dict[int, list[str | None]]:
    """target id → its statuses at every closed month up to ``through``, oldest
    first (None where a closed month has no row for it, e.g. before it existed)."""
    months = list(
        ClosedMonth.objects.closed()
        .filter(plan_year=plan_year, period__lte=through)
        .order_by("period")
        .values_list("period", flat=True)
    )
    by_target: dict[int, dict[date, str]] = defaultdict(dict)
    for target_id, period, status in TargetSnapshot.objects.filter(
        target__programme__plan_year=plan_year, period__in=months
    ).values_list("target_id", "period", "status"):
        by_target[target_id][period] = status
    return {
        target_id: [statuses.get(month) for month in months]
        for target_id, statuses in by_target.items()
    }


# The key under which closing keeps each project's status at the closed month
# (ClosedMonth.frozen): project id → status, only the projects that have one.
PROJECT_STATUSES = "project_statuses"


def _in_by(report: ProjectProgress, cutoff: datetime | None) -> bool:
    """Whether a report was in by ``cutoff`` (None: now). A report first submitted
    after it came in after the month closed; one with no first submission on record
    (drafts, rows loaded before the field existed) is judged by its state alone."""
    first = report.first_submitted_at
    return cutoff is None or first is None or first <= cutoff


def project_statuses(
    *, plan_year: PlanYear, months: dict[date, datetime | None]
) -> dict[date, dict[int, str | None]]:
    """Each month of ``months`` → project id → the project's status at that month
    (projects/pace.py ``month_status``; None when it was not on the list at the month's
    end or owed nothing), from its reports as they were in by the month's cutoff
    (None: as they stand now). Two queries, whatever the number of projects and
    months; the rule runs in Python over them."""
    if not months:
        return {}
    projects = list(
        KeyProject.objects.filter(plan_year=plan_year).only(
            "pk", "annual_plan", "stage", "listed_on", "delisted_on"
        )
    )
    reports: dict[int, list[ProjectProgress]] = defaultdict(list)
    for report in (
        ProjectProgress.objects.filter(project__plan_year=plan_year, period__lte=max(months))
        .only("project_id", "period", "state", "investment", "stage", "first_submitted_at")
        .order_by("period")
    ):
        reports[report.project_id].append(report)
    rules = plan_year.rules
    result: dict[date, dict[int, str | None]] = {}
    for month, cutoff in months.items():
        end = month_end(month)
        result[month] = {
            project.pk: pace.month_status(
                period=month,
                reports=[r for r in reports[project.pk] if _in_by(r, cutoff)],
                annual_plan=project.annual_plan,
                registered_stage=project.stage,
                year_starts=plan_year.starts_on,
                year_ends=plan_year.ends_on,
                rules=rules,
            )
            if project.listed_at(end)
            else None
            for project in projects
        }
    return result


def freeze_project_statuses(*, plan_year: PlanYear, period: date) -> dict[str, str]:
    """The projects' statuses at ``period`` as they stand now, as plain JSON for
    ClosedMonth.frozen: closing keeps them so that a report entered, corrected or
    returned after closing moves no closed month's card (two queries)."""
    statuses = project_statuses(plan_year=plan_year, months={period: None})[period]
    return {str(pk): status for pk, status in statuses.items() if status is not None}


def closed_project_statuses(*, plan_year: PlanYear, through: date) -> dict[int, list[str | None]]:
    """project id → its statuses at every closed month up to ``through``, oldest first
    (None where it had none), as ``closed_statuses`` gives targets'.

    A closed month is frozen: its statuses are the ones closing kept
    (``freeze_project_statuses``). A month closed before closing kept them has no such
    record; its statuses are worked out from the reports first submitted by the time
    it closed (``closed_at``) — a report that came in after closing does not count,
    as it does not in the month's frozen timeliness. What that cannot undo is a
    figure changed after closing (a report returned and resubmitted), which the
    frozen record does. One query for the months; two more only when some month has
    no record."""
    closed = list(
        ClosedMonth.objects.closed()
        .filter(plan_year=plan_year, period__lte=through)
        .order_by("period")
        .values_list("period", "closed_at", "frozen")
    )
    by_month: dict[date, dict[int, str | None]] = {
        period: {int(pk): status for pk, status in frozen[PROJECT_STATUSES].items()}
        for period, _, frozen in closed
        if PROJECT_STATUSES in (frozen or {})
    }
    by_month.update(
        project_statuses(
            plan_year=plan_year,
            months={period: at for period, at, _ in closed if period not in by_month},
        )
    )
    months = [period for period, _, _ in closed]
    subjects = {pk for statuses in by_month.values() for pk, s in statuses.items() if s}
    return {pk: [by_month[month].get(pk) for month in months] for pk in sorted(subjects)}


def leaders() -> list[User]:
    """Every active leader: whom a red card is told to where no 分管区领导 is recorded."""
    return active_with_role(Role.LEADER)


def _name(subject: Target | KeyProject) -> str:
    return subject.title if isinstance(subject, Target) else subject.name


def _link(subject: Target | KeyProject) -> str:
    if isinstance(subject, Target):
        return reverse("targets:target", args=[subject.pk])
    return reverse("projects:detail", args=[subject.pk])


def red_audience(subject: Target | KeyProject, everyone: list[User]) -> list[User]:
    """Whom a red card on ``subject`` (a target or a project) is told to: the 分管区领导
    of its lead department and of its programme（admin，督查督办 › 分管区领导）；every
    leader when neither is recorded, so a red card never goes unheard."""
    overseeing = orders.overseers(
        department_id=subject.lead_department_id, programme_id=subject.programme_id
    )
    return overseeing or everyone


def draft_order(subject: Target | KeyProject, period: date, level_label: str):
    """The 督办单 a red card asks for, drafted for the reviewer to confirm (nobody is
    told until then). Its deadline: the end of the month after the closed one."""
    return orders.open_order(
        subject=subject,
        department=None,
        requirement=(
            f"{subject.code}“{_name(subject)}”截至{period.year}年{period.month}月连续严重滞后、"
            f"逾期未完成或未报送，督办级别为{level_label}。请牵头单位分析原因，制定整改措施，"
            "限期赶上序时进度，并按月反馈进展。"
        ),
        deadline=month_end(month_end(period) + timedelta(days=1)),
        colour=OrderColour.RED,
        actor=None,
        draft=True,
    )


def _changes(
    statuses: dict[int, list[str | None]], done: set[int], rungs
) -> dict[int, tuple[ladder.Change, str]]:
    """subject id → the ladder's change at the last month and that month's status,
    for the subjects not yet stepped at it."""
    changes = {}
    for subject_id, months in statuses.items():
        if subject_id in done:
            continue
        change = ladder.change_at_last(months, rungs)
        if change is not None:
            changes[subject_id] = (change, months[-1] or "")
    return changes


@transaction.atomic
def run_escalation(*, plan_year: PlanYear, period: date) -> list[EscalationStep]:
    """Record the ladder's changes at ``period`` (a closed month) for targets and key
    projects, and notify. Returns the steps recorded by this run."""
    if not ClosedMonth.objects.closed().filter(plan_year=plan_year, period=period).exists():
        raise ValueError(f"{period.year}年{period.month}月未关账，不能运行督办升级。")
    done = defaultdict(set)
    for target_id, project_id in EscalationStep.objects.filter(period=period).values_list(
        "target_id", "project_id"
    ):
        if target_id is not None:
            done["target"].add(target_id)
        else:
            done["project"].add(project_id)
    target_changes = _changes(
        closed_statuses(plan_year=plan_year, through=period), done["target"], plan_year.ladder
    )
    project_changes = _changes(
        closed_project_statuses(plan_year=plan_year, through=period),
        done["project"],
        plan_year.ladder,
    )
    if not target_changes and not project_changes:
        return []
    subjects: list[tuple[Target | KeyProject, tuple[ladder.Change, str]]] = []
    if target_changes:
        targets = Target.objects.select_related("lead_department").in_bulk(list(target_changes))
        subjects += [(targets[pk], target_changes[pk]) for pk in sorted(target_changes)]
    if project_changes:
        projects = KeyProject.objects.select_related("lead_department").in_bulk(
            list(project_changes)
        )
        subjects += [(projects[pk], project_changes[pk]) for pk in sorted(project_changes)]
    clerks = clerks_of({subject.lead_department_id for subject, _ in subjects})
    everyone = leaders()
    now = timezone.now()
    return [
        _step(subject, change, status, period=period, clerks=clerks, everyone=everyone, now=now)
        for subject, (change, status) in subjects
    ]


def _step(
    subject: Target | KeyProject,
    change: ladder.Change,
    status: str,
    *,
    period: date,
    clerks: dict[int, list[User]],
    everyone: list[User],
    now,
) -> EscalationStep:
    """Record one subject's change of card, draft its 督办单 on a new red card and
    tell its department's clerks（and on red, its 分管区领导）。"""
    field = "target" if isinstance(subject, Target) else "project"
    step = EscalationStep.objects.create(
        **{field: subject},
        period=period,
        level=change.level,
        previous_level=change.previous,
        status=status,
    )
    recipients = []
    if change.notify_department:
        recipients += clerks.get(subject.lead_department_id, [])
    if change.notify_leaders:
        recipients += red_audience(subject, everyone)
    if change.level >= ladder.RED > change.previous:
        draft_order(subject, period, EscalationLevel(change.level).label)
    if recipients:
        label = EscalationLevel(change.level).label
        outbound.notify(
            OutboundEvent.ESCALATION,
            recipients=recipients,
            subject=f"督办升级：{subject.code} {_name(subject)}（{label}）",
            body=(
                f"{period.year}年{period.month}月关账后，{subject.lead_department.name}牵头的"
                f"“{_name(subject)}”连续严重滞后、逾期未完成或未报送，督办级别升为{label}。"
                "请抓紧推进并及时报送。"
            ),
            link=_link(subject),
            department=subject.lead_department,
        )
        step.notified.set(recipients)
        step.notified_at = now
        step.save(update_fields=["notified_at"])
    return step


def red_steps(month: date, plan_year: PlanYear | None = None) -> list[EscalationStep]:
    """The red cards given at ``month``: steps that climbed to 红牌 or above from
    below it (one 督办单 each; a card that stays red is not counted again)."""
    steps = EscalationStep.objects.filter(
        period=month, level__gte=ladder.RED, previous_level__lt=ladder.RED
    ).select_related("target__lead_department", "project__lead_department")
    if plan_year is not None:
        steps = steps.filter(
            Q(target__programme__plan_year=plan_year) | Q(project__plan_year=plan_year)
        )
    return list(steps.order_by("pk"))


def cards_at(*, plan_year: PlanYear, period: date) -> dict[int, EscalationStep]:
    """target id → its latest step up to ``period`` whose level is not 无 (the card it
    holds at that month), in one query."""
    latest: dict[int, EscalationStep] = {}
    for step in (
        EscalationStep.objects.filter(target__programme__plan_year=plan_year, period__lte=period)
        .select_related("target__lead_department", "target__programme")
        .order_by("period", "pk")
    ):
        latest[step.target_id] = step
    return {target_id: s for target_id, s in latest.items() if s.level > ladder.NONE}
