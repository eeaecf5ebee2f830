"""Export a django-tables2 table to .xlsx or .csv, as the page shows it.

Cells keep their types: numbers are written as numbers (so a negative gap stays a
number a spreadsheet can sum), ratios as fractions with a percent format, everything
else as text. Text is neutralised against formula injection the way OWASP describes
("CSV Injection"): a cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return gets a leading apostrophe, so no spreadsheet evaluates it; in the
workbook such cells are also stored explicitly as strings. CSV is UTF-8 with a BOM so
that Excel opens the Chinese headers correctly.

Columns say how they export through ``value()`` / ``value_<name>`` (see
``targets/tables.py``); a column returns ``Percent`` for a ratio.

A workbook stands alone when printed or forwarded: a title row, a "数据截至 … · 导出于 …"
line, the header (row ``HEADER_ROW``, frozen and repeated on every printed page), the
rows, and the page's totals row when the table has one (its footer); columns are as wide
as their longest cell (CJK characters counted as two), and it prints landscape on A4,
one page wide. The CSV stays a bare table (BOM, header, rows): it is what people load
into other tools, where a title line above the header or a totals row among the rows
would be read as data; the month it stands at is in its file name.
"""

import csv
import io
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import django_tables2 as tables
from django.http import HttpResponse
from django.utils.encoding import force_str
from django.utils.http import content_disposition_header
from django.utils.timezone import localtime
from django_tables2.utils import Accessor
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
PERCENT_FORMAT = "0.0%"
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
HEADER_ROW = 3  # below the title and the 截至 line
MAX_WIDTH = 80  # a long narrative wraps rather than making one column pages wide


@dataclass(frozen=True)
class Heading:
    """What a sheet says above its table."""

    title: str
    period: date | None  # the month the figures stand at (its first day); None: no data yet
    exported_at: datetime  # local time

    @property
    def subtitle(self) -> str:
        upto = f"{self.period.year}年{self.period.month}月末" if self.period else "尚无数据"
        return f"数据截至 {upto} · 导出于 {self.exported_at:%Y-%m-%d %H:%M}"


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet's default font: a CJK (wide or
    full-width) character takes two, anything else one."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


@dataclass(frozen=True)
class Percent:
    """A ratio (0.8333) exported as the page shows it: 83.3%."""

    ratio: Decimal

    def rounded(self) -> Decimal:
        return self.ratio.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)

    def __str__(self) -> str:
        return f"{(self.ratio * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):f}%"


def neutralise(text: str) -> str:
    """Make text that a spreadsheet would run as a formula inert."""
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def table_totals(table: Any) -> list[Any] | None:
    """The page's totals row, as its table's footer shows it (None when the table has
    no footer): numbers as numbers, the rest as text, blanks as None."""
    if not table.has_footer():
        return None
    cells = []
    for bound in table.columns.iterall():
        if bound.column.exclude_from_export:
            continue
        text = force_str(bound.footer or "").strip()
        try:
            cells.append(Decimal(text) if text else None)
        except ArithmeticError:
            cells.append(text)
    return cells if any(c is not None for c in cells) else None


def table_rows(table: Any) -> tuple[list[str], list[list[Any]]]:
    """The table's headers and typed cell values, every row (not only one page).

    The same values as django-tables2's ``row.get_cell_value`` (a test holds the two
    equal), but with each column's way of getting its value worked out once instead
    of once per cell: that costs an ``inspect.signature`` per cell and made a 7000-row
    export take seconds.
    """
    columns = [c for c in table.columns.iterall() if not c.column.exclude_from_export]
    headers = [force_str(c.header) for c in columns]
    getters = [_cell_getter(table, c) for c in columns]
    rows = [[get(record) for get in getters] for record in table.data]
    return headers, rows


