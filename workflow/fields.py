"""Form fields that read numbers and dates the way district staff type them.

Numbers: full-width digits (３３５), full-width punctuation (１，２３４．５) and thousands
separators (1,234.5 or 1，234.5) are understood; the field's own unit may follow
(335亿元, 85%); anything else — Chinese numerals such as 四百, digits of other scripts
(٣٤٥, १२३), circled or mathematical digits (⑤, 𝟓), words, formulas — is refused with a
message that says what to type instead.
"""

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model

CHINESE_NUMERALS = re.compile("[零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億]")
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)", re.ASCII)
# A number followed by words: a unit (200亿元, 3万) typed into the number.
SUFFIXED_NUMBER = re.compile(r"[+-]?[\d.,]*\d[\d.,]*[^\d.,]+")
GROUPED_NUMBER = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
# Anything this large is a typing slip (元 typed into 亿元), not a district figure.
# The bound is what every column a typed value flows into can hold: the entry's and
# the snapshot's 16-digit amounts (12 before the point) must also hold the forecast a
# value projects to the deadline (up to about 23 times it) and the monthly pace.
# Sums over many projects and ratios against small targets cannot be bounded here:
# snapshots hold those to their columns (targets.snapshots.fit_columns).
MAX_MAGNITUDE = Decimal(10) ** 10
# The digits a number may be typed in: ASCII and full-width. Python's Decimal and \d
# read every script's digits (٣٤٥ is 345) and NFKC turns ⑤ and 𝟓 into 5, so a figure
# pasted from who knows where would be taken silently; nobody here types those.
ACCEPTED_DIGITS = frozenset("0123456789０１２３４５６７８９")


def normalise(text: str) -> str:
    """NFKC (full-width to ASCII, ideographic space to space), without spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def parse_number(raw, unit: str = "") -> Decimal | None:
    """A number from what was typed (or read from a spreadsheet cell); None if blank."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValidationError("请填写数字。", code="invalid")
    if isinstance(raw, int | Decimal):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(repr(raw))
    raw_text = str(raw)
    if any(unicodedata.digit(c, None) is not None and c not in ACCEPTED_DIGITS for c in raw_text):
        raise ValidationError(
            "请用阿拉伯数字 0–9 填写（如 335），不能用其他文字的数字或带圈、上标等特殊数字"
            "（如“٣”“१”“⑤”“²”）。",
            code="digits",
        )
    text = normalise(raw_text)
    if not text:
        return None
    suffix = normalise(unit)
    if suffix and text.endswith(suffix) and len(text) > len(suffix):
        text = text[: -len(suffix)]
    if SUFFIXED_NUMBER.fullmatch(text):
        where = f"（本项单位为{unit}）" if unit else ""
        raise ValidationError(f"请只填写数字，不要带单位或文字{where}。", code="unit")
    if CHINESE_NUMERALS.search(text):
        raise ValidationError(
            "请用阿拉伯数字填写（如 400），不能用汉字数字（如“四百”）。", code="chinese"
        )
    if "," in text:
        if not GROUPED_NUMBER.fullmatch(text):
            raise ValidationError(
                "千分位逗号的位置不对：请写成 1,234.5，或不加逗号写 1234.5。", code="grouping"
            )
        text = text.replace(",", "")
    if not PLAIN_NUMBER.fullmatch(text):
        raise ValidationError(
            "请只填写数字，如 335 或 1,234.5（不要填写文字、公式或其他符号）。", code="invalid"
        )
    try:
        return Decimal(text)
    except InvalidOperation as error:  # pragma: no cover - the pattern already matched
        raise ValidationError("请只填写数字。", code="invalid") from error


