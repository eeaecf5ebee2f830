"""What this app shows on the lower apps' pages (workflow.panels): the item's 督办单
and 批示 with their forms on the target and project pages; overdue orders, the
leader's programmes and open instructions on the overview; the department's open
instructions and orders at the top of /report/. Each panel runs a fixed number of
queries (one or two), whatever the number of rows."""

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse

from org import roles
from supervision import order_queries as queries
from supervision import orders
from supervision.forms import InstructionForm, OpenOrderForm
from workflow import panels


def _subject_panel(kind: str):
    def context(request: HttpRequest, subject) -> dict | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        # 1. the item's orders, 2. its instructions (3. their answers)
        rows = list(orders.orders_query(subject=subject).order_by("-pk"))
        instructions = list(orders.instructions_on(subject))
        can_open = orders.can_manage_orders(user)
        can_instruct = orders.can_instruct(user)
        if not rows and not instructions and not (can_open or can_instruct):
            return None
        get_token(request)
        return {
            "orders": queries.order_rows(rows, queries.today()),
            "instructions": queries.instruction_rows(instructions),
            "open_form": OpenOrderForm(prefix="order") if can_open else None,
            "open_url": reverse(f"supervision:open_{kind}", args=[subject.pk]),
            "instruct_form": InstructionForm(prefix="instruction") if can_instruct else None,
            "instruct_url": reverse(f"supervision:instruct_{kind}", args=[subject.pk]),
        }

    return context


def overview_context(request: HttpRequest, as_of) -> dict | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(as_of, "plan_year", None) is None:
        return None
    today = queries.today()
    # 1. overdue orders of the year
    overdue = list(orders.overdue_orders(as_of.plan_year, today)[:20])
    mine, open_instructions = [], []
    if orders.can_instruct(user):
        # 2. the leader's programmes, 3. their open instructions (4. answers)
        mine = queries.leader_programmes(user, as_of.plan_year)
        open_instructions = list(orders.instructions_for_leader(user)[:10])
    if not (overdue or mine or open_instructions):
        return None
    return {
        "overdue": queries.order_rows(overdue, today),
        "my_programmes": mine,
        "open_instructions": queries.instruction_rows(open_instructions),
        "orders_url": reverse("supervision:orders") + "?overdue=on",
        "instructions_url": reverse("supervision:instructions"),
    }


def report_context(request: HttpRequest, department) -> dict | None:
    user = getattr(request, "user", None)
    if department is None or user is None or not user.is_authenticated:
        return None
    # 1. the department's open instructions, 2. its active orders
    data = queries.department_inbox(department, queries.today())
    if not (data["instructions"] or data["orders"]):
        return None
    return data


def register() -> None:
    for kind in ("target", "project"):
        panels.register(
            kind,
            panels.Panel(
                "supervision", "supervision/panels/subject.html", _subject_panel(kind), order=50
            ),
        )
    panels.register(
        "overview",
        panels.Panel("supervision", "supervision/panels/overview.html", overview_context, 10),
    )
    panels.register(
        "report", panels.Panel("supervision", "supervision/panels/report.html", report_context, 10)
    )


__all__ = ["register", "roles"]
