"""Plotly figures for the key-project pages, as plain dicts (see targets/charts.py)."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from projects.models import ProjectProgress, Stage
from targets.charts import (
    NEUTRAL,
    PLAN,
    TARGET_LINE,
    Figure,
    layout,
    month_label,
    number,
    value_axis,
)
from targets.models import PlanYear
from targets.periods import months_between

STAGE_COLOURS = ["#9aa5b1", "#7aa7e0", "#3c78c3", "#1d4f91", "#1e6b34"]


def _year_months(plan_year: PlanYear) -> list[date]:
    return months_between(plan_year.starts_on, plan_year.ends_on)


def _investment_traces(
    months: Sequence[date], monthly: dict[date, Decimal], upto: date | None, annual_plan: Decimal
) -> list[dict[str, Any]]:
    """Monthly bars, the cumulative line up to the as-of month, and the plan line
    (the annual plan spread evenly over the year: the 序时 of investment)."""
    labels = [month_label(m) for m in months]
    shown = [m for m in months if upto is not None and m <= upto]
    running, cumulative = Decimal(0), []
    for m in shown:
        running += monthly.get(m, Decimal(0))
        cumulative.append(number(running))
    plan = [number(annual_plan * (i + 1) / len(months)) for i in range(len(months))]
    return [
        {
            "type": "bar",
            "name": "当月完成投资",
            "x": labels[: len(shown)],
            "y": [number(monthly.get(m)) or 0 for m in shown],
            "marker": {"color": "#9cc3e8"},
            "hovertemplate": "%{x}<br>当月完成 %{y:.2~f}亿元<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": "累计完成投资",
            "x": labels[: len(shown)],
            "y": cumulative,
            "line": {"color": NEUTRAL, "width": 3},
            "hovertemplate": "%{x}<br>累计完成 %{y:.2~f}亿元<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "name": "序时计划（年度计划按月均摊）",
            "x": labels,
            "y": plan,
            "line": {"color": PLAN, "dash": "dot", "width": 2},
            "hovertemplate": "%{x}<br>序时计划 %{y:.2~f}亿元<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "name": "年度计划投资",
            "x": [labels[0], labels[-1]],
            "y": [number(annual_plan), number(annual_plan)],
            "line": {"color": TARGET_LINE, "dash": "dash", "width": 2},
            "hovertemplate": "年度计划 %{y:.2~f}亿元<extra></extra>",
        },
    ]


def investment_by_month(
    plan_year: PlanYear, monthly: dict[date, Decimal], upto: date | None, annual_plan: Decimal
) -> Figure:
    months = _year_months(plan_year)
    # Nothing planned and nothing invested (a filter that matches no project): no
    # traces, so the page says 暂无可显示的数据 instead of drawing a flat zero line.
    nothing = not annual_plan and not any(monthly.values())
    return {
        "data": [] if nothing else _investment_traces(months, monthly, upto, annual_plan),
        "layout": layout(
            xaxis={"type": "category"},
            yaxis=value_axis("完成投资（亿元）"),
            barmode="overlay",
        ),
    }


def stage_counts(counts: dict[str, int]) -> Figure:
    labels = [Stage(code).label for code in counts]
    return {
        "data": [
            {
                "type": "bar",
                "x": labels,
                "y": list(counts.values()),
                "marker": {"color": STAGE_COLOURS[: len(labels)]},
                "text": [str(n) for n in counts.values()],
                "textposition": "outside",
                "hovertemplate": "%{x}<br>%{y} 个项目<extra></extra>",
                "name": "项目数",
            }
        ],
        "layout": layout(
            yaxis=value_axis("项目数（个）", tickformat="d"),
            xaxis={"type": "category"},
            showlegend=False,
        ),
    }


def project_history(
    plan_year: PlanYear,
    progress: Sequence[ProjectProgress],
    upto: date | None,
    annual_plan: Decimal | None,
) -> Figure:
    """One project's year: what it completed each month against its annual plan."""
    monthly = {p.period: p.investment or Decimal(0) for p in progress if p.counts}
    months = _year_months(plan_year)
    traces = _investment_traces(months, monthly, upto, annual_plan or Decimal(0))
    if not annual_plan:
        traces = traces[:2]  # no plan to draw against
    return {
        "data": traces,
        "layout": layout(xaxis={"type": "category"}, yaxis=value_axis("完成投资（亿元）")),
    }
