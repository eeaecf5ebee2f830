"""Writes and reads of 督办单 and 领导批示: open (or draft for confirmation),
confirm, close (销号), extend; write an instruction. Keyword-only, atomic, audited, and
notified through the outbound log (org.outbound). The departments' answers go through
the shared workflow (supervision/adapters.py), not through here."""

from datetime import date, datetime, time

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from org import audit, outbound, roles
from org.models import Department, OutboundEvent, Role
from projects.models import KeyProject
from supervision import rules
from supervision.models import (
    DepartmentLeader,
    Instruction,
    OrderColour,
    OrderExtension,
    OrderState,
    ProgrammeLeader,
    SupervisionOrder,
)
from targets.clock import site_today
from targets.models import PlanYear, Target
from workflow.machine import WorkflowError, require

REVIEWERS_ONLY = "只有督查室审核员可以开具、销号或延期督办单。"
LEADERS_ONLY = "只有区领导可以作出批示。"


def site_now() -> datetime:
    """Now, on the site's day (the demo and the tests pin the day with SITE_TODAY):
    the month an order or instruction belongs to is the site's month."""
    now = timezone.localtime()
    today = site_today()
    if today == now.date():
        return now
    return timezone.make_aware(datetime.combine(today, now.time()))


class OrderError(WorkflowError):
    """A refusal with a Chinese message (nothing was written)."""


# --- who -----------------------------------------------------------------------------


def can_manage_orders(user) -> bool:
    return roles.is_reviewer(user)


def can_instruct(user) -> bool:
    return roles.role_of(user) == Role.LEADER


def overseers(*, department_id: int | None, programme_id: int | None = None) -> list[User]:
    """The 分管区领导 of a department and of a programme (either may be unset)."""
    leaders = {}
    for row in DepartmentLeader.objects.filter(department_id=department_id).select_related(
        "leader"
    ):
        leaders[row.leader_id] = row.leader
    if programme_id is not None:
        for row in ProgrammeLeader.objects.filter(programme_id=programme_id).select_related(
            "leader"
        ):
            leaders[row.leader_id] = row.leader
    return list(leaders.values())


def leader_programme_ids(user) -> set[int]:
    return set(ProgrammeLeader.objects.filter(leader=user).values_list("programme_id", flat=True))


# --- subjects ------------------------------------------------------------------------


def _subject_fields(subject) -> dict:
    if isinstance(subject, Target):
        return {"target": subject}
    if isinstance(subject, KeyProject):
        return {"project": subject}
    if isinstance(subject, SupervisionOrder):
        return {"order": subject}
    raise OrderError("督办单和批示只能针对指标、项目（批示还可针对督办单）。")


def _plan_year_of(subject) -> PlanYear:
    if isinstance(subject, Target):
        return subject.programme.plan_year
    return subject.plan_year


def _programme_id(subject) -> int | None:
    return getattr(subject, "programme_id", None)


def subject_url(subject) -> str:
    if isinstance(subject, Target):
        return reverse("targets:target", args=[subject.pk])
    if isinstance(subject, KeyProject):
        return reverse("projects:detail", args=[subject.pk])
    return reverse("supervision:order", args=[subject.pk])


def _department_of(subject) -> Department:
    department = subject.lead_department
    if department is None:
        raise OrderError("该事项没有责任单位，请先由管理员设置。")
    return department


# --- 督办单 ---------------------------------------------------------------------------


def _notify_order(order: SupervisionOrder, actor: User) -> None:
    colour = order.get_colour_display()
    outbound.notify(
        OutboundEvent.ORDER,
        recipients=roles.clerks_of([order.lead_department_id]).get(order.lead_department_id, [])
        + (overseers(department_id=order.lead_department_id) if order.colour == "red" else []),
        subject=f"{colour}：{order.subject_title}",
        body=f"督办要求：{order.requirement}\n办结时限：{order.deadline:%Y年%m月%d日}",
        link=reverse("supervision:order", args=[order.pk]),
        department=order.lead_department,
        actor=actor,
    )


