"""The key-project monthly progress form (the web page and the workbook rows)."""

from collections.abc import Callable

from django import forms

from projects.models import ProjectProgress, Stage
from projects.pace import PlanPace
from projects.preview import ProgressPreview
from projects.services import ProgressValues
from targets.models import Status
from workflow import wording
from workflow.confirm import UnusualFields
from workflow.evidence_form import EvidenceFields
from workflow.fields import NumberField, text_field, version_field
from workflow.plausibility import amount


class ProjectProgressForm(UnusualFields, EvidenceFields, forms.Form):
    version = version_field()
    investment = NumberField(
        required=False,
        label=wording.month_investment(),
        unit=wording.PROJECT_UNIT,
        help_text="本月新完成的投资额（亿元），不是累计数；本月没有投资请填 0。",
    )
    stage = forms.ChoiceField(
        label="达到阶段",
        required=False,
        choices=[("", "请选择"), *Stage.choices],
        error_messages={"invalid_choice": "请从列表中选择项目阶段。"},
        help_text="默认为上月填报的阶段，有变化时修改。",
    )
    notes = text_field(ProjectProgress, "notes", rows=4)
    problems = text_field(ProjectProgress, "problems")
    next_steps = text_field(ProjectProgress, "next_steps")

    # The page offers a preview of what the report would change once submitted.
    previewable = True

    def __init__(
        self,
        *args,
        action: str = "save",
        plausibility=None,
        pace: Callable[[ProgressValues], PlanPace | None] | None = None,
        preview: Callable[[ProgressValues, PlanPace | None], ProgressPreview] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.action = action
        self.fields["investment"].show_unit = False  # the label says 亿元
        # The kind's rules (values → warnings, values → pace) and its preview, from
        # its adapter.
        self.plausibility = plausibility
        self.plausibility_warnings = []
        self.pace, self.build_preview = pace, preview
        self.preview: ProgressPreview | None = None

    def clean(self) -> dict:
        data = super().clean()
        missing = "investment" not in self.errors and data.get("investment") is None
        if self.action in ("submit", "preview") and missing:
            self.add_error("investment", "请填写本月完成投资（没有投资请填 0）。")
        if "investment" in self.errors or data.get("investment") is None:
            return data
        self.settle_plausibility(self.plausibility, self.values())
        pace = self.pace(self.values()) if self.pace is not None else None
        if self.action == "submit" and pace is not None and pace.behind:
            for name, what in (("problems", "存在问题"), ("next_steps", "下步计划")):
                if not data.get(name):
                    self.add_error(name, behind_message(pace, what))
        # The preview reads the derived targets (a few queries): built when it is
        # asked for, or when a refused submission shows the page again; never for a
        # workbook row that is fine.
        wanted = self.action == "preview" or (self.action == "submit" and self.errors)
        if wanted and self.build_preview is not None and not self.errors.get("investment"):
            self.preview = self.build_preview(self.values(), pace)
        return data

    def values(self) -> ProgressValues:
        data = self.cleaned_data
        values = ProgressValues(
            investment=data.get("investment"),
            stage=data.get("stage") or "",
            notes=data.get("notes", ""),
            problems=data.get("problems", ""),
            next_steps=data.get("next_steps", ""),
        )
        return self.with_unusual(values)


def behind_message(pace: PlanPace, what: str) -> str:
    return (
        f"按本次填报，本年累计完成投资 {amount(pace.invested)}{wording.PROJECT_UNIT}，"
        f"低于年度计划按序时进度应完成的 {amount(pace.expected_amount)}{wording.PROJECT_UNIT}，"
        f"将显示为“{Status(pace.status).label}”，提交前请填写{what}。"
    )


def progress_initial(progress: ProjectProgress | None, stage: str) -> dict:
    """The form's values: the report's own, or for a new one the stage to start from
    (last month's)."""
    if progress is None:
        return {"version": 0, "stage": stage}
    return {
        **vars(ProgressValues.of(progress)),
        "version": progress.version,
        "confirm_unusual": progress.unusual,
    }