def _cell_getter(table: Any, bound: Any) -> Callable[[Any], Any]:
    method = getattr(table, f"value_{bound.name}", None)
    if method is not None:  # the tables' value_<name>(record) methods
        return lambda record: method(record=record)
    column, accessor = bound.column, Accessor(bound.accessor)
    custom = type(column).value is not tables.Column.value
    field = accessor.get_field(table._meta.model) if table._meta.model else None
    choices = bool(getattr(field, "choices", None))

    def get(record: Any) -> Any:
        if choices:  # the label of a choice, as django-tables2 shows it
            owner, name = accessor.penultimate(record)
            value = getattr(owner, f"get_{name}_display")() if owner is not None else None
        else:
            value = accessor.resolve(record, quiet=True)
        if value in column.empty_values:
            return None
        return column.value(value) if custom else value

    return get


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        text = f"{value:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, int | float | Percent):
        return str(value)
    if isinstance(value, datetime | date):
        return f"{value.year}年{value.month}月{value.day}日"
    return neutralise(force_str(value))


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_text(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_cells(row: Sequence[Any]) -> Iterator[tuple[Any, str | None, bool]]:
    """(value, number format, force text) for each cell."""
    for value in row:
        if value is None:
            yield None, None, False
        elif isinstance(value, bool):
            yield ("是" if value else "否"), None, True
        elif isinstance(value, Percent):
            yield value.rounded(), PERCENT_FORMAT, False
        elif isinstance(value, int | float | Decimal):
            yield value, None, False
        elif isinstance(value, datetime | date):
            yield value, DATE_FORMAT, False
        else:
            yield neutralise(force_str(value)), None, True


def write_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str,
    heading: Heading | None = None,
    totals: Sequence[Any] | None = None,
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]  # Excel's limit
    ncols = max(len(headers), 1)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="EEF2F7")
    widths = [display_width(h) for h in headers]
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=neutralise(header))
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    row_number = HEADER_ROW
    for row_number, row in enumerate(rows, start=HEADER_ROW + 1):
        _write_row(sheet, row_number, row, widths)
    if totals is not None:
        row_number += 1
        _write_row(sheet, row_number, totals, widths)
        top = Border(top=Side(style="thin"))
        for column in range(1, ncols + 1):
            cell = sheet.cell(row=row_number, column=column)
            cell.font, cell.border = bold, top
    heading = heading or Heading(title=title, period=None, exported_at=localtime())
    sheet.cell(row=1, column=1, value=neutralise(heading.title)).font = Font(bold=True, size=14)
    sheet.cell(row=2, column=1, value=heading.subtitle).font = Font(color="555555")
    for line in (1, 2):
        # Merged across the table so the title neither widens column A nor is cut.
        if ncols > 1:
            sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=ncols)
        sheet.cell(row=line, column=1).alignment = Alignment(horizontal="left")
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(MAX_WIDTH, width + 2)
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    _print_setup(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_row(sheet: Worksheet, row_number: int, row: Sequence[Any], widths: list[int]) -> None:
    for column, (value, number_format, text) in enumerate(_xlsx_cells(row), start=1):
        cell = sheet.cell(row=row_number, column=column, value=value)
        if text:
            # openpyxl would store "=…" as a formula; a string is never evaluated.
            cell.data_type = TYPE_STRING
        if number_format:
            cell.number_format = number_format
        if column <= len(widths):
            widths[column - 1] = max(widths[column - 1], display_width(_csv_text(row[column - 1])))
            if widths[column - 1] > MAX_WIDTH:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _print_setup(sheet: Worksheet) -> None:
    """Landscape A4, one page wide (as many pages tall as it takes), the header row
    repeated on every page, centred, with the sheet's name and page number below."""
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


def export_response(
    table: Any,
    *,
    fmt: str,
    filename: str,
    title: str,
    heading: Heading | None = None,
) -> HttpResponse:
    """The table as a download; ``fmt`` is "xlsx" or "csv" (checked by the caller).
    The workbook carries ``heading`` above the table and the table's footer as its
    totals row."""
    headers, rows = table_rows(table)
    if fmt == "xlsx":
        content = write_xlsx(
            headers, rows, title=title, heading=heading, totals=table_totals(table)
        )
    else:
        content = write_csv(headers, rows)
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{filename}.{fmt}"
    )
    return response


def requested_format(value: str | None) -> str | None:
    return value if value in FORMATS else None
