"""Key projects' monthly progress as one kind of monthly report in the shared
workflow: how it is loaded, who may write and review it, which form it uses, and
what an approved or counted change moves (the project's stage, the derived targets)."""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django import forms
from django.db.models import OuterRef, Q, Subquery, Sum
from django.urls import reverse

from org import roles
from projects import owed, plausibility
from projects.forms import ProjectProgressForm, progress_initial
from projects.metrics import request_derived_recompute
from projects.models import KeyProject, ProjectEvidence, ProjectProgress, Stage
from projects.pace import PlanPace, plan_pace
from projects.preview import ProgressPreview, derived_moves
from projects.services import ProgressValues
from targets import completion
from targets.periods import add_months, month_end
from targets.templatetags.zy import DASH, format_amount
from workflow import wording
from workflow.registry import (
    Cells,
    Change,
    ReportAdapter,
    SheetSpec,
    counted_changes,
    registry,
)
from workflow.states import COUNTED_STATES, EntryState

# Which workbook columns a project row fills, and the form field each feeds.
SHEET_INPUTS = {
    "investment": "investment",
    "choice": "stage",
    "narrative": "notes",
    "problems": "problems",
    "next_steps": "next_steps",
    "unusual_reason": "unusual_reason",
}
STAGE_LABELS = {label: code for code, label in Stage.choices}
# The reported fields the derived metrics may read (counted values only).
COUNTED_FIELDS = ("investment", "stage")


