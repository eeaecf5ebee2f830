"""及时性: each department's timeliness for a month and for the year to date."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_tables2 import RequestConfig

from org.audit_hooks import audited_export
from reporting import access, months
from reporting.tables import TimelinessTable
from reporting.timeliness import timeliness_by_department
from reporting.views.common import error_page, reporting_view
from targets.clock import site_today
from targets.exports import export_response, requested_format

SCOPES = {"month": "本月", "year": "年度累计"}


@reporting_view
@audited_export
def timeliness_page(request: HttpRequest) -> HttpResponse:
    """?month= (default: the latest month past its due date); ?export=xlsx|csv with
    ?scope=month|year (default year) downloads one of the two tables."""
    access.require_ranking(request.user)
    try:
        plan_year, period = months.review_month(request.GET.get("month"), site_today())
    except months.MonthError as error:
        return error_page(request, str(error))
    if plan_year is None:
        return error_page(request, "尚未载入工作报告。", status=404)
    today = site_today()
    data = timeliness_by_department(plan_year=plan_year, period=period, today=today)
    month_table = TimelinessTable(data.month, prefix="m-")
    year_table = TimelinessTable(data.year, prefix="y-")
    config = RequestConfig(request, paginate=False)
    config.configure(month_table)
    config.configure(year_table)
    fmt = requested_format(request.GET.get("export"))
    if fmt:
        scope = "month" if request.GET.get("scope") == "month" else "year"
        label = (
            f"{period.year}年{period.month}月"
            if scope == "month"
            else (f"{period.year}年1-{period.month}月")
        )
        return export_response(
            month_table if scope == "month" else year_table,
            fmt=fmt,
            filename=f"报送及时性_{label}",
            title=f"报送及时性{SCOPES[scope]}",
        )
    return render(
        request,
        "reporting/timeliness.html",
        {
            "plan_year": plan_year,
            "period": period,
            "due_on": data.due_on,
            "month_table": month_table,
            "year_table": year_table,
            "month_choices": months.month_choices(plan_year, today),
        },
    )
