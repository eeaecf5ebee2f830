"""Target entries as one kind of monthly report in the shared workflow (the
`workflow` app's adapter registry): how a target's entry is loaded, who may write
and review it, which form it uses, and what to recompute after a change."""

from collections import defaultdict
from datetime import date

from django import forms
from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse

from org import roles
from targets import owed, plausibility
from targets.forms import entry_form_class, entry_initial
from targets.models import (
    Assessment,
    Evidence,
    Kind,
    ProgressEntry,
    Status,
    Target,
    TargetSnapshot,
)
from targets.periods import month_start
from targets.services import EntryValues, preview_entry, previous_counted_entry
from targets.snapshots import request_recompute
from targets.templatetags.zy import DASH, format_amount, with_unit
from workflow import wording
from workflow.registry import Cells, Change, DerivedRow, ReportAdapter, SheetSpec, registry
from workflow.states import COUNTED_STATES


class TargetEntryAdapter(ReportAdapter):
    kind = "target"
    label = "指标"
    model = ProgressEntry
    subject_field = "target"
    values_class = EntryValues
    evidence_model = Evidence
    history_fields = (
        "state",
        "value",
        "percent",
        "done_on",
        "assessment",
        "narrative",
        "problems",
        "next_steps",
        "correction_reason",
        "unusual_warning",
        "unusual_reason",
        "return_reason",
    )
    not_yours = "只能填报本单位牵头的指标。"
    created_meanwhile = "同一指标本月的记录刚被他人创建，请刷新页面查看后再修改。"

    plan_year_path = "programme__plan_year"
    owed_fields = ("done_on", "assessment")

    def subjects(self):
        return Target.objects.select_related("programme__plan_year", "lead_department")

    def can_report(self, user, subject: Target) -> bool:
        return roles.can_report_for_target(user, subject)

    def can_review(self, user) -> bool:
        return roles.is_reviewer(user)

    def plan_year_of(self, subject: Target):
        return subject.programme.plan_year

    def month_problem(self, subject: Target, period: date) -> str | None:
        if period < month_start(subject.starts_on):
            start = subject.starts_on
            return f"该指标自{start.year}年{start.month}月开始，此前的月份无需填报。"
        return None

    def read_only_reason(self, subject: Target) -> str | None:
        if subject.is_derived:
            return "派生指标由系统根据重点项目台账自动汇总，不能手工填报。"
        return None

    def entry_url(self, subject_id: int, period: date) -> str:
        return reverse("reporting:target_entry", args=[subject_id, period])

    def review_url(self, entry: ProgressEntry) -> str:
        return reverse("reporting:review_target", args=[entry.pk])

    def form_class(self, subject: Target) -> type[forms.Form]:
        return entry_form_class(subject)

    def form(
        self,
        subject: Target,
        *,
        period: date,
        today: date,
        action: str = "save",
        data=None,
        files=None,
        entry: ProgressEntry | None = None,
        preview: bool = False,
        history: list | None = None,
    ) -> forms.Form | None:
        if subject.is_derived:
            return None  # nothing to type: the figure comes from the project records
        previous = previous_counted_entry(subject, period, history)
        # The checks read only last month's counted report: hand them the one just read.
        known = history if history is not None else [previous] if previous else []
        options = {
            "target": subject,
            "period": period,
            "today": today,
            "previous": previous,
            "action": action,
            "history": history,
            "plausibility": lambda values: self.plausibility(
                subject, values, period=period, history=known
            ),
        }
        if data is not None:
            return self.form_class(subject)(data, files, **options)
        form = self.form_class(subject)(initial=entry_initial(entry), **options)
        if preview and entry is not None and not entry.is_locked and form.initial_has_figure():
            # What the saved figure would mean once submitted, shown before any edit.
            form.preview = preview_entry(
                target=subject, period=period, values=EntryValues.of(entry), today=today
            )
        return form

    def plausibility(
        self, subject: Target, values: EntryValues, *, period: date, history: list | None = None
    ) -> list[str]:
        if subject.kind not in (Kind.CUMULATIVE, Kind.LEVEL, Kind.CEILING):
            return []  # a percentage or a verdict: the form's own limits suffice
        previous = previous_counted_entry(subject, period, history)
        return plausibility.figure_warnings(
            value=values.value,
            target=subject.target_value,
            previous=previous.value if previous is not None else None,
            unit=subject.unit,
            cumulative=subject.kind == Kind.CUMULATIVE,
            thresholds=self.plan_year_of(subject).plausibility,
        )

    page_parts = {
        "facts": "reporting/kinds/target_facts.html",
        "values": "reporting/kinds/target_values.html",
        "fields": "reporting/kinds/target_fields.html",
        "status": "reporting/kinds/target_status.html",
        "evidence": "reporting/kinds/target_evidence.html",
        "read_only": "reporting/kinds/target_derived.html",
    }

    def page_context(self, subject: Target, entry: ProgressEntry | None, period: date) -> dict:
        evidence = list(entry.evidence.select_related("uploaded_by")) if entry else []
        return {
            "heading": f"{subject.code} {subject.title}",
            "figure_label": figure_label(subject, period),
            "target": subject,
            "previous": None if subject.is_derived else previous_counted_entry(subject, period),
            "snapshot": TargetSnapshot.objects.filter(target=subject, period=period).first(),
            "evidence": evidence,
        }

    # --- what is owed ---------------------------------------------------------------------

    def _finished(self, subject: Target, reports) -> date | None:
        return owed.finished_period(subject.kind, [r for r in reports if r.counts])

    def owes(self, subject: Target, period: date, reports) -> bool:
        return owed.target_owes(
            kind=subject.kind,
            derived=subject.is_derived,
            starts_on=subject.starts_on,
            deadline=subject.deadline,
            period=period,
            finished=self._finished(subject, reports),
        )

    def owed_note(self, subject: Target, period: date, reports) -> str:
        overdue = owed.overdue_unfinished(
            kind=subject.kind,
            deadline=subject.deadline,
            period=period,
            finished=self._finished(subject, reports),
        )
        return Status.OVERDUE.label if overdue else ""

    month_heading = "指标与节点任务"

    def month_subjects(self, *, department, plan_year, period: date):
        return Target.objects.filter(
            lead_department=department, programme__plan_year=plan_year
        ).select_related("programme")

    def derived_rows(self, subjects: list, period: date) -> list[DerivedRow]:
        derived = [t for t in subjects if t.is_derived]
        if not derived:
            return []
        # the latest computed month up to this one, per derived target
        snapshots = {
            s.target_id: s
            for s in TargetSnapshot.objects.filter(target__in=derived, period__lte=period).order_by(
                "period"
            )
        }
        rows = []
        for target in derived:
            snapshot = snapshots.get(target.pk)
            rows.append(
                DerivedRow(
                    subject=target,
                    title=target.title,
                    source=f"自动汇总：{target.metric_label}",
                    figure=with_unit(snapshot.actual, target.unit) if snapshot else DASH,
                    as_of=snapshot.period if snapshot else None,
                    url=self.entry_url(target.pk, period),
                )
            )
        return rows

    def review_queryset(self):
        return (
            ProgressEntry.objects.select_related(
                "target__programme", "target__lead_department", "submitted_by"
            )
            .annotate(evidence_count=Count("evidence"))
            .order_by("period", "target__programme__number", "target__sort_order", "target__code")
        )

    def lagging(self, queryset):
        """Entries whose target's latest snapshot is 进度滞后 or 严重滞后."""
        latest = (
            TargetSnapshot.objects.filter(target=OuterRef("target"))
            .order_by("-period")
            .values("status")[:1]
        )
        return queryset.annotate(current_status=Subquery(latest)).filter(
            current_status__in=[Status.LAGGING, Status.BEHIND]
        )

    def previous_reports(self, entries: list) -> dict[int, ProgressEntry]:
        """The latest counted entry before each one (last month's figure, or earlier)."""
        earlier: dict[int, list[ProgressEntry]] = defaultdict(list)
        for entry in ProgressEntry.objects.filter(
            target_id__in={e.target_id for e in entries},
            state__in=COUNTED_STATES,
            period__lt=max(e.period for e in entries),
        ).order_by("period"):
            earlier[entry.target_id].append(entry)
        previous = {}
        for entry in entries:
            before = [e for e in earlier[entry.target_id] if e.period < entry.period]
            if before:
                previous[entry.pk] = before[-1]
        return previous

    def sort_key(self, subject: Target) -> tuple:
        return (subject.programme.number, subject.sort_order, subject.code)

    def figure_text(self, subject: Target, entry: ProgressEntry | None) -> str:
        if entry is None:
            return DASH
        if subject.kind == Kind.MILESTONE:
            if entry.done_on:
                return f"已完成（{entry.done_on.month}月{entry.done_on.day}日）"
            return DASH if entry.percent is None else f"{format_amount(entry.percent)}%"
        if subject.kind == Kind.ASSESSED:
            return entry.get_assessment_display() if entry.assessment else DASH
        if entry.value is None:
            return DASH
        return f"{format_amount(entry.value, 4)}{subject.unit}"

    def cells(self, subject: Target, entry: ProgressEntry | None, previous) -> Cells:
        detail = subject.get_kind_display() + (f" · {subject.unit}" if subject.unit else "")
        evidence = getattr(entry, "evidence_count", 0)
        if evidence:
            detail += f" · 佐证 {evidence} 件"
        texts = []
        if entry is not None and entry.problems:
            texts.append(("问题", entry.problems))
        if entry is not None and entry.correction_reason:
            texts.append(("下调说明", entry.correction_reason))
        return Cells(
            title=f"{subject.code} {subject.title}",
            figure=self.figure_text(subject, entry),
            previous=self.figure_text(subject, previous),
            detail=detail,
            summary=entry.narrative if entry is not None else "",
            texts=tuple(texts),
        )

    # --- the monthly workbook ------------------------------------------------------------

    def sheet_spec(self, subject: Target) -> SheetSpec:
        if subject.kind == Kind.ASSESSED:
            return SheetSpec(SHEET_INPUTS[subject.kind], choices=ASSESSMENT_LABELS)
        return SheetSpec(SHEET_INPUTS[subject.kind])

    def sheet_values(
        self,
        subject: Target,
        entry: ProgressEntry | None,
        previous: ProgressEntry | None,
        period: date,
    ) -> dict:
        kind = subject.kind
        values = {
            "category": "指标",
            "code": subject.code,
            "name": subject.title,
            "measure": wording.year_to_date(period.month, subject.unit)
            if kind == Kind.CUMULATIVE
            else MEASURES[kind],
            "unit": "%" if kind == Kind.MILESTONE else subject.unit,
            "previous": _sheet_figure(previous, kind)
            if kind != Kind.ASSESSED
            else (previous.get_assessment_display() if previous else None),
        }
        if entry is not None:
            values.update(
                figure=_sheet_figure(entry, kind),
                done_on=entry.done_on,
                choice=entry.get_assessment_display() if entry.assessment else None,
                narrative=entry.narrative,
                problems=entry.problems,
                next_steps=entry.next_steps,
                correction_reason=entry.correction_reason,
                unusual_reason=entry.unusual_reason,
            )
        return values

    def after_change(self, change: Change) -> None:
        entry = change.entry
        # Only counted entries move the figures; a draft saved over a draft changes nothing.
        if change.counted_before or entry.counts:
            request_recompute(
                target_ids=[entry.target_id], reason=f"月报{entry.get_state_display()}"
            )

    def after_changes(self, changes: list[Change]) -> None:
        ids = [c.entry.target_id for c in changes if c.counted_before or c.entry.counts]
        if ids:
            request_recompute(target_ids=ids, reason="月报批量填报")


