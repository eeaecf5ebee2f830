"""The monthly entry forms of targets: one per target kind.

The same forms check the web page and every row of an uploaded workbook, so both
refuse exactly the same things with the same words. A form never writes: views and
the import hand its ``values()`` to the workflow services.
"""

from datetime import date

from django import forms

from targets import completion
from targets.models import Assessment, Direction, Kind, ProgressEntry, Status, Target, Unit
from targets.periods import month_end
from targets.services import EntryValues, preview_entry
from workflow import wording
from workflow.confirm import UnusualFields
from workflow.evidence_form import EvidenceFields
from workflow.fields import (
    DateInput,
    LenientDateField,
    NumberField,
    text_field,
    version_field,
)

# Units that count whole things: 8.5所 is a typing slip.
COUNT_UNITS = (Unit.GE, Unit.JIA, Unit.SUO, Unit.HU)


def fit_to_unit(field: NumberField, unit: str) -> None:
    """A figure's limits that follow from its unit: a share is at most 100%, a count
    is whole."""
    field.unit = unit
    if unit == Unit.PERCENT:
        field.max_value = completion.HUNDRED
        field.range_message = "百分比须在 0 到 100 之间。"
    elif unit in COUNT_UNITS:
        field.decimal_places = 0


# A leader who sees one of these lights always finds the reason beside it.
NEEDS_REASONS = (completion.LAGGING, completion.BEHIND)


