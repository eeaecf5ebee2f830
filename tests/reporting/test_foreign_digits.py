"""Only ASCII and full-width digits are numbers: Python reads every script's digits
(Decimal("٣٤٥") == 345) and NFKC turns circled and mathematical digits into ASCII, so
without a check these would be stored as figures nobody typed knowingly."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from workflow.fields import NumberField, parse_number

FOREIGN = (
    "请用阿拉伯数字 0–9 填写（如 335），不能用其他文字的数字或带圈、上标等特殊数字"
    "（如“٣”“१”“⑤”“²”）。"
)


@pytest.mark.parametrize(
    "typed",
    [
        "٣٤٥",  # Arabic-Indic
        "۳۴۵",  # extended Arabic-Indic (Persian)
        "१२३",  # Devanagari
        "𝟓",  # mathematical bold
        "⑤",  # circled
        "5²",  # superscript
        "1٣",  # one foreign digit among ASCII ones
        "๕",  # Thai
    ],
)
def test_foreign_digits_are_refused_with_a_chinese_message(typed):
    with pytest.raises(ValidationError) as refused:
        parse_number(typed)
    assert refused.value.messages == [FOREIGN]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("345", Decimal(345)), ("３４５", Decimal(345)), ("１，２３４．５", Decimal("1234.5"))],
)
def test_ascii_and_full_width_digits_are_still_numbers(typed, expected):
    assert parse_number(typed) == expected


def test_the_number_field_refuses_them_too():
    with pytest.raises(ValidationError) as refused:
        NumberField(unit="亿元").clean("٣٤٥")
    assert refused.value.messages == [FOREIGN]
