"""Target entries as one kind of monthly report in the shared workflow (the
`workflow` app's adapter registry): how a target's entry is loaded, who may write
and review it, which form it uses, and what to recompute after a change."""

from datetime import date

from django import forms
from django.urls import reverse

from targets import roles
from targets.forms import entry_form_class, entry_initial
from targets.models import Assessment, Evidence, Kind, ProgressEntry, Target, TargetSnapshot
from targets.periods import month_start
from targets.services import EntryValues, preview_entry, previous_counted_entry
from targets.snapshots import request_recompute
from workflow.registry import Change, ReportAdapter, SheetSpec, registry


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
        "return_reason",
    )
    not_yours = "只能填报本单位牵头的指标。"
    created_meanwhile = "同一指标本月的记录刚被他人创建，请刷新页面查看后再修改。"

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
            return f"该指标自{start.year}年{start.month}月开始,此前的月份无需填报。"
        return None

    def read_only_reason(self, subject: Target) -> str | None:
        if subject.is_derived:
            return "派生指标由系统根据重点项目台账自动汇总,不能手工填报。"
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
    ) -> forms.Form | None:
        if subject.is_derived:
            return None  # nothing to type: the figure comes from the project records
        options = {
            "target": subject,
            "period": period,
            "today": today,
            "previous": previous_counted_entry(subject, period),
            "action": action,
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

    page_template = "reporting/target_entry.html"

    def page_context(self, subject: Target, entry: ProgressEntry | None, period: date) -> dict:
        evidence = list(entry.evidence.select_related("uploaded_by")) if entry else []
        return {
            "target": subject,
            "previous": None if subject.is_derived else previous_counted_entry(subject, period),
            "snapshot": TargetSnapshot.objects.filter(target=subject, period=period).first(),
            "evidence": evidence,
        }

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
            "measure": f"1–{period.month}月累计数" if kind == Kind.CUMULATIVE else MEASURES[kind],
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
            )
        return values

    def after_change(self, change: Change) -> None:
        entry = change.entry
        # Only counted entries move the figures; a draft saved over a draft changes nothing.
        if change.counted_before or entry.counts:
            request_recompute(
                target_ids=[entry.target_id], reason=f"月报{entry.get_state_display()}"
            )


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
TEXTS = {"narrative": "narrative", "problems": "problems", "next_steps": "next_steps"}
SHEET_INPUTS: dict[str, dict[str, str]] = {
    Kind.CUMULATIVE: {"figure": "value", **TEXTS, "correction_reason": "correction_reason"},
    Kind.LEVEL: {"figure": "value", **TEXTS},
    Kind.CEILING: {"figure": "value", **TEXTS},
    Kind.MILESTONE: {"figure": "percent", "done_on": "done_on", **TEXTS},
    Kind.ASSESSED: {"choice": "assessment", **TEXTS},
}
MEASURES = {
    Kind.LEVEL: "月末水平",
    Kind.CEILING: "月末数",
    Kind.MILESTONE: "完成进度(%)",
    Kind.ASSESSED: "评估结论",
}
ASSESSMENT_LABELS = {label: code for code, label in Assessment.choices}


TARGET_ENTRIES = registry.register(TargetEntryAdapter())