class ProjectProgressAdapter(ReportAdapter):
    kind = "project"
    label = "项目"
    model = ProjectProgress
    subject_field = "project"
    values_class = ProgressValues
    evidence_model = ProjectEvidence
    history_fields = (
        "state",
        "investment",
        "stage",
        "notes",
        "problems",
        "next_steps",
        "unusual_warning",
        "unusual_reason",
        "return_reason",
    )
    not_yours = "只能填报本单位负责的项目。"
    created_meanwhile = "同一项目本月的记录刚被他人创建，请刷新页面查看后再修改。"

    def subjects(self):
        return KeyProject.objects.select_related("plan_year", "programme", "lead_department")

    def can_report(self, user, subject: KeyProject) -> bool:
        return roles.can_report_for_department(user, subject.lead_department_id)

    def can_review(self, user) -> bool:
        return roles.is_reviewer(user)

    def entry_url(self, subject_id: int, period: date) -> str:
        return reverse("reporting:project_entry", args=[subject_id, period])

    def review_url(self, entry: ProjectProgress) -> str:
        return reverse("reporting:review_project", args=[entry.pk])

    def form_class(self, subject: KeyProject) -> type[forms.Form]:
        return ProjectProgressForm

    def form(
        self,
        subject: KeyProject,
        *,
        period: date,
        today: date,
        action: str = "save",
        data=None,
        files=None,
        entry: ProjectProgress | None = None,
        preview: bool = False,
        history: list | None = None,
    ) -> forms.Form:
        if data is None:
            form = ProjectProgressForm(
                initial=progress_initial(entry, self.starting_stage(subject, period))
            )
            saved = entry is not None and not entry.is_locked and entry.investment is not None
            if preview and saved:
                # What the saved figure would change once submitted, before any edit.
                form.preview = self._preview(subject, entry, period, today)
            return form
        if history is None:
            # The year's reports before the month, read once for every rule.
            history = self._year_before(subject, period)
        return ProjectProgressForm(
            data,
            files,
            action=action,
            plausibility=lambda values: self.plausibility(
                subject, values, period=period, history=history
            ),
            pace=lambda values: self.pace(subject, values, period=period, history=history),
            preview=lambda values, pace: ProgressPreview(
                pace=pace,
                moves=derived_moves(
                    project=subject, period=period, investment=values.investment, today=today
                ),
            ),
        )

    def _preview(
        self, subject: KeyProject, entry: ProjectProgress, period: date, today: date
    ) -> ProgressPreview:
        values = self.values_of(entry)
        history = self._year_before(subject, period)
        return ProgressPreview(
            pace=self.pace(subject, values, period=period, history=history),
            moves=derived_moves(
                project=subject, period=period, investment=values.investment, today=today
            ),
        )

    def starting_stage(self, subject: KeyProject, period: date) -> str:
        """The stage a new month's report starts from: last month's report's, else
        the project's registered stage."""
        previous = self.entry_for(subject, add_months(period, -1))
        return previous.stage if previous is not None and previous.stage else subject.stage

    def _year_before(self, subject: KeyProject, period: date) -> list:
        return list(
            self.entries().filter(
                project=subject, period__gte=period.replace(month=1), period__lt=period
            )
        )

    @staticmethod
    def _counted_before(history: list, period: date) -> list:
        """The year's counted reports before the month, oldest first."""
        return sorted(
            (r for r in history if r.counts and r.period.year == period.year and r.period < period),
            key=lambda r: r.period,
        )

    def pace(
        self, subject: KeyProject, values: ProgressValues, *, period: date, history: list
    ) -> PlanPace | None:
        """The year's investment with this report against the annual plan × 序时."""
        plan_year = subject.plan_year
        before = self._counted_before(history, period)
        return plan_pace(
            invested_before=sum((r.investment or 0 for r in before), Decimal(0)),
            investment=values.investment,
            annual_plan=subject.annual_plan,
            year_starts=plan_year.starts_on,
            year_ends=plan_year.ends_on,
            as_of=month_end(period),
            tolerance=plan_year.rules.tolerance,
        )

    def plausibility(
        self,
        subject: KeyProject,
        values: ProgressValues,
        *,
        period: date,
        history: list | None = None,
    ) -> list[str]:
        if history is None:
            history = self._year_before(subject, period)
        before = self._counted_before(history, period)
        return plausibility.investment_warnings(
            investment=values.investment,
            previous=before[-1].investment if before else None,
            annual_plan=subject.annual_plan,
            invested_before=sum((r.investment or 0 for r in before), Decimal(0)),
            total=subject.total_investment,
            thresholds=subject.plan_year.plausibility,
        )

    page_parts = {
        "facts": "reporting/kinds/project_facts.html",
        "values": "reporting/kinds/project_values.html",
        "fields": "reporting/kinds/project_fields.html",
        "status": "reporting/kinds/project_status.html",
        "evidence": "reporting/kinds/project_evidence.html",
    }

    def page_context(
        self, subject: KeyProject, entry: ProjectProgress | None, period: date
    ) -> dict:
        previous = self.entry_for(subject, add_months(period, -1))
        evidence = list(entry.evidence.select_related("uploaded_by")) if entry else []
        return {
            "evidence": evidence,
            "heading": subject.name,
            "figure_label": wording.month_investment(),
            "project": subject,
            "previous": previous,
        }

    # --- what is owed ---------------------------------------------------------------------

    def owes(self, subject: KeyProject, period: date, reports) -> bool:
        stage = owed.stage_at_month_end(period=period, reports=reports, registered=subject.stage)
        return owed.project_owes(stage=stage)

    month_heading = "重点项目"
    owed_fields = ("stage",)

    def month_subjects(self, *, department, plan_year, period: date):
        # with the counted investment of the year before this month
        return (
            KeyProject.objects.filter(plan_year=plan_year, lead_department=department)
            .select_related("programme")
            .annotate(
                invested_before=Sum(
                    "progress__investment",
                    filter=Q(progress__state__in=COUNTED_STATES)
                    & Q(progress__period__gte=plan_year.starts_on)
                    & Q(progress__period__lt=period),
                )
            )
            .order_by("code")
        )

    def lagging(self, queryset):
        """Reports whose project is behind its plan at the report's month by the pace
        rule in projects/pace.py （进度滞后 or 严重滞后）: the year's counted investment
        before the month (one subquery) plus the report's own."""
        before = (
            ProjectProgress.objects.filter(
                project=OuterRef("project"),
                state__in=COUNTED_STATES,
                period__lt=OuterRef("period"),
                period__year=OuterRef("period__year"),
            )
            .order_by()
            .values("project")
            .annotate(total=Sum("investment"))
            .values("total")
        )
        rows = queryset.annotate(year_before=Subquery(before)).select_related("project__plan_year")
        behind = []
        for entry in rows:
            plan_year = entry.project.plan_year
            pace = plan_pace(
                invested_before=entry.year_before or Decimal(0),
                investment=entry.investment,
                annual_plan=entry.project.annual_plan,
                year_starts=plan_year.starts_on,
                year_ends=plan_year.ends_on,
                as_of=month_end(entry.period),
                tolerance=plan_year.rules.tolerance,
            )
            if pace is not None and pace.status in (completion.LAGGING, completion.BEHIND):
                behind.append(entry.pk)
        return queryset.filter(pk__in=behind)

    def review_queryset(self):
        return ProjectProgress.objects.select_related(
            "project__programme", "project__lead_department", "submitted_by"
        ).order_by("period", "project__lead_department__sort_order", "project__code")

    def previous_reports(self, entries: list) -> dict[int, ProjectProgress]:
        """The project's report of the month before each one."""
        before = {
            (p.project_id, p.period): p
            for p in ProjectProgress.objects.filter(
                project_id__in={e.project_id for e in entries},
                period__in={add_months(e.period, -1) for e in entries},
            )
        }
        return {
            e.pk: before[(e.project_id, add_months(e.period, -1))]
            for e in entries
            if (e.project_id, add_months(e.period, -1)) in before
        }

    def owed_subjects(self, plan_year):
        return KeyProject.objects.filter(plan_year=plan_year).only(
            "id", "code", "name", "stage", "lead_department_id"
        )

    def owed_facts(self, plan_year, period: date) -> dict[int, list]:
        """Only what the rule reads for one month: each project's latest approved
        report naming a stage up to the month, and the month's own reports."""
        latest = (
            ProjectProgress.objects.filter(
                project=OuterRef("pk"), state=EntryState.APPROVED, period__lte=period
            )
            .exclude(stage="")
            .order_by("-period")
        )
        facts = self.report_facts(self.year_reports(plan_year, up_to=period).filter(period=period))
        for row in (
            KeyProject.objects.filter(plan_year=plan_year)
            .annotate(
                approved_period=Subquery(latest.values("period")[:1]),
                approved_stage=Subquery(latest.values("stage")[:1]),
            )
            .filter(approved_period__isnull=False)
            .values("pk", "approved_period", "approved_stage")
        ):
            facts[row["pk"]].append(
                SimpleNamespace(
                    period=row["approved_period"],
                    state=EntryState.APPROVED,
                    stage=row["approved_stage"],
                    counts=True,
                )
            )
        return facts

    def figure_text(self, subject: KeyProject, entry: ProjectProgress | None) -> str:
        return amount_yi(entry.investment if entry is not None else None)

    def cells(self, subject: KeyProject, entry: ProjectProgress | None, previous) -> Cells:
        detail = subject.get_stage_display()
        if entry is not None and entry.stage and entry.stage != subject.stage:
            detail += f" → 报{entry.get_stage_display()}"
        invested = getattr(subject, "invested_before", None)
        if invested is not None:
            detail += f" · 此前累计 {amount_yi(invested)}"
        texts = []
        if entry is not None and entry.problems:
            texts.append(("问题", entry.problems))
        return Cells(
            title=f"{subject.code} {subject.name}",
            figure=self.figure_text(subject, entry),
            previous=self.figure_text(subject, previous),
            detail=detail,
            summary=entry.notes if entry is not None else "",
            texts=tuple(texts),
        )

    # --- the monthly workbook ------------------------------------------------------------

    def sheet_spec(self, subject: KeyProject) -> SheetSpec:
        # A fresh template shows the project's stage; that alone is not a report.
        return SheetSpec(SHEET_INPUTS, choices=STAGE_LABELS, prefilled=frozenset({"choice"}))

    def sheet_values(
        self,
        subject: KeyProject,
        entry: ProjectProgress | None,
        previous: ProjectProgress | None,
        period: date,
    ) -> dict:
        values = {
            "category": "项目",
            "code": subject.code,
            "name": subject.name,
            "measure": wording.month_investment(),
            "unit": wording.PROJECT_UNIT,
            "previous": previous.investment if previous else None,
            # A new report starts from last month's stage (else the project's); an
            # existing one shows its own.
            "choice": (entry.get_stage_display() if entry.stage else None)
            if entry
            else (
                previous.get_stage_display()
                if previous is not None and previous.stage
                else subject.get_stage_display()
            ),
        }
        if entry is not None:
            values.update(
                investment=entry.investment,
                narrative=entry.notes,
                problems=entry.problems,
                next_steps=entry.next_steps,
                unusual_reason=entry.unusual_reason,
            )
        return values

    def _changed(self, change: Change) -> set[str]:
        """The counted fields this write moved (and the project's stage, which an
        approval moves)."""
        progress = change.entry
        changed = {
            f"ProjectProgress.{name}"
            for name in counted_changes(change, self.values_of(progress), COUNTED_FIELDS)
        }
        if change.action != "save" and (change.counted_before or progress.counts):
            # A transition of a counted report (approve, return, reopen) moves what
            # reads its state: a provisional figure becomes reviewed, or drops out.
            changed.add("ProjectProgress.state")
        if _move_stage(progress, change.user):
            changed.add("KeyProject.stage")
        return changed

    def after_change(self, change: Change) -> None:
        self.after_changes([change])

    def after_changes(self, changes: list[Change]) -> None:
        # One request per change (or per import), naming what moved: only the targets
        # whose metric reads it are recomputed.
        by_year: dict[int, set[str]] = defaultdict(set)
        for change in changes:
            by_year[change.entry.project.plan_year_id] |= self._changed(change)
        for plan_year_id, changed in by_year.items():
            if changed:
                request_derived_recompute(
                    plan_year_id=plan_year_id, changed=changed, reason="项目月报变更"
                )


def _move_stage(progress: ProjectProgress, user) -> bool:
    """The project's stage is what its latest approved report says (kept in its
    history). Returns whether it moved."""
    project = progress.project
    if not (
        progress.state == EntryState.APPROVED and progress.stage and progress.stage != project.stage
    ):
        return False
    newer_approved = ProjectProgress.objects.filter(
        project=project, state=EntryState.APPROVED, period__gt=progress.period
    )
    if newer_approved.exists():
        return False
    project.stage = progress.stage
    project._history_user = user
    project._change_reason = f"{progress.period:%Y年%m月}月报审核通过"
    project.save()
    return True


def amount_yi(value) -> str:
    """An amount in 亿元 (— when there is none)."""
    text = format_amount(value, 4)
    return text if text == DASH else f"{text}亿元"


PROJECT_PROGRESS = registry.register(ProjectProgressAdapter())