@transaction.atomic
def open_order(
    *,
    subject: Target | KeyProject,
    department: Department | None,
    requirement: str,
    deadline: date,
    colour: str,
    actor: User | None,
    draft: bool = False,
    today: date | None = None,
) -> SupervisionOrder:
    """Open a 督办单 on a target or project for ``department`` (its lead department
    when None). ``draft``: written for a reviewer to confirm (the escalation ladder at
    month close, ``actor`` None): nobody is told until it is confirmed."""
    if not draft:
        require(can_manage_orders(actor), REVIEWERS_ONLY)
    fields = _subject_fields(subject)
    if "order" in fields:
        raise OrderError("督办单只能针对指标或项目。")
    requirement = (requirement or "").strip()
    if not requirement:
        raise OrderError("请填写督办要求。")
    if colour not in OrderColour.values:
        raise OrderError("督办等级须为黄色或红色。")
    today = today or site_today()
    if not draft and deadline < today:
        raise OrderError("办结时限不能早于今天。")
    now = site_now()
    order = SupervisionOrder(
        plan_year=_plan_year_of(subject),
        programme_id=_programme_id(subject),
        lead_department=department or _department_of(subject),
        requirement=requirement,
        deadline=deadline,
        colour=colour,
        state=OrderState.DRAFT if draft else OrderState.OPEN,
        opened_by=None if draft else actor,
        opened_at=None if draft else now,
        **fields,
    )
    order._history_user = actor
    order.save()
    if not draft:
        _notify_order(order, actor)
    audit.record(
        action="supervision.order_draft" if draft else "supervision.order_open",
        actor=actor,
        target=order,
        detail={"deadline": deadline, "colour": colour, "department": str(order.lead_department)},
    )
    return order


def _lock(order_id: int) -> SupervisionOrder:
    try:
        return SupervisionOrder.objects.select_for_update().get(pk=order_id)
    except SupervisionOrder.DoesNotExist:
        raise OrderError("督办单不存在或已被删除。") from None


@transaction.atomic
def confirm_order(*, order_id: int, actor: User, today: date | None = None) -> SupervisionOrder:
    """A drafted order (from the ladder), confirmed by a reviewer: now it is open."""
    require(can_manage_orders(actor), REVIEWERS_ONLY)
    order = _lock(order_id)
    if order.state != OrderState.DRAFT:
        raise OrderError("该督办单已确认，无需再次确认。")
    order.state, order.opened_by, order.opened_at = OrderState.OPEN, actor, site_now()
    order._history_user = actor
    order.save()
    _notify_order(order, actor)
    audit.record(action="supervision.order_open", actor=actor, target=order)
    return order


@transaction.atomic
def close_order(*, order_id: int, actor: User, reason: str) -> SupervisionOrder:
    """销号: the item recovered or the answer was accepted."""
    require(can_manage_orders(actor), REVIEWERS_ONLY)
    reason = (reason or "").strip()
    if not reason:
        raise OrderError("销号必须填写理由。")
    order = _lock(order_id)
    if not rules.order_can_close(state=order.state):
        raise OrderError(f"当前状态为“{order.get_state_display()}”，不能销号。")
    order.state = OrderState.CLOSED
    order.closed_by, order.closed_at, order.close_reason = actor, timezone.now(), reason[:1000]
    order._history_user = actor
    order._change_reason = f"销号：{reason}"
    order.save()
    audit.record(
        action="supervision.order_close", actor=actor, target=order, detail={"reason": reason}
    )
    return order