def figure_label(subject: Target, period: date) -> str:
    """What a target's monthly figure is, in the words of its form and workbook row."""
    if subject.kind == Kind.CUMULATIVE:
        return wording.year_to_date(period.month, subject.unit)
    if subject.kind in (Kind.LEVEL, Kind.CEILING):
        return wording.with_unit(MEASURES[subject.kind], subject.unit)
    return MEASURES[subject.kind]


def _sheet_figure(entry: ProgressEntry | None, kind: str):
    """The number a target row shows in the figure columns."""
    if entry is None:
        return None
    if kind == Kind.MILESTONE:
        return entry.percent
    if kind == Kind.ASSESSED:
        return None
    return entry.value


# Which workbook columns a target of each kind fills, and the form field each feeds.
TEXTS = {
    "narrative": "narrative",
    "problems": "problems",
    "next_steps": "next_steps",
    "unusual_reason": "unusual_reason",
}
SHEET_INPUTS: dict[str, dict[str, str]] = {
    Kind.CUMULATIVE: {"figure": "value", **TEXTS, "correction_reason": "correction_reason"},
    Kind.LEVEL: {"figure": "value", **TEXTS},
    Kind.CEILING: {"figure": "value", **TEXTS},
    Kind.MILESTONE: {"figure": "percent", "done_on": "done_on", **TEXTS},
    Kind.ASSESSED: {"choice": "assessment", **TEXTS},
}
MEASURES = {
    Kind.LEVEL: wording.LEVEL,
    Kind.CEILING: wording.CEILING,
    Kind.MILESTONE: wording.MILESTONE_PERCENT,
    Kind.ASSESSED: wording.ASSESSMENT,
}
ASSESSMENT_LABELS = {label: code for code, label in Assessment.choices}


TARGET_ENTRIES = registry.register(TargetEntryAdapter())
