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
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import django_tables2 as tables
from django.http import HttpResponse
from django.utils.encoding import force_str
from django.utils.http import content_disposition_header
from django_tables2.utils import Accessor
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
PERCENT_FORMAT = "0.0%"
DATE_FORMAT = 'yyyy"年"m"月"d"日"'


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


def write_xlsx(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]  # Excel's limit
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="EEF2F7")
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=column, value=neutralise(header))
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(vertical="center")
        sheet.column_dimensions[get_column_letter(column)].width = max(10, 2.2 * len(header) + 2)
    for row_number, row in enumerate(rows, start=2):
        for column, (value, number_format, text) in enumerate(_xlsx_cells(row), start=1):
            cell = sheet.cell(row=row_number, column=column, value=value)
            if text:
                # openpyxl would store "=…" as a formula; a string is never evaluated.
                cell.data_type = TYPE_STRING
            if number_format:
                cell.number_format = number_format
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_response(table: Any, *, fmt: str, filename: str, title: str) -> HttpResponse:
    """The table as a download; ``fmt`` is "xlsx" or "csv" (checked by the caller)."""
    headers, rows = table_rows(table)
    content = write_xlsx(headers, rows, title=title) if fmt == "xlsx" else write_csv(headers, rows)
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{filename}.{fmt}"
    )
    return response


def requested_format(value: str | None) -> str | None:
    return value if value in FORMATS else None