@transaction.atomic
def extend_order(
    *, order_id: int, actor: User, new_deadline: date, reason: str
) -> SupervisionOrder:
    require(can_manage_orders(actor), REVIEWERS_ONLY)
    reason = (reason or "").strip()
    if not reason:
        raise OrderError("延期必须填写理由。")
    order = _lock(order_id)
    if not rules.order_can_extend(
        state=order.state, deadline=order.deadline, new_deadline=new_deadline
    ):
        if order.state not in rules.ACTIVE:
            raise OrderError(f"当前状态为“{order.get_state_display()}”，不能延期。")
        raise OrderError("新时限须晚于原时限。")
    OrderExtension.objects.create(
        order=order,
        old_deadline=order.deadline,
        new_deadline=new_deadline,
        reason=reason[:1000],
        extended_by=actor,
    )
    old = order.deadline
    order.deadline, order.state = new_deadline, OrderState.EXTENDED
    order._history_user = actor
    order._change_reason = f"延期：{reason}"
    order.save()
    audit.record(
        action="supervision.order_extend",
        actor=actor,
        target=order,
        detail={"from": old, "to": new_deadline, "reason": reason},
    )
    return order


def overdue_orders(plan_year: PlanYear, as_of: date) -> QuerySet[SupervisionOrder]:
    """Orders of the plan year still being worked on after their deadline at
    ``as_of`` (a day: the end of a month for the bulletin, today for the pages)."""
    return (
        SupervisionOrder.objects.with_subject()
        .filter(plan_year=plan_year)
        .overdue(as_of)
        .order_by("deadline", "pk")
    )


def order_list(*, state: str = "", department: Department | None = None, overdue_on=None):
    """The /supervision/orders/ list's rows (one query)."""
    rows = SupervisionOrder.objects.with_subject().select_related("opened_by")
    if state:
        rows = rows.filter(state=state)
    if department is not None:
        rows = rows.filter(lead_department=department)
    if overdue_on is not None:
        rows = rows.overdue(overdue_on)
    return rows.order_by("-pk")


# --- 领导批示 -------------------------------------------------------------------------


@transaction.atomic
def write_instruction(*, subject, text: str, actor: User) -> Instruction:
    require(can_instruct(actor), LEADERS_ONLY)
    fields = _subject_fields(subject)
    text = (text or "").strip()
    if not text:
        raise OrderError("请填写批示内容。")
    department = _department_of(subject)
    instruction = Instruction(
        plan_year=_plan_year_of(subject),
        programme_id=_programme_id(subject),
        author=actor,
        created_at=site_now(),
        text=text[:2000],
        lead_department=department,
        **fields,
    )
    instruction._history_user = actor
    instruction.save()
    outbound.notify(
        OutboundEvent.INSTRUCTION,
        recipients=roles.clerks_of([department.pk]).get(department.pk, []),
        subject=f"领导批示：{instruction.subject_title}",
        body=text,
        link=reverse("reporting:my_month"),
        department=department,
        actor=actor,
    )
    audit.record(
        action="supervision.instruction",
        actor=actor,
        target=instruction,
        detail={"department": str(department)},
    )
    return instruction


def instructions_on(subject) -> QuerySet[Instruction]:
    return (
        Instruction.objects.with_subject()
        .filter(**_subject_fields(subject))
        .prefetch_related("answers")
    )


def instructions_for_leader(user, *, open_only: bool = True) -> QuerySet[Instruction]:
    rows = Instruction.objects.with_subject().filter(author=user)
    if open_only:
        rows = rows.open()
    return rows.prefetch_related("answers")


def mark_instruction_answered(instruction: Instruction, when: datetime | None) -> None:
    """An approved answer closes the instruction; a reopened one opens it again."""
    Instruction.objects.filter(pk=instruction.pk).update(answered_at=when)


def end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def orders_query(*, department_id=None, subject=None):
    where = Q()
    if department_id is not None:
        where &= Q(lead_department_id=department_id)
    if subject is not None:
        where &= Q(**_subject_fields(subject))
    return SupervisionOrder.objects.with_subject().filter(where)
