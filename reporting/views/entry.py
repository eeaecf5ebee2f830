"""One report's month, for every kind (a target's, a project's …): the kind's form
and preview, its history and evidence; read-only for reviewers and leaders, with the
review actions. The kind's adapter (workflow.registry) says what differs."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from org import roles
from reporting import access, history, months
from reporting.forms import action_of
from reporting.views.common import adapter_or_404, error_page, next_url, reporting_view
from reporting.views.month import month_url
from targets.clock import site_today
from targets.periods import report_due_date
from workflow import pending, services
from workflow.machine import LOCKED, ConflictError, WorkflowError
from workflow.registry import ReportAdapter

SAVED = {"save": "已保存为草稿。", "submit": "已提交，等待督查室审核。"}


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
def entry_page(request: HttpRequest, kind: str, subject_id: int, period: date) -> HttpResponse:
    adapter = adapter_or_404(kind)
    subject = get_object_or_404(adapter.subjects(), pk=subject_id)
    access.require_read(request.user, adapter.department_id(subject))
    read_only = adapter.read_only_reason(subject)
    can_write = read_only is None and adapter.can_report(request.user, subject)
    if request.method == "POST" and not can_write:
        raise PermissionDenied(read_only or access.NOT_YOUR_DEPARTMENT)
    today = site_today()
    try:
        months.check_subject_month(adapter, subject, period, today)
    except months.MonthError as error:
        return error_page(request, str(error))
    entry = (
        adapter.entries()
        .filter(**{adapter.subject_field: subject, "period": period})
        .select_related("updated_by", "submitted_by", "reviewed_by")
        .first()
    )
    department = subject.lead_department
    page_url = adapter.entry_url(subject.pk, period)
    locked = entry is not None and entry.is_locked
    context = {"problem": None, "conflict": None}
    status = 200
    # Evidence chosen on this form earlier that was not saved (workflow/pending.py).
    key = pending.form_key(adapter.kind, subject.pk, period)
    waiting = (
        pending.pending_for(owner=request.user, key=key, now=timezone.now()) if can_write else []
    )
    context["pending_uploads"] = waiting
    if request.method == "POST":
        action = action_of(request.POST)
        form = adapter.form(
            subject,
            period=period,
            today=today,
            action=action,
            data=request.POST,
            files=request.FILES,
        )
        kept, dropped = pending.chosen(waiting, request.POST.getlist("keep_pending"))
        if locked:
            context["problem"], status = LOCKED, 409
        elif form.is_valid() and action != "preview":
            try:
                services.save_entry(
                    adapter=adapter,
                    subject=subject,
                    period=period,
                    user=request.user,
                    values=form.values(),
                    expected_version=form.cleaned_data["version"],
                    submit=action == "submit",
                    evidence=[
                        *(form.cleaned_data.get("evidence") or ()),
                        *pending.as_evidence(kept),
                    ],
                )
            except ConflictError as error:
                context["conflict"], status = error.message, 409
            except WorkflowError as error:
                context["problem"], status = error.message, 409
            else:
                pending.discard(waiting)
                return _after_save(request, action, period, department, page_url)
        if not locked:
            # Not saved: the files that passed their checks wait for the corrected form.
            pending.discard(dropped)
            context["pending_uploads"] = [
                *kept,
                *pending.keep(owner=request.user, key=key, files=form.accepted_evidence),
            ]
    else:
        form = adapter.form(subject, period=period, today=today, entry=entry, preview=can_write)
    context.update(
        adapter.page_context(subject, entry, period),
        subject=subject,
        period=period,
        entry=entry,
        due_on=report_due_date(period, adapter.plan_year_of(subject).report_due_day),
        can_write=can_write and not locked,
        page_url=page_url,
        back=_back(request, period, department),
        history=history.history_of(entry, adapter.history_fields) if entry else [],
        is_reviewer=roles.is_reviewer(request.user),
        review_url=adapter.review_url(entry) if entry else "",
        kind=adapter.kind,
        parts=adapter.page_parts,
        read_only=read_only,
    )
    if form is not None:  # a derived figure has none
        context["form"] = form
    return render(request, "reporting/entry.html", context, status=status)


def _evidence(adapter: ReportAdapter, pk: int):
    if adapter.evidence_model is None:
        raise Http404("这类填报没有佐证材料。")
    related = f"entry__{adapter.subject_field}"
    return get_object_or_404(adapter.evidence_model.objects.select_related(related), pk=pk)


@reporting_view
def evidence_download(request: HttpRequest, kind: str, pk: int) -> FileResponse:
    """Evidence is served only here, after the permission check (never from MEDIA_URL)."""
    adapter = adapter_or_404(kind)
    evidence = _evidence(adapter, pk)
    subject = adapter.subject_of(evidence.entry)
    access.require_read(request.user, adapter.department_id(subject))
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("文件已不存在，请联系管理员。") from error
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
def evidence_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    adapter = adapter_or_404(kind)
    evidence = _evidence(adapter, pk)
    entry = evidence.entry
    default = adapter.entry_url(adapter.subject_of(entry).pk, entry.period)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        # The page the delete came from is unknown: refuse rather than delete blind.
        messages.error(request, "页面已过期，请刷新后重试。")
        return redirect(next_url(request, default))
    try:
        services.remove_evidence(
            adapter=adapter, evidence_id=evidence.pk, user=request.user, expected_version=version
        )
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已删除佐证材料“{evidence.original_name}”。")
    return redirect(next_url(request, default))
