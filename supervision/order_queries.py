"""Reads shaped for the pages and panels: presenters (formatted text and named flags,
no rules left for templates), each list in a fixed number of queries."""

from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from supervision import rules
from supervision.models import Instruction, InstructionAnswer, ProgrammeLeader, SupervisionOrder
from supervision.orders import subject_url
from targets.clock import site_today
from targets.periods import format_period
from workflow.people import display_name
from workflow.states import EntryState


def today() -> date:
    return site_today()


@dataclass(frozen=True)
class OrderRow:
    order: SupervisionOrder
    url: str
    subject_url: str
    overdue: bool
    overdue_days: int
    state_label: str
    colour_label: str
    is_red: bool
    opened_by: str


def order_rows(rows, as_of: date) -> list[OrderRow]:
    result = []
    for order in rows:
        overdue = rules.order_is_overdue(state=order.state, deadline=order.deadline, as_of=as_of)
        result.append(
            OrderRow(
                order=order,
                url=reverse("supervision:order", args=[order.pk]),
                subject_url=subject_url(order.subject),
                overdue=overdue,
                overdue_days=(as_of - order.deadline).days if overdue else 0,
                state_label=order.get_state_display(),
                colour_label=order.get_colour_display(),
                is_red=order.colour == "red",
                opened_by=display_name(order.opened_by) if order.opened_by_id else "",
            )
        )
    return result


@dataclass(frozen=True)
class InstructionRow:
    instruction: Instruction
    author: str
    is_open: bool
    answer: InstructionAnswer | None  # the latest submitted or approved answer
    answer_reviewed: bool
    answer_url: str
    subject_url: str


def _latest_answer(instruction: Instruction) -> InstructionAnswer | None:
    counted = [a for a in instruction.answers.all() if a.counts]
    return max(counted, key=lambda a: a.period) if counted else None


def instruction_rows(rows, period: date | None = None) -> list[InstructionRow]:
    period = period or today().replace(day=1)
    result = []
    for instruction in rows:
        answer = _latest_answer(instruction)
        answer_period = answer.period if answer else max(period, _created_month(instruction))
        result.append(
            InstructionRow(
                instruction=instruction,
                author=display_name(instruction.author),
                is_open=instruction.is_open,
                answer=answer,
                answer_reviewed=answer is not None and answer.state == EntryState.APPROVED,
                answer_url=reverse(
                    "reporting:instruction_entry",
                    args=[instruction.pk, format_period(answer_period)],
                ),
                subject_url=subject_url(instruction.subject),
            )
        )
    return result


def _created_month(instruction: Instruction) -> date:
    from django.utils import timezone

    return timezone.localdate(instruction.created_at).replace(day=1)


@dataclass(frozen=True)
class ProgrammeLink:
    number: int
    name: str
    url: str


def leader_programmes(user, plan_year) -> list[ProgrammeLink]:
    """The programmes ``user`` oversees (分管) in the plan year: one query."""
    return [
        ProgrammeLink(
            row.programme.number,
            row.programme.name,
            reverse("targets:programme", args=[row.programme.number]),
        )
        for row in ProgrammeLeader.objects.filter(leader=user, programme__plan_year=plan_year)
        .select_related("programme")
        .order_by("programme__number")
    ]


def department_inbox(department, as_of: date) -> dict:
    """At the top of a clerk's /report/: the department's open instructions and its
    orders being worked on (two queries, three with the answers)."""
    instructions = list(
        Instruction.objects.with_subject()
        .filter(lead_department=department)
        .open()
        .prefetch_related("answers")
        .order_by("-created_at")[:20]
    )
    orders = list(
        SupervisionOrder.objects.with_subject()
        .filter(lead_department=department, state__in=sorted(rules.ACTIVE))
        .order_by("deadline", "pk")[:20]
    )
    return {
        "department": department,
        "instructions": instruction_rows(instructions),
        "orders": order_rows(orders, as_of),
        "order_answer_period": format_period(as_of.replace(day=1)),
    }
