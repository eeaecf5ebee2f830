"""Read an uploaded monthly workbook. The file is untrusted:

- its size is checked by the upload form (settings.UPLOAD_WORKBOOK_MAX_BYTES);
- it is checked as a zip before openpyxl sees it (member count, declared sizes,
  compression ratio: see workflow/uploads.py), and macro workbooks are refused;
- openpyxl parses its XML through defusedxml (``openpyxl.DEFUSEDXML``; a test
  pins it), so entity expansion and external entities are refused;
- formulas are never evaluated: it is opened with ``data_only=False`` and any
  cell that holds a formula is refused with a message.

This module only reads cells; reporting/excel/rows.py checks what they mean.
"""

import zipfile
from dataclasses import dataclass, field
from datetime import date
from typing import IO

import openpyxl
from django.core.exceptions import ValidationError

from reporting.excel.layout import (
    COLUMNS,
    DATA_SHEET,
    FIRST_DATA_ROW,
    HEADERS,
    INDEX,
    INPUT_KEYS,
    MAX_ROWS,
    ROW_ID,
    parse_meta,
)
from workflow import uploads
from workflow.registry import registry


class WorkbookError(Exception):
    """The whole file is refused; the message is for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class SheetRow:
    number: int
    kind: str
    pk: int
    version: int
    cells: dict[str, object]


@dataclass
class ParsedWorkbook:
    department_code: str
    period: date
    rows: list[SheetRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


NOT_OURS = "这不是本系统下载的月度填报模板，请先在“Excel 填报”页面下载模板，填好后再上传。"
FORMULA = (
    "该单元格含有公式，系统不计算公式：请改为直接填写数值或文字（可复制后“选择性粘贴-数值”）。"
)


def _unreadable(error: BaseException) -> WorkbookError:
    # openpyxl wraps what went wrong (say, defusedxml's EntitiesForbidden) in a
    # ValueError; name the root cause, which is what a support person needs.
    while error.__cause__ is not None:
        error = error.__cause__
    name = type(error).__name__
    return WorkbookError(f"无法读取该 Excel 文件（{name}），请使用本系统下载的模板。")


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def open_checked(file: IO[bytes]) -> openpyxl.Workbook:
    try:
        archive = uploads.check_zip(file, what="上传的文件")
    except ValidationError as error:
        raise WorkbookError(error.messages[0]) from error
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise WorkbookError("上传的文件不是 Excel（.xlsx）工作簿。")
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise WorkbookError("不接受含宏的工作簿，请使用本系统下载的 .xlsx 模板。")
    file.seek(0)
    try:
        # read_only: rows are streamed, never the whole sheet in memory at once.
        return openpyxl.load_workbook(file, read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds on malformed or hostile files
        raise _unreadable(error) from error


def read_workbook(file: IO[bytes]) -> ParsedWorkbook:
    """The template's meta data and its filled rows. Raises WorkbookError."""
    book = open_checked(file)
    try:
        if DATA_SHEET not in book.sheetnames:
            raise WorkbookError(f"找不到“{DATA_SHEET}”工作表。{NOT_OURS}")
        return _read_rows(book[DATA_SHEET])
    except WorkbookError:
        raise
    except (zipfile.BadZipFile, ValueError, KeyError, TypeError, OSError, SyntaxError) as error:
        # Parsing is lazy in read-only mode: a hostile sheet fails while it is read
        # (defusedxml's refusals are ValueErrors; XML syntax errors SyntaxErrors).
        raise _unreadable(error) from error
    finally:
        book.close()


def _read_rows(sheet) -> ParsedWorkbook:
    parsed = None
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        if number == 1:
            meta = parse_meta(cells[0].value if cells else None)
            if meta is None:
                raise WorkbookError(NOT_OURS)
            parsed = ParsedWorkbook(*meta)
            continue
        if number < FIRST_DATA_ROW:
            continue
        if number >= FIRST_DATA_ROW + MAX_ROWS:
            raise WorkbookError(f"表格行数过多（超过 {MAX_ROWS} 行）。{NOT_OURS}")
        _read_row(parsed, number, cells)
    if parsed is None:
        raise WorkbookError(NOT_OURS)
    return parsed


def _read_row(parsed: ParsedWorkbook, number: int, cells) -> None:
    formulas = [
        cell for cell in cells if getattr(cell, "data_type", None) == "f" and cell.value is not None
    ]
    for cell in formulas:
        column = cell.column if isinstance(cell.column, int) else INDEX["id"]
        header = COLUMNS[column - 1].header if column <= len(COLUMNS) else f"第{column}列"
        parsed.errors.append(RowError(number, header, FORMULA))
    if formulas:
        return
    values = {column.key: None for column in COLUMNS}
    for cell in cells:
        column = getattr(cell, "column", None)
        if isinstance(column, int) and column <= len(COLUMNS):
            values[COLUMNS[column - 1].key] = cell.value
    inputs = {key: values[key] for key in INPUT_KEYS}
    identity = values["id"]
    if blank(identity):
        if not all(blank(value) for value in inputs.values()):
            parsed.errors.append(
                RowError(
                    number,
                    HEADERS["id"],
                    "这一行没有行标识：请不要自行增加行；表中没有的指标或项目请联系督查室。",
                )
            )
        return
    match = ROW_ID.fullmatch(str(identity).strip())
    if match is None or match.group(1) not in registry:
        parsed.errors.append(
            RowError(number, HEADERS["id"], f"行标识“{identity}”无效，请不要修改隐藏的 A 列。")
        )
        return
    kind, pk, version = match.groups()
    parsed.rows.append(SheetRow(number, kind, int(pk), int(version), inputs))
