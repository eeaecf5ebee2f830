"""Small forms behind the POST actions: review, reminders, workbook upload."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from workflow import uploads
from workflow.models import WorkflowEntry

REVIEW_ACTIONS = {"approve": "审核通过", "return": "退回", "reopen": "重新打开"}


class ReviewForm(forms.Form):
    action = forms.ChoiceField(choices=list(REVIEW_ACTIONS.items()))
    reason = forms.CharField(
        required=False,
        max_length=WorkflowEntry._meta.get_field("return_reason").max_length,
        error_messages={"max_length": "原因不能超过 %(limit_value)d 字。"},
    )
    version = forms.IntegerField(min_value=1)


class UploadForm(forms.Form):
    workbook = forms.FileField(
        label="填好的 Excel 文件",
        error_messages={"required": "请选择要上传的 Excel 文件。", "empty": "上传的文件是空的。"},
    )
    submit = forms.TypedChoiceField(
        label="上传后",
        choices=[("1", "直接提交审核"), ("0", "保存为草稿，稍后在网页上检查提交")],
        coerce=lambda value: value == "1",
        initial="1",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["workbook"].widget.attrs["accept"] = ".xlsx"
        limit = uploads.human_size(settings.UPLOAD_WORKBOOK_MAX_BYTES)
        self.fields["workbook"].help_text = f"只接受本系统下载的 .xlsx 模板，不超过 {limit}。"

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        limit = settings.UPLOAD_WORKBOOK_MAX_BYTES
        if upload.size > limit:
            size, most = uploads.human_size(upload.size), uploads.human_size(limit)
            raise ValidationError(f"文件大小为 {size}，超过上限 {most}。")
        if not (upload.name or "").lower().endswith(".xlsx"):
            raise ValidationError("只接受 .xlsx 格式的 Excel 文件（请使用本系统下载的模板）。")
        return upload
