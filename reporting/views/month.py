"""填报: a department's month, and its Excel round trip."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from org import roles
from org.models import Department
from reporting import access, months, queries, services
from reporting.excel.reader import WorkbookError, read_workbook
from reporting.excel.rows import check_rows, refusal_errors
from reporting.excel.template import build_template, template_filename
from reporting.forms import UploadForm
from reporting.views.common import error_page, reporting_view
from targets.clock import site_today
from targets.periods import format_period


def month_url(period, department: Department | None = None, admin: bool = False) -> str:
    params = {"month": format_period(period)}
    if admin and department is not None:
        params["department"] = department.code
    return f"{reverse('reporting:my_month')}?{urlencode(params)}"


def _month_and_department(request: HttpRequest):
    """(plan year, period, department) from ?month= and ?department=, checked.
    Raises PermissionDenied or MonthError."""
    department = access.reporting_department(request.user, request.GET.get("department"))
    plan_year, period = months.resolve_month(request.GET.get("month"), site_today())
    return plan_year, period, department


@reporting_view
def my_month(request: HttpRequest) -> HttpResponse:
    try:
        plan_year, period, department = _month_and_department(request)
    except months.MonthError as error:
        return error_page(request, str(error))
    if plan_year is None:
        return error_page(request, "尚未载入工作报告，暂无可填报的内容。", status=404)
    today = site_today()
    context = {
        "plan_year": plan_year,
        "period": period,
        "month_choices": months.month_choices(plan_year, today),
        "is_admin": roles.is_admin(request.user),
    }
    if department is None:  # an admin who has not picked a department yet
        context["departments"] = Department.objects.all()
        return render(request, "reporting/pick_department.html", context)
    page = queries.month_page(
        department=department, plan_year=plan_year, period=period, today=today
    )
    context.update(page=page, department=department, today=today)
    return render(request, "reporting/my_month.html", context)


@reporting_view
def excel_download(request: HttpRequest) -> HttpResponse:
    try:
        plan_year, period, department = _month_and_department(request)
    except months.MonthError as error:
        return error_page(request, str(error))
    if plan_year is None or department is None:
        return error_page(request, "请先选择责任单位和月份。")
    page = queries.month_page(
        department=department, plan_year=plan_year, period=period, today=site_today()
    )
    response = HttpResponse(
        build_template(page),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=template_filename(page)
    )
    return response


@reporting_view
@require_http_methods(["GET", "POST"])
def excel_upload(request: HttpRequest) -> HttpResponse:
    """GET: the download link and the upload form. POST: import the filled file, all
    of it or none of it."""
    try:
        plan_year, period, department = _month_and_department(request)
    except months.MonthError as error:
        return error_page(request, str(error))
    if plan_year is None:
        return error_page(request, "尚未载入工作报告。", status=404)
    context = {"plan_year": plan_year, "period": period, "department": department}
    context["is_admin"] = roles.is_admin(request.user)
    context["month_choices"] = months.month_choices(plan_year, site_today())
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_bound and form.is_valid():
        result = _import(request, form, department)
        if isinstance(result, HttpResponse):
            return result
        context.update(result)
    context["form"] = form
    return render(request, "reporting/excel.html", context, status=context.get("status", 200))


def _import(request: HttpRequest, form: UploadForm, chosen: Department | None):
    today = site_today()
    try:
        parsed = read_workbook(form.cleaned_data["workbook"])
    except WorkbookError as error:
        return {"file_error": error.message, "status": 400}
    try:
        department = access.reporting_department(request.user, parsed.department_code)
    except (PermissionDenied, Http404):
        department = None
    if department is None or (chosen is not None and chosen != department):
        return {
            "file_error": "该文件是其他单位的填报表，只能上传本单位（所选单位）的文件。",
            "status": 403,
        }
    try:
        months.check_month(parsed.period, today)
    except months.MonthError as error:
        return {"file_error": str(error), "status": 400}
    submit = form.cleaned_data["submit"]
    items, errors = check_rows(parsed, department=department, today=today, submit=submit)
    if not errors:
        refusals = services.import_month(user=request.user, period=parsed.period, writes=items)
        errors = refusal_errors(refusals)
    if errors:
        return {"row_errors": errors, "status": 400, "parsed": parsed}
    verb = "提交" if submit else "保存为草稿"
    if items:
        messages.success(
            request,
            f"已导入 {parsed.period.year}年{parsed.period.month}月 {len(items)} 条进展并{verb}。",
        )
    else:
        messages.info(request, "文件中没有新的或修改过的内容，未做任何更改。")
    return redirect(month_url(parsed.period, department, roles.is_admin(request.user)))
