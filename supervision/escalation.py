"""The escalation ladder's run for a closed month: read the closed months' statuses,
ask the pure rule (supervision/ladder.py) what changed, record each step and tell
whom it concerns through the one outbound log.

Idempotent: a step is recorded once per subject and month; running a month again
records nothing new and tells nobody twice.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from org import outbound
from org.models import OutboundEvent, Role
from org.roles import clerks_of
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


def leaders() -> list[User]:
    """Every active leader: whom a red card is told to where no 分管区领导 is recorded."""
    return list(User.objects.filter(is_active=True, profile__role=Role.LEADER).order_by("pk"))


def red_audience(target: Target, everyone: list[User]) -> list[User]:
    """Whom a red card on ``target`` is told to: the 分管区领导 of its lead department
    and of its programme (admin, 督查督办 › 分管区领导); every leader when neither is
    recorded, so a red card never goes unheard."""
    overseeing = orders.overseers(
        department_id=target.lead_department_id, programme_id=target.programme_id
    )
    return overseeing or everyone


def draft_order(target: Target, period: date, level_label: str):
    """The 督办单 a red card asks for, drafted for the reviewer to confirm (nobody is
    told until then). Its deadline: the end of the month after the closed one."""
    return orders.open_order(
        subject=target,
        department=None,
        requirement=(
            f"{target.code}“{target.title}”截至{period.year}年{period.month}月连续严重滞后、"
            f"逾期未完成或未报送，督办级别为{level_label}。请牵头单位分析原因，制定整改措施，"
            "限期赶上序时进度，并按月反馈进展。"
        ),
        deadline=month_end(month_end(period) + timedelta(days=1)),
        colour=OrderColour.RED,
        actor=None,
        draft=True,
    )


@transaction.atomic
def run_escalation(*, plan_year: PlanYear, period: date) -> list[EscalationStep]:
    """Record the ladder's changes at ``period`` (a closed month) and notify. Returns
    the steps recorded by this run."""
    if not ClosedMonth.objects.closed().filter(plan_year=plan_year, period=period).exists():
        raise ValueError(f"{period.year}年{period.month}月未关账，不能运行督办升级。")
    statuses = closed_statuses(plan_year=plan_year, through=period)
    done = set(
        EscalationStep.objects.filter(period=period, target__isnull=False).values_list(
            "target_id", flat=True
        )
    )
    changes = {}
    for target_id, months in statuses.items():
        if target_id in done:
            continue
        change = ladder.change_at_last(months, plan_year.ladder)
        if change is not None:
            changes[target_id] = (change, months[-1] or "")
    if not changes:
        return []
    targets = Target.objects.select_related("lead_department").in_bulk(list(changes))
    clerks = clerks_of({t.lead_department_id for t in targets.values()})
    everyone = leaders()
    now = timezone.now()
    steps = []
    for target_id in sorted(changes):
        change, status = changes[target_id]
        target = targets[target_id]
        step = EscalationStep.objects.create(
            target=target,
            period=period,
            level=change.level,
            previous_level=change.previous,
            status=status,
        )
        recipients = []
        if change.notify_department:
            recipients += clerks.get(target.lead_department_id, [])
        if change.notify_leaders:
            recipients += red_audience(target, everyone)
        if change.level >= ladder.RED > change.previous:
            draft_order(target, period, EscalationLevel(change.level).label)
        if recipients:
            label = EscalationLevel(change.level).label
            outbound.notify(
                OutboundEvent.ESCALATION,
                recipients=recipients,
                subject=f"督办升级：{target.code} {target.title}（{label}）",
                body=(
                    f"{period.year}年{period.month}月关账后，{target.lead_department.name}牵头的"
                    f"“{target.title}”连续严重滞后、逾期未完成或未报送，督办级别升为{label}。"
                    "请抓紧推进并及时报送。"
                ),
                link=reverse("targets:target", args=[target.pk]),
                department=target.lead_department,
            )
            step.notified.set(recipients)
            step.notified_at = now
            step.save(update_fields=["notified_at"])
        steps.append(step)
    return steps


def red_steps(month: date, plan_year: PlanYear | None = None) -> list[EscalationStep]:
    """The red cards given at ``month``: steps that climbed to 红牌 or above from
    below it (one 督办单 each; a card that stays red is not counted again)."""
    steps = EscalationStep.objects.filter(
        period=month, level__gte=ladder.RED, previous_level__lt=ladder.RED
    ).select_related("target__lead_department", "project__lead_department")
    if plan_year is not None:
        steps = steps.filter(target__programme__plan_year=plan_year)
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