class EntryForm(UnusualFields, EvidenceFields, forms.Form):
    """What every kind shares: the texts, the evidence, the version it was opened at."""

    version = version_field()
    narrative = text_field(ProgressEntry, "narrative", rows=4)
    problems = text_field(ProgressEntry, "problems")
    next_steps = text_field(ProgressEntry, "next_steps")

    # The page offers a preview of what the figure would mean once submitted.
    previewable = True
    figure_fields: tuple[str, ...] = ()
    figure_required = "请填写本月数值。"

    def __init__(
        self,
        *args,
        target: Target,
        period: date,
        today: date,
        previous: ProgressEntry | None = None,
        action: str = "save",
        history: list[ProgressEntry] | None = None,
        plausibility=None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        # The kind's plausibility checks (values → warnings), from its adapter.
        self.plausibility = plausibility
        self.plausibility_warnings = []
        self.target, self.period, self.today = target, period, today
        self.previous, self.action = previous, action
        # The target's entries when the caller loaded them (the workbook import, for
        # all its rows at once): the preview then runs no query.
        self.history = history
        self.preview: completion.TargetResult | None = None

    @property
    def figures(self) -> list:
        """The kind's figure fields, bound, in order (for the template)."""
        return [self[name] for name in self.figure_fields]

    def initial_has_figure(self) -> bool:
        return any(self.initial.get(name) not in (None, "") for name in self.figure_fields)

    def has_figure(self) -> bool:
        return any(self.cleaned_data.get(name) not in (None, "") for name in self.figure_fields)

    def check_figures(self, data: dict) -> None:
        """Kind-specific checks between fields (add errors; do not raise)."""

    def clean(self) -> dict:
        data = super().clean()
        if any(name in self.errors for name in self.figure_fields):
            return data
        if self.action in ("submit", "preview") and not self.has_figure():
            self.add_error(self.figure_fields[0], self.figure_required)
            return data
        self.check_figures(data)
        if self.has_figure() and not any(n in self.errors for n in self.figure_fields):
            self.settle_plausibility(self.plausibility, self.values())
        if self.errors or not self.has_figure():
            return data
        self.preview = preview_entry(
            target=self.target,
            period=self.period,
            values=self.values(),
            today=self.today,
            history=self.history,
        )
        if self.action == "submit" and self.preview.status in NEEDS_REASONS:
            label = Status(self.preview.status).label
            for name, what in (("problems", "存在问题"), ("next_steps", "下步计划")):
                if not data.get(name):
                    self.add_error(
                        name, f"按本次填报，该指标将显示为“{label}”，提交前请填写{what}。"
                    )
        return data

    def values(self) -> EntryValues:
        data = self.cleaned_data
        values = EntryValues(
            value=data.get("value"),
            percent=data.get("percent"),
            done_on=data.get("done_on"),
            assessment=data.get("assessment") or "",
            narrative=data.get("narrative", ""),
            problems=data.get("problems", ""),
            next_steps=data.get("next_steps", ""),
            correction_reason=data.get("correction_reason", ""),
        )
        return self.with_unusual(values)


class CumulativeForm(EntryForm):
    value = NumberField(required=False)
    correction_reason = text_field(ProgressEntry, "correction_reason", rows=2)
    figure_fields = ("value",)
    figure_required = "请填写 1 月至本月的累计数。"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["value"]
        fit_to_unit(field, self.target.unit)
        # The unit is in the label, as in the workbook's row (workflow.wording).
        field.label = wording.year_to_date(self.period.month, self.target.unit)
        field.show_unit = False
        field.help_text = "填写年初至本月底的累计数，不是本月新增数。"
        self.fields["correction_reason"].help_text = "累计数低于上月已报送的累计数时必须填写。"

    def check_figures(self, data: dict) -> None:
        value, previous = data.get("value"), self.previous
        if value is None or previous is None or previous.value is None:
            return
        if self.target.direction != Direction.INCREASE:
            return  # a total meant to come down may come down
        if value < previous.value and not data.get("correction_reason"):
            unit = self.target.unit
            self.add_error(
                "correction_reason",
                f"本月累计数 {value.normalize():f}{unit} 低于"
                f"{previous.period.month}月已报送的 {previous.value.normalize():f}{unit}，"
                "请说明下调原因。",
            )


class LevelForm(EntryForm):
    value = NumberField(required=False, label=wording.LEVEL)
    figure_fields = ("value",)
    figure_required = "请填写本月末的水平值。"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        fit_to_unit(self.fields["value"], self.target.unit)


class CeilingForm(LevelForm):
    figure_required = "请填写本月末的数量。"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["value"].label = wording.CEILING


class MilestoneForm(EntryForm):
    percent = NumberField(
        required=False,
        label=wording.MILESTONE_PERCENT,
        unit="%",
        max_value=completion.HUNDRED,
        decimal_places=2,
        range_message="完成进度须在 0 到 100 之间。",
    )
    done_on = LenientDateField(
        required=False, label="完成日期", widget=DateInput, help_text="全部完成时填写。"
    )
    figure_fields = ("percent", "done_on")
    figure_required = "请填写完成进度（全部完成时填写完成日期）。"

    def check_figures(self, data: dict) -> None:
        done_on, percent = data.get("done_on"), data.get("percent")
        plan_year = self.target.programme.plan_year
        if done_on is not None:
            if done_on > self.today:
                self.add_error("done_on", f"完成日期不能晚于今天（{self.today:%Y-%m-%d}）。")
            elif not plan_year.starts_on <= done_on <= plan_year.ends_on:
                self.add_error("done_on", f"完成日期须在{plan_year.year}年内。")
            elif done_on > month_end(self.period):
                self.add_error(
                    "done_on",
                    f"完成日期晚于所报月份（{self.period.year}年{self.period.month}月），"
                    "请在完成当月的进展中填报。",
                )
            elif self._reported_not_done_by(done_on):
                previous = self.previous
                self.add_error(
                    "done_on",
                    f"{previous.period.year}年{previous.period.month}月已报送的进展为"
                    f"“尚未完成（完成 {(previous.percent or 0).normalize():f}%）”，完成日期不能早于"
                    f"{previous.period.month}月底。如该月进展有误，请联系审核员重新打开更正。",
                )
            if percent is None:
                data["percent"] = completion.HUNDRED
            elif percent < completion.HUNDRED:
                self.add_error("percent", "已填写完成日期，完成进度应为 100。")
        elif percent == completion.HUNDRED and self.action in ("submit", "preview"):
            self.add_error("done_on", "完成进度为 100% 时，请填写完成日期。")

    def _reported_not_done_by(self, done_on: date) -> bool:
        """An earlier month's counted report said "not done" at a time after
        ``done_on``: completion cannot be backdated past it."""
        previous = self.previous
        return (
            previous is not None
            and previous.done_on is None
            and (previous.percent or 0) < completion.HUNDRED
            and done_on <= month_end(previous.period)
        )


class AssessedForm(EntryForm):
    assessment = forms.ChoiceField(
        label=wording.ASSESSMENT,
        required=False,
        choices=[("", "请选择"), *Assessment.choices],
        error_messages={"invalid_choice": "请从列表中选择评估结论。"},
    )
    figure_fields = ("assessment",)
    figure_required = "请选择评估结论。"


FORMS: dict[str, type[EntryForm]] = {
    Kind.CUMULATIVE: CumulativeForm,
    Kind.LEVEL: LevelForm,
    Kind.CEILING: CeilingForm,
    Kind.MILESTONE: MilestoneForm,
    Kind.ASSESSED: AssessedForm,
}


def entry_form_class(target: Target) -> type[EntryForm]:
    return FORMS[target.kind]


def entry_initial(entry: ProgressEntry | None) -> dict:
    if entry is None:
        return {"version": 0}
    return {
        **vars(EntryValues.of(entry)),
        "version": entry.version,
        "confirm_unusual": entry.unusual,
    }
