"""Forms: the departments' answers (反馈, 办理情况: the workflow's kinds), opening,
closing and extending an order, a leader's instruction, and the chat hook's admin."""

from dataclasses import dataclass

from django import forms

from org.models import Department, OutboundEvent
from supervision.models import (
    ChatHook,
    InstructionAnswer,
    OrderAnswer,
    OrderColour,
    OrderState,
)
from workflow.evidence_form import EvidenceFields
from workflow.fields import LenientDateField, TextField, text_field, version_field
from workflow.registry import ReportValues

SUBMIT_NEEDS = "提交前请填写{}。"


@dataclass(frozen=True)
class OrderAnswerValues(ReportValues):
    measures: str = ""
    progress: str = ""


@dataclass(frozen=True)
class InstructionAnswerValues(ReportValues):
    answer: str = ""


class _AnswerForm(EvidenceFields, forms.Form):
    """An answer's texts and its evidence files（佐证材料）：the files are checked,
    refused and kept on a failed form exactly as a project's (workflow/evidence_form.py)."""

    version = version_field()
    previewable = False
    required_on_submit: tuple[str, ...] = ()

    def __init__(self, *args, action: str = "save", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.action = action

    def clean(self) -> dict:
        data = super().clean()
        if self.action == "submit":
            for name in self.required_on_submit:
                if name not in self.errors and not data.get(name, "").strip():
                    self.add_error(name, SUBMIT_NEEDS.format(self.fields[name].label))
        return data


class OrderAnswerForm(_AnswerForm):
    measures = text_field(OrderAnswer, "measures", rows=4)
    progress = text_field(OrderAnswer, "progress", rows=4)
    required_on_submit = ("measures", "progress")

    def values(self) -> OrderAnswerValues:
        data = self.cleaned_data
        return OrderAnswerValues(
            measures=data.get("measures", ""), progress=data.get("progress", "")
        )


class InstructionAnswerForm(_AnswerForm):
    answer = text_field(InstructionAnswer, "answer", rows=5)
    required_on_submit = ("answer",)

    def values(self) -> InstructionAnswerValues:
        return InstructionAnswerValues(answer=self.cleaned_data.get("answer", ""))


def answer_initial(entry, values_class) -> dict:
    if entry is None:
        return {"version": 0}
    return {**vars(values_class.of(entry)), "version": entry.version}


class OpenOrderForm(forms.Form):
    requirement = TextField(
        label="督办要求",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        error_messages={"required": "请填写督办要求。", "max_length": "督办要求不能超过 2000 字。"},
    )
    department = forms.ModelChoiceField(
        Department.objects.all(),
        label="责任单位",
        required=False,
        empty_label="（牵头单位）",
        error_messages={"invalid_choice": "请从列表中选择责任单位。"},
    )
    deadline = LenientDateField(
        label="办结时限",
        error_messages={
            "required": "请填写办结时限。",
            "invalid": "日期格式不正确，请按 2025-10-31 填写。",
        },
    )
    colour = forms.ChoiceField(
        label="督办等级",
        choices=OrderColour.choices,
        error_messages={"invalid_choice": "请选择督办等级。"},
    )


class CloseOrderForm(forms.Form):
    reason = TextField(
        label="销号理由",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 1000}),
        error_messages={"required": "销号必须填写理由。"},
    )


class ExtendOrderForm(forms.Form):
    new_deadline = LenientDateField(
        label="新时限",
        error_messages={
            "required": "请填写新时限。",
            "invalid": "日期格式不正确，请按 2025-10-31 填写。",
        },
    )
    reason = TextField(
        label="延期理由",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 1000}),
        error_messages={"required": "延期必须填写理由。"},
    )


class InstructionForm(forms.Form):
    text = TextField(
        label="批示内容",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        error_messages={"required": "请填写批示内容。", "max_length": "批示内容不能超过 2000 字。"},
    )


class OrderFilterForm(forms.Form):
    state = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *OrderState.choices]
    )
    department = forms.ModelChoiceField(
        Department.objects.all(), label="责任单位", required=False, empty_label="全部"
    )
    overdue = forms.BooleanField(label="仅看逾期", required=False)


class ChatHookForm(forms.ModelForm):
    """The admin's form: the URL and secret are write-only (a blank field keeps the
    stored one; the page never shows it back)."""

    url = forms.CharField(
        label="Webhook 地址",
        required=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="保存后不再完整显示；留空则保留原地址。",
    )
    secret = forms.CharField(
        label="加签密钥",
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=(
            "钉钉机器人“加签”的密钥（SEC 开头）；企业微信无需填写。"
            "保存后不再显示；留空则保留原密钥。"
        ),
    )
    clear_secret = forms.BooleanField(label="清除加签密钥", required=False)
    events = forms.MultipleChoiceField(
        label="推送事项",
        choices=OutboundEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一项推送事项。"},
    )

    class Meta:
        model = ChatHook
        fields = [
            "kind",
            "label",
            "department",
            "leaders_group",
            "url",
            "secret",
            "events",
            "active",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.initial.pop("url", None)
        self.initial.pop("secret", None)

    def clean_url(self) -> str:
        url = self.cleaned_data.get("url", "").strip()
        if not url:
            if not self.instance.pk or not self.instance.url:
                raise forms.ValidationError("请填写 Webhook 地址。")
            return self.instance.url
        if not url.startswith(("https://", "http://")):
            raise forms.ValidationError("Webhook 地址须以 https:// 开头。")
        return url

    def clean_secret(self) -> str:
        secret = self.cleaned_data.get("secret", "").strip()
        if self.data.get(self.add_prefix("clear_secret")):
            return ""
        return secret or (self.instance.secret if self.instance.pk else "")

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("department") and not data.get("leaders_group"):
            raise forms.ValidationError("请选择所属单位，或勾选“区领导群”。")
        return data
