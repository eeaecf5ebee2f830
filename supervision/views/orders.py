"""督办单 and 领导批示 pages: the order list and page, the actions (open, confirm,
close, extend, instruct) and the leader's instruction list. Views parse, call a
service in supervision/orders.py, and render or redirect."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from org import roles
from org.models import Role
from projects.models import KeyProject
from reporting.history import history_of
from reporting.views.common import next_url, reporting_view
from supervision import order_queries as queries
from supervision import orders
from supervision.forms import (
    CloseOrderForm,
    ExtendOrderForm,
    InstructionForm,
    OpenOrderForm,
    OrderFilterForm,
)
from supervision.models import OrderState, SupervisionOrder
from targets.models import Target
from targets.periods import format_period
from workflow.machine import WorkflowError

STAFF_OWN_ONLY = "只能查看本单位承办的督办单。"


def _can_read_order(user, order: SupervisionOrder) -> bool:
    role = roles.role_of(user)
    if role in (Role.REVIEWER, Role.LEADER, Role.ADMIN):
        return True
    return role == Role.STAFF and user.profile.department_id == order.lead_department_id


def _first_error(form) -> str:
    for errors in form.errors.values():
        return errors[0]
    return "填写有误，请检查后重试。"


@reporting_view
def order_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    role = roles.role_of(user)
    if role not in (Role.REVIEWER, Role.LEADER, Role.ADMIN, Role.STAFF):
        raise PermissionDenied("只有督查室、区领导和各责任单位可以查看督办单。")
    form = OrderFilterForm(request.GET or None)
    state, department, overdue = "", None, False
    if form.is_valid():
        state = form.cleaned_data["state"]
        department = form.cleaned_data["department"]
        overdue = form.cleaned_data["overdue"]
    if role == Role.STAFF:  # a department's clerks see their own orders
        department = user.profile.department
    today = queries.today()
    rows = orders.order_list(
        state=state, department=department, overdue_on=today if overdue else None
    )
    return render(
        request,
        "supervision/orders/list.html",
        {
            "form": form,
            "rows": queries.order_rows(list(rows[:500]), today),
            "is_staff": role == Role.STAFF,
        },
    )


@reporting_view
def order_page(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_object_or_404(SupervisionOrder.objects.with_subject(), pk=pk)
    if not _can_read_order(request.user, order):
        raise PermissionDenied(STAFF_OWN_ONLY)
    today = queries.today()
    manage = orders.can_manage_orders(request.user)
    answers = list(order.answers.select_related("submitted_by", "reviewed_by").order_by("-period"))
    answer_period = (
        max(today.replace(day=1), order.opened_at.date().replace(day=1))
        if (order.opened_at)
        else today.replace(day=1)
    )
    return render(
        request,
        "supervision/orders/detail.html",
        {
            "row": queries.order_rows([order], today)[0],
            "order": order,
            "extensions": list(order.extensions.select_related("extended_by")),
            "answers": answers,
            "answer_url": reverse(
                "reporting:order_entry", args=[order.pk, format_period(answer_period)]
            ),
            "can_answer": order.is_active
            and roles.can_report_for_department(request.user, order.lead_department_id),
            "history": history_of(order, ("state", "deadline", "colour", "close_reason")),
            "instructions": queries.instruction_rows(orders.instructions_on(order)),
            "close_form": CloseOrderForm(prefix="close") if manage and order.is_active else None,
            "extend_form": ExtendOrderForm(prefix="extend") if manage and order.is_active else None,
            "can_confirm": manage and order.state == OrderState.DRAFT,
            "instruct_form": InstructionForm(prefix="instruction")
            if orders.can_instruct(request.user)
            else None,
        },
    )


def _open(request: HttpRequest, subject) -> HttpResponse:
    back = next_url(request, orders.subject_url(subject))
    form = OpenOrderForm(request.POST, prefix="order")
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect(back)
    data = form.cleaned_data
    try:
        order = orders.open_order(
            subject=subject,
            department=data["department"],
            requirement=data["requirement"],
            deadline=data["deadline"],
            colour=data["colour"],
            actor=request.user,
        )
    except WorkflowError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, f"已开具{order.code}，并通知责任单位。")
    return redirect("supervision:order", order.pk)


@reporting_view
@require_POST
def open_for_target(request: HttpRequest, pk: int) -> HttpResponse:
    orders.require(orders.can_manage_orders(request.user), orders.REVIEWERS_ONLY)
    return _open(request, get_object_or_404(Target.objects.select_related("programme"), pk=pk))


@reporting_view
@require_POST
def open_for_project(request: HttpRequest, pk: int) -> HttpResponse:
    orders.require(orders.can_manage_orders(request.user), orders.REVIEWERS_ONLY)
    return _open(request, get_object_or_404(KeyProject, pk=pk))


@reporting_view
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        orders.confirm_order(order_id=pk, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "督办单已确认交办，并通知责任单位。")
    return redirect("supervision:order", pk)


@reporting_view
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    orders.require(orders.can_manage_orders(request.user), orders.REVIEWERS_ONLY)
    form = CloseOrderForm(request.POST, prefix="close")
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect("supervision:order", pk)
    try:
        orders.close_order(order_id=pk, actor=request.user, reason=form.cleaned_data["reason"])
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "督办单已销号。")
    return redirect("supervision:order", pk)


@reporting_view
@require_POST
def extend(request: HttpRequest, pk: int) -> HttpResponse:
    orders.require(orders.can_manage_orders(request.user), orders.REVIEWERS_ONLY)
    form = ExtendOrderForm(request.POST, prefix="extend")
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect("supervision:order", pk)
    try:
        order = orders.extend_order(
            order_id=pk,
            actor=request.user,
            new_deadline=form.cleaned_data["new_deadline"],
            reason=form.cleaned_data["reason"],
        )
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"督办单已延期至{order.deadline:%Y年%m月%d日}。")
    return redirect("supervision:order", pk)


def _instruct(request: HttpRequest, subject) -> HttpResponse:
    orders.require(orders.can_instruct(request.user), orders.LEADERS_ONLY)
    back = next_url(request, orders.subject_url(subject))
    form = InstructionForm(request.POST, prefix="instruction")
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect(back)
    try:
        orders.write_instruction(
            subject=subject, text=form.cleaned_data["text"], actor=request.user
        )
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "批示已送达责任单位。")
    return redirect(back)


@reporting_view
@require_POST
def instruct_target(request: HttpRequest, pk: int) -> HttpResponse:
    return _instruct(request, get_object_or_404(Target.objects.select_related("programme"), pk=pk))


@reporting_view
@require_POST
def instruct_project(request: HttpRequest, pk: int) -> HttpResponse:
    return _instruct(request, get_object_or_404(KeyProject, pk=pk))


@reporting_view
@require_POST
def instruct_order(request: HttpRequest, pk: int) -> HttpResponse:
    return _instruct(request, get_object_or_404(SupervisionOrder, pk=pk))


@reporting_view
def instruction_list(request: HttpRequest) -> HttpResponse:
    """A leader's own instructions (open first); the 督查室 and the admin see all."""
    user = request.user
    role = roles.role_of(user)
    if role == Role.LEADER:
        rows = orders.instructions_for_leader(user, open_only=False)
    elif role in (Role.REVIEWER, Role.ADMIN):
        rows = orders.Instruction.objects.with_subject().prefetch_related("answers")
    else:
        raise PermissionDenied(
            "领导批示列表供区领导和督查室查看；责任单位请在“月度填报”页办理批示。"
        )
    rows = list(rows.order_by("answered_at", "-created_at")[:500])
    shown = queries.instruction_rows(rows)
    return render(
        request,
        "supervision/orders/instructions.html",
        {
            "open_rows": [r for r in shown if r.is_open],
            "done_rows": [r for r in shown if not r.is_open],
        },
    )
