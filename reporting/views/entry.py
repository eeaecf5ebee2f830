"""One target's or project's month: the form (by kind), its preview, its history,
its evidence; read-only for reviewers and leaders, with the review actions."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from org import roles
from projects.models import KeyProject, ProjectProgress
from projects.services import can_report_for_project, save_progress
from reporting import access, history, months
from reporting.forms import (
    ProjectProgressForm,
    action_of,
    entry_form_class,
    entry_initial,
    progress_initial,
)
from reporting.views.common import error_page, next_url, reporting_view
from reporting.views.month import month_url
from targets.clock import site_today
from targets.models import Evidence, ProgressEntry, Target, TargetSnapshot
from targets.periods import add_months, report_due_date
from targets.services import (
    EntryValues,
    preview_entry,
    previous_counted_entry,
    remove_evidence,
    save_entry,
)
from targets.workflow import LOCKED, ConflictError, WorkflowError

SAVED = {"save": "已保存为草稿。", "submit": "已提交,等待督查室审核。"}


def _back(request: HttpRequest, period: date, department) -> tuple[str, str]:
    """Where the page's back link goes: the department's month for those who report,
    the review queue for reviewers, the overview for leaders."""
    if roles.is_reporter(request.user):
        url = month_url(period, department, roles.is_admin(request.user))
        return url, f"{department} · {period.year}年{period.month}月填报"
    if roles.is_reviewer(request.user):
        return reverse("reporting:review"), "审核"
    return reverse("targets:overview"), "总览"


def _after_save(request: HttpRequest, action: str, period: date, department, page_url: str):
    messages.success(request, SAVED[action])
    if action == "submit":  # on to the next item of the month
        return redirect(month_url(period, department, roles.is_admin(request.user)))
    return redirect(page_url)


@reporting_view
def target_entry(request: HttpRequest, target_id: int, period: date) -> HttpResponse:
    target = get_object_or_404(
        Target.objects.select_related("programme__plan_year", "lead_department"), pk=target_id
    )
    access.require_read(request.user, target.lead_department_id)
    can_write = roles.can_report_for_target(request.user, target)
    if request.method == "POST" and not can_write:
        raise PermissionDenied(
            "派生指标由系统根据重点项目台账自动汇总,不能手工填报。"
            if target.is_derived
            else access.NOT_YOUR_DEPARTMENT
        )
    today = site_today()
    try:
        months.check_target_month(target, period, today)
    except months.MonthError as error:
        return error_page(request, str(error))
    entry = (
        ProgressEntry.objects.filter(target=target, period=period)
        .select_related("updated_by", "submitted_by", "reviewed_by")
        .first()
    )
    page_url = reverse("reporting:target_entry", args=[target.pk, period])
    context = {
        "target": target,
        "period": period,
        "entry": entry,
        "due_on": report_due_date(period, target.programme.plan_year.report_due_day),
        "previous": None,
        "can_write": can_write and not (entry and entry.is_locked),
        "page_url": page_url,
        "back": _back(request, period, target.lead_department),
    }
    status = 200
    if not target.is_derived:
        previous = previous_counted_entry(target, period)
        form_class = entry_form_class(target)
        options = {"target": target, "period": period, "today": today, "previous": previous}
        if request.method == "POST":
            action = action_of(request.POST)
            form = form_class(request.POST, request.FILES, action=action, **options)
            if entry is not None and entry.is_locked:
                context["problem"], status = LOCKED, 409
            elif form.is_valid() and action != "preview":
                try:
                    save_entry(
                        target=target,
                        period=period,
                        user=request.user,
                        values=form.values(),
                        expected_version=form.cleaned_data["version"],
                        submit=action == "submit",
                        evidence=form.cleaned_data["evidence"],
                    )
                except ConflictError as error:
                    context["conflict"], status = error.message, 409
                except WorkflowError as error:
                    context["problem"], status = error.message, 409
                else:
                    return _after_save(request, action, period, target.lead_department, page_url)
        else:
            form = form_class(initial=entry_initial(entry), **options)
            if (
                can_write
                and entry is not None
                and not entry.is_locked
                and form.initial_has_figure()
            ):
                form.preview = preview_entry(
                    target=target, period=period, values=EntryValues.of(entry), today=today
                )
        context.update(form=form, previous=previous)
    context.update(
        snapshot=TargetSnapshot.objects.filter(target=target, period=period).first(),
        evidence=list(entry.evidence.select_related("uploaded_by")) if entry else [],
        history=history.history_of(entry, history.ENTRY_FIELDS) if entry else [],
        is_reviewer=roles.is_reviewer(request.user),
        review_url=reverse("reporting:review_target", args=[entry.pk]) if entry else "",
    )
    return render(request, "reporting/target_entry.html", context, status=status)


@reporting_view
def project_entry(request: HttpRequest, project_id: int, period: date) -> HttpResponse:
    project = get_object_or_404(
        KeyProject.objects.select_related("plan_year", "programme", "lead_department"),
        pk=project_id,
    )
    access.require_read(request.user, project.lead_department_id)
    can_write = can_report_for_project(request.user, project)
    if request.method == "POST" and not can_write:
        raise PermissionDenied(access.NOT_YOUR_DEPARTMENT)
    try:
        months.check_project_month(project, period, site_today())
    except months.MonthError as error:
        return error_page(request, str(error))
    progress = (
        ProjectProgress.objects.filter(project=project, period=period)
        .select_related("updated_by", "submitted_by", "reviewed_by")
        .first()
    )
    previous = ProjectProgress.objects.filter(
        project=project, period=add_months(period, -1)
    ).first()
    page_url = reverse("reporting:project_entry", args=[project.pk, period])
    status, context = 200, {}
    if request.method == "POST":
        action = action_of(request.POST)
        form = ProjectProgressForm(request.POST, action=action)
        if progress is not None and progress.is_locked:
            context["problem"], status = LOCKED, 409
        elif form.is_valid() and action != "preview":
            try:
                save_progress(
                    project=project,
                    period=period,
                    user=request.user,
                    values=form.values(),
                    expected_version=form.cleaned_data["version"],
                    submit=action == "submit",
                )
            except ConflictError as error:
                context["conflict"], status = error.message, 409
            except WorkflowError as error:
                context["problem"], status = error.message, 409
            else:
                return _after_save(request, action, period, project.lead_department, page_url)
    else:
        form = ProjectProgressForm(initial=progress_initial(progress, project.stage))
    context.update(
        project=project,
        period=period,
        progress=progress,
        previous=previous,
        form=form,
        due_on=report_due_date(period, project.plan_year.report_due_day),
        can_write=can_write and not (progress and progress.is_locked),
        page_url=page_url,
        back=_back(request, period, project.lead_department),
        history=history.history_of(progress, history.PROGRESS_FIELDS) if progress else [],
        is_reviewer=roles.is_reviewer(request.user),
        review_url=reverse("reporting:review_project", args=[progress.pk]) if progress else "",
    )
    return render(request, "reporting/project_entry.html", context, status=status)


@reporting_view
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence is served only here, after the permission check (never from MEDIA_URL)."""
    evidence = get_object_or_404(Evidence.objects.select_related("entry__target"), pk=pk)
    access.require_read(request.user, evidence.entry.target.lead_department_id)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("文件已不存在,请联系管理员。") from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@reporting_view
@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_object_or_404(Evidence.objects.select_related("entry__target"), pk=pk)
    entry = evidence.entry
    default = reverse("reporting:target_entry", args=[entry.target_id, entry.period])
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        # The page the delete came from is unknown: refuse rather than delete blind.
        messages.error(request, "页面已过期,请刷新后重试。")
        return redirect(next_url(request, default))
    try:
        remove_evidence(evidence_id=evidence.pk, user=request.user, expected_version=version)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已删除佐证材料“{evidence.original_name}”。")
    return redirect(next_url(request, default))
