"""django-tables2 tables of the reporting pages: the timeliness ranking, sortable by
every column and exported as the page shows it (targets/exports.py)."""

from typing import Any

import django_tables2 as tables

from targets.tables import NUM, RatioColumn, department_cell


class TimelinessTable(tables.Table):
    """One row per department (reporting.timeliness.Tally)."""

    department = tables.Column(
        "责任单位", order_by=("department__sort_order",), attrs={"td": {"class": "nowrap"}}
    )
    owed = tables.Column("应报", attrs=NUM)
    on_time = tables.Column("按时", attrs=NUM)
    late = tables.Column("迟报", attrs=NUM)
    days_late = tables.Column("迟报天数合计", attrs=NUM)
    missing = tables.Column("漏报", attrs=NUM)
    pending = tables.Column("未到期", attrs=NUM)
    returns = tables.Column("退回次数", attrs=NUM)
    rate = RatioColumn("按时率")

    class Meta:
        attrs = {"class": "data", "data-testid": "timeliness-table"}
        empty_text = "没有需要报送的单位。"
        order_by_field = "sort"
        template_name = "django_tables2/table.html"

    # The glossary's one name for a department (its short name, the full one on hover),
    # as on every other page and export.
    def render_department(self, value: Any) -> str:
        return department_cell(self, value)

    def value_department(self, record: Any) -> str:
        return str(record.department)
