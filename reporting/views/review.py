"""审核 and 未报送: the reviewer's queue, the review actions, missing reports."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from org.models import Department
from reporting import access, emails, months, queries, services
from reporting.filters import filter_params
from reporting.forms import REVIEW_ACTIONS, ReviewForm
from reporting.views.common import adapter_or_404, error_page, next_url, reporting_view
from targets.clock import site_today
from targets.models import PlanYear
from targets.owed import is_due
from targets.periods import format_period, report_due_date
from workflow.machine import WorkflowError
from workflow.registry import registry
from workflow.services import REVIEW_SERVICES


@reporting_view
def review_queue(request: HttpRequest) -> HttpResponse:
    access.require_reviewer(request.user)
    today = site_today()
    plan_year = PlanYear.objects.current(today)
    form, sections = queries.review_queue(request.GET, plan_year=plan_year, today=today)
    return render(
        request,
        "reporting/review.html",
        {
            "form": form,
            "sections": sections,
            "filtered": bool(filter_params(request.GET)),
            # Where a row's or a page's actions come back to: the same filters and pages.
            "here": request.get_full_path(),
        },
    )


@reporting_view
@require_POST
def review_entry(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Approve, return or reopen one report of any kind."""
    adapter = adapter_or_404(kind)
    entry = get_object_or_404(adapter.entries().select_related(adapter.subject_field), pk=pk)
    access.require_reviewer(request.user)
    back = next_url(request, adapter.entry_url(adapter.subject_of(entry).pk, entry.period))
    form = ReviewForm(request.POST)
    if not form.is_valid():
        problems = [m for field in form.errors.values() for m in field]
        messages.error(request, "操作未完成：" + "；".join(problems))
        return redirect(back)
    action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
    extra = {} if action == "approve" else {"reason": reason}
    try:
        saved = REVIEW_SERVICES[action](
            adapter=adapter,
            entry_id=pk,
            user=request.user,
            expected_version=form.cleaned_data["version"],
            **extra,
        )
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{adapter.entry_label(saved)}：已{REVIEW_ACTIONS[action]}。")
    return redirect(back)


@reporting_view
@require_POST
def review_bulk(request: HttpRequest) -> HttpResponse:
    """Approve every ticked row of the queue in one step."""
    access.require_reviewer(request.user)
    items = []
    for value in request.POST.getlist("item"):
        kind, _, rest = value.partition(":")
        pk, _, version = rest.partition(":")
        if kind in registry and pk.isdigit() and version.isdigit():
            items.append(services.ReviewItem(kind, int(pk), int(version)))
    back = next_url(request, reverse("reporting:review"))
    if not items:
        messages.info(request, "没有勾选任何记录。")
        return redirect(back)
    approved, problems = services.approve_many(user=request.user, items=items)
    if approved:
        messages.success(request, f"已审核通过 {approved} 条。")
    for problem in problems:
        messages.error(request, problem)
    return redirect(back)


def _missing_month(request: HttpRequest, text: str | None):
    return months.review_month(text, site_today())


@reporting_view
def missing_reports(request: HttpRequest) -> HttpResponse:
    access.require_reviewer(request.user)
    try:
        plan_year, period = _missing_month(request, request.GET.get("month"))
    except months.MonthError as error:
        return error_page(request, str(error))
    if plan_year is None:
        return error_page(request, "尚未载入工作报告。", status=404)
    rows = queries.missing_by_department(plan_year=plan_year, period=period)
    log = queries.reminder_log(
        link=emails.reminder_link(period), department_ids=[row.department.pk for row in rows]
    )
    for row in rows:
        row.reminders = log.get(row.department.pk, [])
    due_on = report_due_date(period, plan_year.report_due_day)
    return render(
        request,
        "reporting/missing.html",
        {
            "plan_year": plan_year,
            "period": period,
            "due_on": due_on,
            "not_yet_due": not is_due(
                period=period, today=site_today(), due_day=plan_year.report_due_day
            ),
            "kinds": [adapter.label for adapter in registry],
            "rows": rows,
            "missing_total": sum(row.missing for row in rows),
            "month_choices": months.month_choices(plan_year, site_today()),
        },
    )


@reporting_view
@require_POST
def send_reminder(request: HttpRequest) -> HttpResponse:
    access.require_reviewer(request.user)
    try:
        plan_year, period = _missing_month(request, request.POST.get("month"))
    except months.MonthError as error:
        return error_page(request, str(error))
    if plan_year is None:
        return error_page(request, "尚未载入工作报告。", status=404)
    codes = request.POST.getlist("department")
    department_ids = (
        list(Department.objects.filter(code__in=codes).values_list("pk", flat=True))
        if codes
        else None
    )
    result = services.send_reminders(
        plan_year=plan_year,
        period=period,
        department_ids=department_ids,
        site_url=request.build_absolute_uri("/"),
        actor=request.user,
    )
    if result.sent:
        names = "、".join(str(d) for d in result.sent)
        messages.success(
            request,
            f"已向{names}发送催报提醒（站内通知 {result.notices} 条，邮件 {result.messages} 封）。",
        )
    if result.no_address:
        names = "、".join(str(d) for d in result.no_address)
        messages.warning(
            request, f"{names}未设置联系邮箱，也没有登记邮箱的填报员，未能发送邮件提醒。"
        )
    if not result.sent and not result.no_address:
        messages.info(request, "所选单位本月没有未报送的内容，无需提醒。")
    url = reverse("reporting:missing") + f"?month={format_period(period)}"
    return redirect(url)
