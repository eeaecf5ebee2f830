"""django-tables2 tables of the reporting pages: the timeliness ranking, sortable by
every column and exported as the page shows it (targets/exports.py)."""

import django_tables2 as tables

from targets.tables import NUM, RatioColumn


class TimelinessTable(tables.Table):
    """One row per department (reporting.timeliness.Tally)."""

    department = tables.Column(
        "责任单位", accessor="department__name", order_by=("department__sort_order",)
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
