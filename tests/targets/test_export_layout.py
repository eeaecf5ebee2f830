"""Exports that stand alone: a title and a 数据截至 line above the table, the page's
totals row below it, columns as wide as their longest cell (CJK counted as two), the
header frozen and repeated, landscape A4 one page wide; and, where LibreOffice is
installed, that such a sheet really prints one page wide."""

import io
import re
import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal as D

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from targets.exports import HEADER_ROW, Heading, display_width, write_csv, write_xlsx
from tests.conftest import require
from tests.projects.test_project_pages import page, year  # noqa: F401 (fixture)
from tests.targets.test_dashboard_data import html_table

pytestmark = pytest.mark.django_db

SUBTITLE = re.compile(r"^数据截至 (\d{4})年(\d{1,2})月末 · 导出于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}$")


def load(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content)).active


@pytest.mark.parametrize(
    ("text", "width"),
    [("", 0), ("P-1", 3), ("项目名称", 8), ("总投资（亿元）", 14), ("（注）A", 7), ("83.3%", 5)],
)
def test_display_width_counts_cjk_as_two(text, width):
    assert display_width(text) == width


def test_heading_says_the_month_and_the_export_time():
    heading = Heading(title="t", period=date(2025, 6, 1), exported_at=datetime(2025, 7, 3, 9, 5))
    assert heading.subtitle == "数据截至 2025年6月末 · 导出于 2025-07-03 09:05"
    empty = Heading(title="t", period=None, exported_at=datetime(2025, 7, 3, 9, 5))
    assert empty.subtitle == "数据截至 尚无数据 · 导出于 2025-07-03 09:05"


def test_project_export_has_title_cutoff_and_the_pages_totals(client, year):  # noqa: F811
    html = page(client, "/projects/?month=2025-06")
    foot = html_table(html, **{"class": "data"})["foot"][0]
    sheet = load(client.get("/projects/?month=2025-06&export=xlsx").content)
    assert sheet["A1"].value == "2025年重点项目推进情况"
    assert SUBTITLE.match(sheet["A2"].value).groups() == ("2025", "6")
    assert sheet.cell(row=HEADER_ROW, column=1).value == "项目编号"
    rows = [list(r) for r in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    assert len(rows) == 3 + 1  # three projects, then the totals row
    totals = ["" if v is None else str(v) for v in rows[-1]]
    # Numbers as numbers (2409.2, not "2409.2"), equal to what the page's footer shows.
    assert [t.replace("—", "") for t in foot] == [
        t.rstrip("0").rstrip(".") if "." in t else t for t in totals
    ]
    assert rows[-1][:2] == ["合计", "3 个项目"]
    assert isinstance(rows[-1][6], int | float)
    assert sheet.cell(row=HEADER_ROW + 4, column=1).font.bold


def test_project_export_page_setup_prints_landscape_one_page_wide(client, year):  # noqa: F811
    sheet = load(client.get("/projects/?export=xlsx").content)
    setup = sheet.page_setup
    assert (setup.orientation, str(setup.paperSize)) == ("landscape", "9")  # 9: A4
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"


def test_column_widths_fit_the_longest_cell(client, year):  # noqa: F811
    sheet = load(client.get("/projects/?export=xlsx").content)
    for column in range(1, sheet.max_column + 1):
        cells = [sheet.cell(row=r, column=column) for r in range(HEADER_ROW, sheet.max_row + 1)]
        longest = max(display_width(shown(c)) for c in cells)
        width = sheet.column_dimensions[get_column_letter(column)].width
        assert width >= longest, (sheet.cell(row=HEADER_ROW, column=column).value, width, longest)
    # The name column is wider than its header "项目名称" (8)：须水河道路提升工程 is 18.
    assert sheet.column_dimensions["B"].width >= 18


def shown(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if cell.number_format == "0.0%":
        return f"{D(str(value)) * 100:.1f}%"
    if isinstance(value, datetime):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def test_programme_export_has_title_and_cutoff_and_no_totals_row(client, year):  # noqa: F811
    sheet = load(client.get("/programmes/1/?export=xlsx").content)
    assert sheet["A1"].value.startswith("2025年第1工程")
    assert SUBTITLE.match(sheet["A2"].value)
    # The programme page's table has no footer, so the sheet has none either.
    assert sheet.max_row == HEADER_ROW + 2


def test_csv_stays_a_bare_table_with_its_bom(client, year):  # noqa: F811
    content = client.get("/projects/?export=csv").content
    assert content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("项目编号,项目名称")
    assert len(lines) == 1 + 3  # header and the three projects: nothing to skip on import
    assert write_csv(["a"], [[1]]) == b"\xef\xbb\xbfa\r\n1\r\n"


def wide_sheet() -> bytes:
    headers = [f"第{n}列数据项" for n in range(1, 19)]
    rows = [[f"中原区某某单位第{r}行第{c}列" for c in range(1, 19)] for r in range(1, 61)]
    heading = Heading(title="打印测试", period=date(2025, 6, 1), exported_at=datetime(2025, 7, 1))
    return write_xlsx(headers, rows, title="打印测试", heading=heading, totals=None)


def test_a_wide_sheet_prints_one_page_wide_in_libreoffice(tmp_path):
    office = shutil.which("libreoffice") or shutil.which("soffice")
    require(office is not None, "LibreOffice (libreoffice-calc-nogui)")
    source = tmp_path / "wide.xlsx"
    source.write_bytes(wide_sheet())
    subprocess.run(
        [
            *(office, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile"),
            *("--convert-to", "pdf", "--outdir", str(tmp_path), str(source)),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = (tmp_path / "wide.pdf").read_bytes()
    pages = pdf_pages(pdf)
    # 18 columns of ~30 characters would take 4+ portrait pages across; fitted to width,
    # 60 rows take a page or two down, and never more pages than rows allow.
    assert 1 <= len(pages) <= 3
    for width, height in pages:
        assert width > height  # landscape
        assert round(width) in (841, 842) and round(height) in (595, 596)  # A4


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's (width, height) in points, from its MediaBox (pdfinfo not needed)."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    count = re.findall(rb"/Type\s*/Page\b", pdf)
    assert boxes and count
    return [(float(b[2]) - float(b[0]), float(b[3]) - float(b[1])) for b in boxes][: len(count)]
