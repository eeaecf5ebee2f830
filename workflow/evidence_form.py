"""The evidence files (佐证材料) of every kind's form: the field, the checks of each
file (workflow/uploads.py), and what the page keeps when the form is not saved.
A refused file is named in the message, and the files that passed are kept
(``accepted_evidence``) even when another one, or another field, fails: the page
keeps them as pending uploads (workflow/pending.py)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from workflow import uploads
from workflow.fields import MultipleFileField
from workflow.services import NewEvidence


class EvidenceFields(forms.Form):
    evidence = MultipleFileField(
        required=False,
        max_files=settings.EVIDENCE_MAX_FILES,
        label="佐证材料",
        help_text="可多选。支持 PDF、JPG、PNG、Excel（xlsx）、Word（docx），单个文件不超过上限。",
    )

    # The page offers a preview of what the report would change once submitted.
    accepted_evidence: list[NewEvidence]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.accepted_evidence = []
        self.fields["evidence"].widget.attrs["accept"] = uploads.EVIDENCE_ACCEPT
        limit = uploads.human_size(settings.EVIDENCE_MAX_BYTES)
        self.fields["evidence"].help_text += f"（上限 {limit}）"

    def clean_evidence(self) -> list[NewEvidence]:
        checked, errors = [], []
        for upload in self.cleaned_data.get("evidence") or []:
            try:
                name, kind = uploads.check_evidence(upload)
            except ValidationError as error:
                errors.extend(f"未能上传佐证材料：{message}" for message in error.messages)
                continue
            checked.append(
                NewEvidence(
                    file=upload,
                    original_name=name,
                    content_type=kind.content_type,
                    size=upload.size,
                )
            )
        self.accepted_evidence = checked
        if errors:
            raise ValidationError(errors)
        return checked
