"""The monthly workbook's layout, shared by the template and the reader.

Sheet 1 (月度填报) holds one row per manual target and per key project; column A
(hidden and locked) identifies each row and the version of the entry it was
downloaded with, so an upload that would overwrite someone's later change is refused
like any other concurrent edit. Cell A1 names the template, department and month.
Sheet 2 (填写说明) explains it in Chinese.
"""

import re
from dataclasses import dataclass
from datetime import date

from targets.periods import format_period, parse_period
from workflow import wording

DATA_SHEET = "月度填报"
HELP_SHEET = "填写说明"
META_PREFIX = "ZY-MONTH"
# v2: targets' and projects' figures in separate columns (one meaning per column).
META_VERSION = "v2"
HEADER_ROW = 3
FIRST_DATA_ROW = 4
# More rows than any department has; a sheet past this is not one of ours.
MAX_ROWS = 3000
# A row's kind is a registered kind of report (workflow.registry): target, project …
ROW_ID = re.compile(r"([a-z_]{1,20})-(\d{1,12})-v(\d{1,9})")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int


COLUMNS = (
    Column("id", "行标识（勿改）", 16),
    Column("category", "类别", 6),
    Column("code", "编号", 13),
    Column("name", "名称", 34),
    Column("measure", "填报内容", 16),
    Column("unit", "单位", 9),
    Column("previous", "上月数", 11),
    # One meaning per column: a target's year-to-date total (or month-end level),
    # a project's investment of the month itself.
    Column("figure", wording.TARGET_FIGURE_COLUMN, 16),
    Column("investment", wording.PROJECT_FIGURE_COLUMN, 14),
    Column("done_on", "完成日期", 13),
    Column("choice", "评估结论/达到阶段", 16),
    Column("narrative", "进展情况", 40),
    Column("problems", "存在问题", 30),
    Column("next_steps", "下步计划", 30),
    Column("correction_reason", "数值下调说明", 24),
    # A figure the plausibility checks warn about is imported only with a reason here.
    Column("unusual_reason", "说明", 24),
    Column("state", "当前状态", 11),
    Column("return_reason", "退回原因", 30),
)
INDEX = {column.key: number for number, column in enumerate(COLUMNS, start=1)}
HEADERS = {column.key: column.header for column in COLUMNS}
INPUT_KEYS = (
    "figure",
    "investment",
    "done_on",
    "choice",
    "narrative",
    "problems",
    "next_steps",
    "correction_reason",
    "unusual_reason",
)


def meta_text(department_code: str, period: date) -> str:
    return f"{META_PREFIX}|{META_VERSION}|{department_code}|{format_period(period)}"


def parse_meta(text) -> tuple[str, date] | None:
    parts = str(text or "").split("|")
    if len(parts) != 4 or parts[:2] != [META_PREFIX, META_VERSION]:
        return None
    try:
        return parts[2], parse_period(parts[3])
    except ValueError:
        return None


def row_id(kind: str, pk: int, version: int) -> str:
    return f"{kind}-{pk}-v{version}"
