"""Build a department's month as an .xlsx template (openpyxl), current values filled in.

Only the cells a row may fill are unlocked; the sheet is protected (without a
password: protection guides the hand, the upload checks everything anyway).
"""

from collections import defaultdict
from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from reporting.excel.layout import (
    COLUMNS,
    DATA_SHEET,
    FIRST_DATA_ROW,
    HEADER_ROW,
    HELP_SHEET,
    INDEX,
    meta_text,
    row_id,
)
from reporting.queries import MonthPage
from workflow import wording
from workflow.registry import registry
from workflow.states import EntryState

HEADER_FILL = PatternFill("solid", fgColor="EEF2F7")
INPUT_FILL = PatternFill("solid", fgColor="FFFBE6")
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP = Alignment(wrap_text=True, vertical="top")
UNLOCKED = Protection(locked=False)


def _state_text(row) -> str:
    """The row's state as the month page shows it: what is owed decides between 未填
    and 无需填报 (each kind's rule, through its adapter), with 逾期未完成 beside it."""
    if row.state is None:
        text = "未填" if row.owes else "无需填报"
    else:
        label = EntryState(row.state).label
        text = f"{label}（已锁定）" if row.state == EntryState.APPROVED else label
    return f"{text}（{row.note}）" if row.note else text


def _set(ws, row: int, key: str, value) -> None:
    cell = ws.cell(row=row, column=INDEX[key])
    if hasattr(value, "normalize"):  # Decimal: a plain number in the sheet
        value = float(value)
    cell.value = value
    # Text someone typed on the web page is never turned into a formula here.
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    if isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"


def _row_values(row, period: date) -> dict:
    adapter = registry.get(row.kind)
    entry = row.entry
    values = {
        "id": row_id(row.kind, row.subject.pk, entry.version if entry else 0),
        "state": _state_text(row),
        **adapter.sheet_values(row.subject, entry, row.previous, period),
    }
    if entry is not None:
        values["return_reason"] = entry.return_reason if entry.state == EntryState.RETURNED else ""
    return values


def _write_row(ws, number: int, values: dict, inputs: dict, locked: bool) -> None:
    for column in COLUMNS:
        cell = ws.cell(row=number, column=INDEX[column.key])
        _set(ws, number, column.key, values.get(column.key))
        cell.alignment = WRAP
        if column.key in inputs and not locked:
            cell.protection = UNLOCKED
            cell.fill = INPUT_FILL
        elif column.key in ("figure", "investment", "done_on", "choice", *inputs):
            cell.fill = LOCKED_FILL


def _validations(ws, choice_rows: dict[str, list[int]], last_row: int) -> None:
    numbers = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="请填写数字",
        error="数值只能填写不小于 0 的数字（不带单位）。",
    )
    dates = DataValidation(
        type="date",
        operator="greaterThan",
        formula1="1",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="请填写日期",
        error="完成日期请写成 2025-03-26 这样的日期。",
    )
    ws.add_data_validation(numbers)
    ws.add_data_validation(dates)
    if last_row >= FIRST_DATA_ROW:
        for key in ("figure", "investment"):
            letter = get_column_letter(INDEX[key])
            numbers.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}")
        letter = get_column_letter(INDEX["done_on"])
        dates.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}")
    letter = get_column_letter(INDEX["choice"])
    for labels, rows in choice_rows.items():
        if not rows:
            continue
        listing = DataValidation(
            type="list", formula1=f'"{labels}"', allow_blank=True, showErrorMessage=True
        )
        ws.add_data_validation(listing)
        for number in rows:
            listing.add(f"{letter}{number}")


