"""审核 and 未报送: the reviewer's queue, the review actions, missing reports."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from org.models import Department
from projects import services as project_services
from projects.models import ProjectProgress
from reporting import access, months, queries, services
from reporting.filters import (
    EntryQueueFilter,
    ProgressQueueFilter,
    submitted_entries,
    submitted_progress,
)
from reporting.forms import REVIEW_ACTIONS, ReviewForm
from reporting.views.common import error_page, next_url, reporting_view
from targets import services as target_services
from targets.clock import site_today
from targets.models import PlanYear, ProgressEntry
from targets.periods import format_period, report_due_date
from targets.workflow import WorkflowError

PROJECTS_PER_PAGE = 50
TARGET_ACTIONS = {
    "approve": target_services.approve_entry,
    "return": target_services.return_entry,
    "reopen": target_services.reopen_entry,
}
PROJECT_ACTIONS = {
    "approve": project_services.approve_progress,
    "return": project_services.return_progress,
    "reopen": project_services.reopen_progress,
}


@reporting_view
def review_queue(request: HttpRequest) -> HttpResponse:
    access.require_reviewer(request.user)
    plan_year = PlanYear.objects.current(site_today())
    entry_filter = EntryQueueFilter(
        request.GET or None, queryset=submitted_entries(), plan_year=plan_year
    )
    progress_filter = ProgressQueueFilter(
        request.GET or None, queryset=submitted_progress(), plan_year=plan_year
    )
    paginator = Paginator(queries.queue_progress_queryset(progress_filter.qs), PROJECTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reporting/review.html",
        {
            "filter": entry_filter,
            "entries": queries.queue_entries(entry_filter.qs),
            "progress": queries.queue_progress(page.object_list),
            "page": page,
            "query": query.urlencode(),
            "here": request.get_full_path(),
        },
    )


def _review(request: HttpRequest, *, kind: str, pk: int, default: str) -> HttpResponse:
    access.require_reviewer(request.user)
    form = ReviewForm(request.POST)
    back = next_url(request, default)
    if not form.is_valid():
        problems = [m for field in form.errors.values() for m in field]
        messages.error(request, "操作未完成:" + ";".join(problems))
        return redirect(back)
    action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
    version = form.cleaned_data["version"]
    extra = {} if action == "approve" else {"reason": reason}
    try:
        if kind == "target":
            saved = TARGET_ACTIONS[action](
                entry_id=pk, user=request.user, expected_version=version, **extra
            )
            label = f"{saved.target.code} {saved.period.year}年{saved.period.month}月"
        else:
            saved = PROJECT_ACTIONS[action](
                progress_id=pk, user=request.user, expected_version=version, **extra
            )
            label = f"{saved.project.code} {saved.period.year}年{saved.period.month}月"
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{label}:已{REVIEW_ACTIONS[action]}。")
    return redirect(back)


@reporting_view
@require_POST
def review_target(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(ProgressEntry, pk=pk)
    default = reverse("reporting:target_entry", args=[entry.target_id, entry.period])
    return _review(request, kind="target", pk=pk, default=default)


@reporting_view
@require_POST
def review_project(request: HttpRequest, pk: int) -> HttpResponse:
    progress = get_object_or_404(ProjectProgress, pk=pk)
    default = reverse("reporting:project_entry", args=[progress.project_id, progress.period])
    return _review(request, kind="project", pk=pk, default=default)


@reporting_view
@require_POST
def review_bulk(request: HttpRequest) -> HttpResponse:
    """Approve every ticked row of the queue in one step."""
    access.require_reviewer(request.user)
    items = []
    for value in request.POST.getlist("item"):
        kind, _, rest = value.partition(":")
        pk, _, version = rest.partition(":")
        if kind in ("target", "project") and pk.isdigit() and version.isdigit():
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
    today = site_today()
    if text:
        period = months.parse_month(text)
        return months.check_month(period, today), period
    plan_year = PlanYear.objects.current(today)
    if plan_year is None:
        return None, None
    period = months.latest_overdue_period(today, plan_year.report_due_day)
    plan_year = PlanYear.objects.current(today, prefer_year=period.year)
    return plan_year, months.clamp_to_year(period, plan_year)


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
    due_on = report_due_date(period, plan_year.report_due_day)
    return render(
        request,
        "reporting/missing.html",
        {
            "plan_year": plan_year,
            "period": period,
            "due_on": due_on,
            "not_yet_due": due_on >= site_today(),
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
    )
    if result.sent:
        names = "、".join(str(d) for d in result.sent)
        messages.success(request, f"已向{names}发送催报提醒(共 {result.messages} 封邮件)。")
    if result.no_address:
        names = "、".join(str(d) for d in result.no_address)
        messages.warning(request, f"{names}未设置联系邮箱,也没有登记邮箱的填报员,未能发送提醒。")
    if not result.sent and not result.no_address:
        messages.info(request, "所选单位本月没有未报送的内容,无需提醒。")
    url = reverse("reporting:missing") + f"?month={format_period(period)}"
    return redirect(url)
