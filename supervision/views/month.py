"""The supervision office's month: closing months, the 通报 and its archive."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from reporting.views.common import error_page, next_url, reporting_view
from supervision import access, closing, queries, services
from supervision.models import Bulletin
from targets.clock import site_today
from targets.models import ClosedMonth, PlanYear
from targets.periods import parse_period


def _month(text: str | None):
    """(plan year, period) of a ``2025-10`` the user sent; Http404 for nonsense."""
    try:
        period = parse_period((text or "").strip())
    except ValueError as error:
        raise Http404("月份格式不对。") from error
    plan_year = PlanYear.objects.filter(year=period.year).first()
    if plan_year is None:
        raise Http404("没有该年度的工作报告。")
    return plan_year, period


@reporting_view
def months(request: HttpRequest) -> HttpResponse:
    access.require_read(request.user)
    today = site_today()
    plan_year = PlanYear.objects.current(today, prefer_year=_year_param(request))
    if plan_year is None:
        return error_page(request, "尚未载入工作报告。", status=404)
    rows = queries.months_page(plan_year=plan_year, today=today, user=request.user)
    return render(
        request,
        "supervision/months.html",
        {
            "plan_year": plan_year,
            "rows": rows,
            "can_close": access.can_close(request.user),
            "can_generate": access.can_generate(request.user),
            "nav_section": "supervision",
        },
    )


def _year_param(request: HttpRequest) -> int | None:
    year = request.GET.get("year", "")
    return int(year) if year.isdigit() and len(year) == 4 else None


@reporting_view
@require_POST
def close(request: HttpRequest, month: str) -> HttpResponse:
    access.require_close(request.user)
    plan_year, period = _month(month)
    try:
        closing.close_month(
            plan_year=plan_year,
            period=period,
            user=request.user,
            today=site_today(),
            request=request,
        )
    except closing.ClosingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已关账：{period.year}年{period.month}月。")
    return redirect(next_url(request, "supervision:months"))


@reporting_view
@require_POST
def reopen(request: HttpRequest, month: str) -> HttpResponse:
    access.require_close(request.user)
    plan_year, period = _month(month)
    row = get_object_or_404(ClosedMonth, plan_year=plan_year, period=period)
    try:
        closing.reopen_month(
            closed_month=row,
            user=request.user,
            reason=request.POST.get("reason", ""),
            request=request,
        )
    except closing.ClosingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已重新打开：{period.year}年{period.month}月。")
    return redirect(next_url(request, "supervision:months"))


@reporting_view
def bulletins(request: HttpRequest) -> HttpResponse:
    access.require_read(request.user)
    rows = list(queries.visible_bulletins(request.user).order_by("-period", "-generated_at"))
    return render(
        request,
        "supervision/bulletins.html",
        {
            "bulletins": rows,
            "can_publish": access.can_publish(request.user),
            "nav_section": "supervision",
        },
    )


@reporting_view
@require_POST
def generate(request: HttpRequest) -> HttpResponse:
    access.require_generate(request.user)
    plan_year, period = _month(request.POST.get("month"))
    number_text = (request.POST.get("number") or "").strip()
    if number_text and not number_text.isdigit():
        messages.error(request, "文号序号须为正整数。")
        return redirect(next_url(request, "supervision:bulletins"))
    try:
        row = services.generate_bulletin(
            plan_year=plan_year,
            period=period,
            user=request.user,
            number=int(number_text) if number_text else None,
            request=request,
        )
    except services.BulletinError as error:
        messages.error(request, str(error))
        return redirect(next_url(request, "supervision:bulletins"))
    kind = "个人草稿" if row.private else "草稿"
    messages.success(request, f"已生成{row}（{kind}）。")
    return redirect("supervision:bulletins")


@reporting_view
def download(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(Bulletin, pk=pk)
    if not access.can_read(request.user) or not access.can_see_bulletin(request.user, row):
        raise PermissionDenied("您没有权限查看这份通报。")
    response = FileResponse(
        row.file.open("rb"),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = content_disposition_header(True, row.filename)
    return response


@reporting_view
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_publish(request.user)
    row = get_object_or_404(Bulletin, pk=pk)
    try:
        services.publish_bulletin(bulletin_row=row, user=request.user, request=request)
    except services.BulletinError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已发布{row}，已通知各位领导。")
    return redirect("supervision:bulletins")
