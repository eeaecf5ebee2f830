"""The key-project table: one row per project, with a totals row for the filtered set."""

from typing import Any

import django_tables2 as tables
from django.urls import reverse

from org.models import Department
from projects.models import KeyProject
from projects.queries import Totals
from targets.tables import (
    NOWRAP,
    NUM,
    AmountColumn,
    NameColumn,
    RatioColumn,
    department_cell,
    low,
    nulls_last,
)
from targets.templatetags.zy import format_amount


class YesNoColumn(tables.Column):
    empty_values = ()

    def render(self, value: Any) -> str:
        return "是" if value else "否"

    def value(self, value: Any) -> str:
        return self.render(value)


class ProjectTable(tables.Table):
    code = tables.Column("项目编号", attrs=NOWRAP, footer=lambda table: "合计")
    name = NameColumn(
        "项目名称",
        url=lambda record: reverse("projects:detail", args=[record.pk]),
        footer=lambda table: f"{table.totals.count} 个项目" if table.totals else "",
    )
    programme = tables.Column(
        "所属工程",
        accessor="programme__short_name",
        order_by=("programme__number", "code"),
        attrs=low(NOWRAP),
    )
    lead_department = tables.Column(
        "责任单位",
        order_by=("lead_department__sort_order", "lead_department__name"),
        attrs=NOWRAP,
    )
    category = tables.Column("类别", attrs=low(NOWRAP))
    stage = tables.Column("阶段", attrs=NOWRAP)
    total_investment = AmountColumn(
        "总投资（亿元）", attrs=low(NUM), footer=lambda table: _footer(table, "total_investment")
    )
    annual_plan = AmountColumn(
        "年度计划投资（亿元）", footer=lambda table: _footer(table, "annual_plan")
    )
    invested = AmountColumn("本年完成投资（亿元）", footer=lambda table: _footer(table, "invested"))
    plan_ratio = RatioColumn("完成年度计划")
    leading_industry = YesNoColumn("主导产业", attrs=low(NOWRAP))
    national_reserve_on = tables.DateColumn(
        verbose_name="入国家库日期", format="Y年n月j日", attrs=low(NOWRAP)
    )

    class Meta:
        model = KeyProject
        fields = ()
        attrs = {"class": "data"}
        empty_text = "没有符合条件的项目。"
        order_by_field = "sort"
        template_name = "django_tables2/table.html"

    def __init__(self, *args: Any, totals: Totals | None = None, **kwargs: Any) -> None:
        self.totals = totals
        super().__init__(*args, **kwargs)

    order_total_investment = nulls_last("total_investment")
    order_annual_plan = nulls_last("annual_plan")
    order_invested = nulls_last("invested")
    order_plan_ratio = nulls_last("plan_ratio")
    order_national_reserve_on = nulls_last("national_reserve_on")

    def value_lead_department(self, record: KeyProject) -> str:
        return str(record.lead_department)

    def render_lead_department(self, value: Department) -> str:
        return department_cell(self, value)

    def value_national_reserve_on(self, record: KeyProject) -> Any:
        return record.national_reserve_on


def _footer(table: ProjectTable, field: str) -> str:
    return format_amount(getattr(table.totals, field)) if table.totals else ""