def _help_sheet(wb: Workbook, page: MonthPage) -> None:
    ws = wb.create_sheet(HELP_SHEET)
    ws.column_dimensions["A"].width = 110
    due = page.due_on
    lines = [
        f"{page.department.name} {page.period.year}年{page.period.month}月 月度进展填报说明",
        "",
        f"1. 本表为{page.period.year}年{page.period.month}月的填报表，"
        f"报送截止日期为{due.year}年{due.month}月{due.day}日。",
        "2. 每个指标、每个重点项目占一行。只填写浅黄色单元格；灰色单元格不可修改。"
        "请不要增加、删除或调换行列，不要修改隐藏的 A 列（行标识）。",
        f"3. 指标填在“{wording.TARGET_FIGURE_COLUMN}”列：累计型指标填写"
        f"{wording.year_to_date(page.period.month)}数（不是当月新增数），"
        "单位见“单位”列，只填数字，不要带单位；可写 1234.5 或 1,234.5。",
        "4. 累计数低于上月已报送的累计数时，须在“数值下调说明”列写明原因。",
        "5. 水平型指标填写月末水平值，控制型指标填写月末数量。",
        "6. 节点型指标在同一列填写完成进度（0–100 的数字）；全部完成的，"
        "在“完成日期”列填写完成日期（如 2025-03-26），不得晚于今天和所报月份。",
        "7. 定性型指标在“评估结论/达到阶段”列从下拉列表中选择评估结论。",
        f"8. 重点项目在“{wording.PROJECT_FIGURE_COLUMN}”列填写本月新完成的投资"
        "（不是累计数，没有投资填 0），"
        "在“评估结论/达到阶段”列选择项目达到的阶段。",
        "9. 进度滞后或严重滞后的指标，以及本年累计完成投资落后于年度计划序时进度（超过允许偏差）的"
        "重点项目，提交时必须填写“存在问题”和“下步计划”。",
        "10. 请直接填写数值，不要使用公式：含公式的单元格会被拒绝。",
        "11. 已审核通过的行已锁定，不会被上传修改；如需修改请联系督查室重新打开。",
        "12. 派生指标（如重点项目个数、签约额）由系统根据项目台账自动汇总，不在本表中。",
        "13. 上传时，只要有一行不符合要求，整个文件都不会导入；系统会列出每一行的问题，"
        "修改后重新上传即可。上传后也可在网页上逐条检查、补充佐证材料。",
        "14. 如下载后有人在网页上修改了同一条记录，上传时该行会被拒绝，请重新下载最新的表格。",
        "15. 数值明显异常（如超过目标值的数倍、约为上月的上百倍，常见于把平方米误填为万平方米）时，"
        "系统会提示核实；确认数值无误的，请在“说明”列用一句话写明原因，该行导入后标记为“异常”。",
    ]
    for number, line in enumerate(lines, start=1):
        ws.cell(row=number, column=1, value=line).alignment = Alignment(wrap_text=True)
    ws["A1"].font = Font(bold=True, size=13)
    ws.protection.sheet = True


def build_template(page: MonthPage) -> bytes:
    """The department's month as an .xlsx file."""
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    ws["A1"] = meta_text(page.department.code, page.period)
    month = f"{page.period.year}年{page.period.month}月"
    title = f"{page.department.name} {month} 目标任务与重点项目月度进展填报表"
    ws.cell(row=1, column=2, value=title).font = Font(bold=True, size=13)
    due = page.due_on
    ws.cell(
        row=2,
        column=2,
        value=f"报送截止：{due.year}年{due.month}月{due.day}日。只填写浅黄色单元格，"
        "填写方法见“填写说明”工作表。",
    )
    for column in COLUMNS:
        cell = ws.cell(row=HEADER_ROW, column=INDEX[column.key], value=column.header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
        ws.column_dimensions[get_column_letter(INDEX[column.key])].width = column.width
    ws.column_dimensions["A"].hidden = True
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=INDEX["measure"])

    number = HEADER_ROW
    choice_rows: dict[str, list[int]] = defaultdict(list)
    for row in page.rows:
        number += 1
        locked = row.state == EntryState.APPROVED
        spec = registry.get(row.kind).sheet_spec(row.subject)
        _write_row(ws, number, _row_values(row, page.period), spec.inputs, locked)
        if spec.choices and not locked:
            choice_rows[",".join(spec.choices)].append(number)
    _validations(ws, choice_rows, number)
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widths may be changed; contents may not
    _help_sheet(wb, page)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def template_filename(page: MonthPage) -> str:
    return f"{page.department.short_name}-{page.period.year}年{page.period.month}月进展填报表.xlsx"
