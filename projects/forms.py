"""The key-project monthly progress form (the web page and the workbook rows)."""

from django import forms

from projects.models import ProjectProgress, Stage
from projects.services import ProgressValues
from workflow import wording
from workflow.confirm import UnusualFields
from workflow.fields import NumberField, text_field, version_field


class ProjectProgressForm(UnusualFields, forms.Form):
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
    )
    notes = text_field(ProjectProgress, "notes", rows=4)
    problems = text_field(ProjectProgress, "problems")

    def __init__(self, *args, action: str = "save", plausibility=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.action = action
        self.fields["investment"].show_unit = False  # the label says 亿元
        # The kind's plausibility checks (values → warnings), from its adapter.
        self.plausibility = plausibility
        self.plausibility_warnings = []

    def clean(self) -> dict:
        data = super().clean()
        missing = "investment" not in self.errors and data.get("investment") is None
        if self.action == "submit" and missing:
            self.add_error("investment", "请填写本月完成投资（没有投资请填 0）。")
        if "investment" not in self.errors and data.get("investment") is not None:
            self.settle_plausibility(self.plausibility, self.values())
        return data

    def values(self) -> ProgressValues:
        data = self.cleaned_data
        values = ProgressValues(
            investment=data.get("investment"),
            stage=data.get("stage") or "",
            notes=data.get("notes", ""),
            problems=data.get("problems", ""),
        )
        return self.with_unusual(values)


def progress_initial(progress: ProjectProgress | None, stage: str) -> dict:
    if progress is None:
        return {"version": 0, "stage": stage}
    return {
        **vars(ProgressValues.of(progress)),
        "version": progress.version,
        "confirm_unusual": progress.unusual,
    }
