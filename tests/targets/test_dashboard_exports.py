"""The programme table exported to .xlsx and .csv: the same rows as the page, typed
cells, Chinese headers, the as-of month and sort order applied, formulas neutralised."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal as D

import openpyxl
import pytest

from org.models import Role
from targets import snapshots
from targets.exports import HEADER_ROW, Percent, neutralise, table_rows, write_csv, write_xlsx
from targets.queries import programme_targets, programmes_at, resolve_as_of
from targets.tables import ProgrammeTargetTable
from targets.templatetags.zy import format_amount
from tests import factories as f
from tests.targets.test_dashboard_data import TODAY, build_small_year, html_table

pytestmark = pytest.mark.django_db

HEADERS = [
    "编号",
    "指标",
    "类型",
    "目标值",
    "实际值",
    "单位",
    "完成率",
    "序时进度",
    "落后序时（百分点）",
    "状态",
    "牵头单位",
    "完成时限",
    "最近报送",
]


@pytest.fixture
def small(settings, client):
    settings.SITE_TODAY = TODAY
    client.force_login(f.user("leader-1", Role.LEADER))
    return build_small_year()


def workbook_rows(content: bytes) -> tuple[list[list], openpyxl.worksheet.worksheet.Worksheet]:
    """The table part of an exported sheet (header first), below its title lines."""
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(min_row=HEADER_ROW, values_only=True)], sheet


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the Chinese as UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def shown(cell) -> str:
    """A workbook cell as the page shows it (percent cells carry a percent format)."""
    if cell.value is None:
        return "—"
    if cell.number_format == "0.0%":
        return f"{D(str(cell.value)) * 100:.1f}%"
    if isinstance(cell.value, datetime):
        return f"{cell.value.year}年{cell.value.month}月{cell.value.day}日"
    if isinstance(cell.value, int | float):
        return format_amount(cell.value, 2)
    return str(cell.value)


def test_programme_xlsx_holds_the_rows_of_the_page(client, small):
    page = html_table(client.get("/programmes/1/").content.decode(), **{"class": "data"})
    response = client.get("/programmes/1/?export=xlsx")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''2025%E5%B9%B4%E7%AC%AC1%E5%B7%A5%E7%A8%8B"
        "%E4%BA%A7%E4%B8%9A%E9%9B%86%E7%BE%A4_%E6%88%AA%E8%87%B32025-06.xlsx"
    )
    rows, sheet = workbook_rows(response.content)
    assert rows[0] == HEADERS == page["head"][0]
    assert rows[1:] == [
        [
            *("1.1", "新引进项目签约额", "累计型", 400, 200, "亿元", 0.5, 0.5, 0, "正常推进"),
            *("区发改委", datetime(2025, 12, 31), "2025年6月"),
        ],
        [
            *("1.2", "新建中小学、幼儿园", "累计型", 12, 2, "所", 0.167, 0.5, 33.3, "严重滞后"),
            *("区教育局", datetime(2025, 12, 31), "2025年6月"),
        ],
    ]
    as_shown = [[shown(c) for c in row] for row in sheet.iter_rows(min_row=HEADER_ROW + 1)]
    assert as_shown == page["body"]


def test_programme_csv_holds_the_rows_of_the_page(client, small):
    page = html_table(client.get("/programmes/1/").content.decode(), **{"class": "data"})
    response = client.get("/programmes/1/?export=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response.content)
    assert rows[0] == HEADERS
    assert rows[1:] == [[cell.replace("—", "") for cell in row] for row in page["body"]]


def test_programme_export_takes_the_month_and_the_sort_order(client, small):
    rows = csv_rows(client.get("/programmes/1/?month=2025-03&sort=ratio&export=csv").content)
    assert [(r[0], r[4], r[6], r[12]) for r in rows[1:]] == [
        ("1.2", "1", "8.3%", "2025年3月"),
        ("1.1", "100", "25.0%", "2025年3月"),
    ]


def test_programme_export_neutralises_formula_text_and_keeps_negative_numbers(client, small):
    small.signing.title = '=HYPERLINK("http://example.invalid","点击")'
    small.signing.save()
    small.fgw.short_name = "@SUM(1+1)"
    small.fgw.save()
    # 260 of 400 in June is 65.0% against 50.0%: 15 points ahead, a negative gap.
    small.signing.entries.filter(period=date(2025, 6, 1)).update(value=D(260))
    snapshots.recompute_plan_year(plan_year=small.year, today=TODAY)
    _, sheet = workbook_rows(client.get("/programmes/1/?export=xlsx").content)
    first = HEADER_ROW + 1
    title, department, gap = sheet[f"B{first}"], sheet[f"K{first}"], sheet[f"I{first}"]
    assert (title.value, title.data_type) == (
        '\'=HYPERLINK("http://example.invalid","点击")',
        "s",
    )
    assert (department.value, department.data_type) == ("'@SUM(1+1)", "s")
    assert (gap.value, gap.data_type) == (-15, "n")
    rows = csv_rows(client.get("/programmes/1/?export=csv").content)
    assert (rows[1][1], rows[1][8], rows[1][10]) == (
        '\'=HYPERLINK("http://example.invalid","点击")',
        "-15",
        "'@SUM(1+1)",
    )


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+8613800000000", "'+8613800000000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("签约额=400亿元", "签约额=400亿元"),
        ("—", "—"),
        ("", ""),
    ],
)
def test_neutralise_prefixes_only_formula_like_text(text, written):
    assert neutralise(text) == written


def test_writers_keep_numbers_numeric_and_text_inert():
    headers = ["文本", "数", "负数", "比例", "日期", "空"]
    rows = [
        [
            "=cmd|' /C calc'!A0",
            D("2409.2"),
            D("-16.7"),
            Percent(D("0.8333")),
            date(2025, 6, 30),
            None,
        ]
    ]
    text = list(csv.reader(io.StringIO(write_csv(headers, rows).decode("utf-8-sig"))))
    assert text == [
        headers,
        ["'=cmd|' /C calc'!A0", "2409.2", "-16.7", "83.3%", "2025年6月30日", ""],
    ]
    book, sheet = workbook_rows(write_xlsx(headers, rows, title="测试"))
    assert book == [
        headers,
        ["'=cmd|' /C calc'!A0", 2409.2, -16.7, 0.833, datetime(2025, 6, 30), None],
    ]
    first = HEADER_ROW + 1
    assert [c.data_type for c in sheet[first]] == ["s", "n", "n", "n", "d", "n"]
    assert (sheet[f"D{first}"].number_format, sheet.title) == ("0.0%", "测试")


def test_table_rows_equal_what_django_tables2_gives(small):
    as_of = resolve_as_of(month=None, today=TODAY)
    table = ProgrammeTargetTable(programme_targets(programmes_at(as_of)[0], as_of))
    headers, rows = table_rows(table)
    slow = [[row.get_cell_value(c.name) for c in table.columns.iterall()] for row in table.rows]
    assert (headers, rows) == (HEADERS, slow)


def test_export_of_an_unknown_format_renders_the_page(client, small):
    response = client.get("/programmes/1/?export=pdf")
    assert (response.status_code, response["Content-Type"]) == (200, "text/html; charset=utf-8")


def test_milestone_exports_as_it_shows(small, client):
    response = client.get("/programmes/2/?export=csv")
    header, row = csv_rows(response.content)
    assert dict(zip(header, row, strict=True))["目标值"] == "2025年6月30日前完成"
    assert dict(zip(header, row, strict=True))["实际值"] == "未完成（50%）"
