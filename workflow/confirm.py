"""The confirmation a plausibility warning asks for, shared by every kind's form:
a checkbox and a one-line explanation. The rules are the kinds' (their adapters'
``plausibility``); this only decides what a form does with the warnings."""

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django import forms

from workflow.plausibility import CONFIRM_HINT, settle

REASON_LIMIT = 200
EXCEL_HINT = "如确认数值无误，请在该行“说明”列填写原因。"


class UnusualFields(forms.Form):
    """Mixed into a kind's form: the fields, and ``settle_plausibility`` for its clean."""

    confirm_unusual = forms.BooleanField(required=False, label="确认数值无误")
    unusual_reason = forms.CharField(
        required=False,
        max_length=REASON_LIMIT,
        label="异常说明",
        help_text="数值确实如此时，用一句话说明原因（如：本月集中验收）。",
        error_messages={"max_length": f"异常说明不能超过 {REASON_LIMIT} 字，请精简。"},
    )

    plausibility_warnings: list[str]

    def settle_plausibility(self, check: Callable[[Any], list[str]] | None, values: Any) -> None:
        """Run the kind's checks on ``values``; on a write (not a preview), refuse a
        warned value that is not confirmed with an explanation."""
        self.plausibility_warnings = check(values) if check is not None else []
        if self.action == "preview":
            return
        data = self.cleaned_data
        verdict = settle(
            self.plausibility_warnings,
            confirmed=bool(data.get("confirm_unusual")),
            reason=data.get("unusual_reason", ""),
            hint=EXCEL_HINT if getattr(self, "from_workbook", False) else CONFIRM_HINT,
        )
        if verdict.refusal:
            self.add_error("unusual_reason", verdict.refusal)

    def with_unusual(self, values: Any) -> Any:
        """``values`` with the plausibility outcome (flagged 异常 when warned and
        confirmed). The workflow services settle it again from the kind's rules
        (workflow.plausibility.settle), so a write is decided the same whoever calls."""
        verdict = settle(
            getattr(self, "plausibility_warnings", []),
            confirmed=bool(self.cleaned_data.get("confirm_unusual")),
            reason=self.cleaned_data.get("unusual_reason", ""),
        )
        return replace(
            values,
            unusual=verdict.unusual,
            unusual_warning=verdict.warning,
            unusual_reason=verdict.reason,
        )
