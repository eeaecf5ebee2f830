"""Reading numbers the way district staff type them (pure, no database)."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from workflow.fields import parse_number
from workflow.uploads import clean_name, human_size

CHINESE = "请用阿拉伯数字填写（如 400），不能用汉字数字（如“四百”）。"
NOT_A_NUMBER = "请只填写数字，如 335 或 1,234.5（不要填写文字、公式或其他符号）。"
GROUPING = "千分位逗号的位置不对：请写成 1,234.5，或不加逗号写 1234.5。"


@pytest.mark.parametrize(
    ("typed", "unit", "expected"),
    [
        ("335", "", D(335)),
        ("３３５", "", D(335)),
        ("３３５．３", "亿元", D("335.3")),
        ("1,234.5", "", D("1234.5")),
        ("1，234.5", "", D("1234.5")),
        ("12,345,678", "", D(12345678)),
        ("  0.5 ", "", D("0.5")),
        ("．5", "", D("0.5")),
        ("85%", "%", D(85)),
        ("85％", "%", D(85)),
        ("335亿元", "亿元", D(335)),
        ("-3", "", D(-3)),  # the sign is the field's business, not the parser's
        ("", "", None),
        ("　", "", None),
        (None, "", None),
        (12, "", D(12)),
        (0.1, "", D("0.1")),
        (D("2.50"), "", D("2.50")),
    ],
)
def test_parse_number_understands(typed, unit, expected):
    assert parse_number(typed, unit) == expected


@pytest.mark.parametrize(
    ("typed", "unit", "message"),
    [
        ("四百", "", CHINESE),
        ("四百亿元", "亿元", CHINESE),
        ("3万", "", "请只填写数字，不要带单位或文字。"),
        ("两", "", CHINESE),
        ("约200", "", NOT_A_NUMBER),
        ("200亿元", "万平方米", "请只填写数字，不要带单位或文字（本项单位为万平方米）。"),
        ("85%", "", "请只填写数字，不要带单位或文字。"),
        ("1e3", "", NOT_A_NUMBER),
        ("=SUM(A1)", "", NOT_A_NUMBER),
        ("1.2.3", "", NOT_A_NUMBER),
        ("NaN", "", NOT_A_NUMBER),
        ("1,23", "", GROUPING),
        ("1234,567", "", GROUPING),
        (",5", "", GROUPING),
        (True, "", "请填写数字。"),
    ],
)
def test_parse_number_refuses_with_a_message(typed, unit, message):
    with pytest.raises(ValidationError) as refused:
        parse_number(typed, unit)
    assert refused.value.messages == [message]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("报告.pdf", "报告.pdf"),
        ("C:\\Users\\张三\\桌面\\报告.pdf", "报告.pdf"),
        ("../../etc/passwd", "passwd"),
        ("a\x00b\n.png", "ab.png"),
        ("", "未命名文件"),
        ("长" * 300 + ".docx", "长" * 195 + ".docx"),
    ],
)
def test_clean_name_keeps_only_a_safe_display_name(name, expected):
    assert clean_name(name) == expected


@pytest.mark.parametrize(
    ("size", "text"),
    [(512, "512 字节"), (2048, "2 KB"), (10 * 1024 * 1024, "10 MB"), (1572864, "1.5 MB")],
)
def test_human_size_reads_like_a_file_manager(size, text):
    assert human_size(size) == text


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        (D("262.0000"), "262"),
        (D("10.6000"), "10.6"),
        (D("100"), "100"),
        (D("0.0500"), "0.05"),
        ("1,234.5", "1,234.5"),
    ],
)
def test_number_field_shows_what_was_typed_not_the_columns_four_places(stored, shown):
    from workflow.fields import NumberField

    assert NumberField().prepare_value(stored) == shown
