"""What a figure means, in the words every page, form and workbook uses (one place):
a target's figure is the year-to-date total (1—N月累计), a project's the month's own
amount (本月完成投资). A reader who sees the same words on the web form, in the
workbook's column and in its row never has to guess which one is asked for."""

PROJECT_UNIT = "亿元"
MONTH_INVESTMENT = "本月完成投资"
LEVEL = "月末水平"
CEILING = "月末数"
MILESTONE_PERCENT = "完成进度（%）"
ASSESSMENT = "评估结论"

# The workbook's figure columns: one per meaning.
TARGET_FIGURE_COLUMN = "指标数值（累计型填1月至本月累计，单位见“单位”列）"


def with_unit(label: str, unit: str) -> str:
    """``1—10月累计（亿元）``; the label alone when there is no unit."""
    return f"{label}（{unit}）" if unit else label


def year_to_date(month: int, unit: str = "") -> str:
    """A cumulative target's figure: the total from January to month ``month``."""
    return with_unit(f"1—{month}月累计", unit)


def month_investment() -> str:
    """A key project's figure: the investment completed in the month itself."""
    return with_unit(MONTH_INVESTMENT, PROJECT_UNIT)


PROJECT_FIGURE_COLUMN = month_investment()