class NumberField(forms.Field):
    """A Decimal typed the way people type it (see parse_number)."""

    widget = forms.TextInput

    def __init__(
        self,
        *,
        unit: str = "",
        min_value: Decimal | None = Decimal(0),
        max_value: Decimal | None = None,
        decimal_places: int = 4,
        range_message: str = "",
        **kwargs,
    ) -> None:
        self.unit = unit
        # Shown beside the label, unless the label already says it (workflow.wording).
        self.show_unit = True
        self.min_value, self.max_value = min_value, max_value
        self.decimal_places = decimal_places
        self.range_message = range_message
        super().__init__(**kwargs)

    def widget_attrs(self, widget) -> dict:
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off"})
        return attrs

    def prepare_value(self, value):
        # The column keeps four places; show what was typed (262, not 262.0000).
        if isinstance(value, Decimal) and value.is_finite():
            return format(value.normalize(), "f")
        return value

    def to_python(self, value) -> Decimal | None:
        return parse_number(value, self.unit)

    def validate(self, value: Decimal | None) -> None:
        super().validate(value)
        if value is None:
            return
        if not value.is_finite() or abs(value) >= MAX_MAGNITUDE:
            where = f"（本项单位为{self.unit}）" if self.unit else ""
            raise ValidationError(
                f"数值过大：须小于 {MAX_MAGNITUDE:f}，请检查单位是否正确{where}。",
                code="max_value",
            )
        if self.min_value is not None and value < self.min_value:
            message = self.range_message or (
                "不能为负数。" if self.min_value == 0 else f"不能小于 {self.min_value}。"
            )
            raise ValidationError(message, code="min_value")
        if self.max_value is not None and value > self.max_value:
            raise ValidationError(
                self.range_message or f"不能大于 {self.max_value}。", code="max_value"
            )
        if -value.normalize().as_tuple().exponent > self.decimal_places:
            if self.decimal_places == 0:
                raise ValidationError(
                    f"请填写整数（单位为{self.unit}）。", code="max_decimal_places"
                )
            raise ValidationError(
                f"最多保留 {self.decimal_places} 位小数。", code="max_decimal_places"
            )


class LenientDateField(forms.DateField):
    """A date as 2025-03-26, 2025/3/26, 2025.3.26 or 2025年3月26日, in any width."""

    input_formats = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]
    default_error_messages = {"invalid": "日期格式不对，请写成 2025-03-26。"}

    def to_python(self, value):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, str):
            value = normalise(value)
        return super().to_python(value)


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if isinstance(value, date) else value


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (Django's documented pattern); cleans to a list."""

    def __init__(self, *args, max_files: int = 10, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        self.max_files = max_files
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list:
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if len(files) > self.max_files:
            raise ValidationError(f"一次最多上传 {self.max_files} 个文件。")
        cleaned, errors = [], []
        for item in files:
            if getattr(item, "size", None) == 0:
                # An empty file is refused by name with the other checks of each file
                # (the form's), so the other files of the same choice are kept.
                cleaned.append(item)
                continue
            try:
                cleaned.append(super().clean(item, initial))
            except ValidationError as error:
                name = getattr(item, "name", "") or "未命名文件"
                errors.extend(f"未能上传佐证材料：“{name}”：{m}" for m in error.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


class TextField(forms.CharField):
    """Free text with line ends stored one way (browsers send CRLF; spreadsheets and
    XML give LF), so the same text typed twice compares equal."""

    def to_python(self, value) -> str:
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n")


def text_field(model: type[Model], name: str, *, rows: int = 3, **kwargs) -> forms.CharField:
    """A free-text field with the model column's label and length limit."""
    field = model._meta.get_field(name)
    limit = field.max_length
    return TextField(
        label=field.verbose_name,
        max_length=limit,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": limit}),
        error_messages={
            "max_length": f"{field.verbose_name}不能超过 {limit} 字"
            "（目前为 %(show_value)d 字），请精简后再保存。"
        },
        **kwargs,
    )


def version_field() -> forms.IntegerField:
    # The version the form was opened at (0: no entry yet) is what lets a save that
    # would overwrite someone else's be refused, so it is never optional.
    expired = "页面已过期，请刷新后重新填写。"
    return forms.IntegerField(
        min_value=0,
        widget=forms.HiddenInput,
        error_messages={"required": expired, "invalid": expired, "min_value": expired},
    )
