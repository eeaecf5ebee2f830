"""Plotly figures for the target dashboards, as plain dicts.

DESIGN.md §4: no ``plotly.graph_objects`` on the request path (building one costs
milliseconds, a dict microseconds). Each function returns ``{"data": [...], "layout":
{...}}`` for ``static/js/charts.js``, which hands it to ``Plotly.newPlot``. Numbers go
out as floats (json_script would write Decimals as strings), percentages as 0–100 with
one decimal. Axis and hover formats never group digits: the report prints 2409.2亿元.
"""

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from targets import completion, presenters
from targets.models import Kind, ProgrammeSnapshot, Status, Target, TargetSnapshot
from targets.periods import month_end, months_between

Figure = dict[str, Any]

# One colour per status everywhere: the same values as --st-<status> in site.css, which
# the badges' borders, the chips and the programme cards' edges use.
STATUS_COLOURS = {
    completion.BEHIND: "#c0392b",
    completion.OVERDUE: "#7f1d1d",
    completion.LAGGING: "#e6a23c",
    completion.NOT_REPORTED: "#7b61a8",
    completion.ON_TRACK: "#3c9d5d",
    completion.COMPLETED_LATE: "#8fbf6a",
    completion.COMPLETED: "#1e6b34",
    completion.NOT_STARTED: "#9aa5b1",
    completion.REFERENCE: "#1d4f91",  # 规模指标: neutral, the same as NEUTRAL
}
NEUTRAL = "#1d4f91"
PLAN = "#7b8794"
TARGET_LINE = "#a61b1b"
FONT = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif'
# 未审核 figures are drawn visibly different: hatched bars, open markers.
UNREVIEWED_PATTERN = "/"
UNREVIEWED_COLOUR = "#52606d"


def _hatched(flags: Sequence[bool]) -> dict[str, Any]:
    """A bar trace's marker.pattern: hatched where the figure rests on unreviewed reports."""
    return {
        "shape": [UNREVIEWED_PATTERN if flag else "" for flag in flags],
        "fillmode": "overlay",
        "fgcolor": "#ffffff",
        "size": 6,
    }


def _group_note(snapshot: ProgrammeSnapshot) -> str:
    """A programme's hover line: "<br>含 N 项未审核数据", or ""."""
    text = presenters.unreviewed_summary(
        provisional_count=snapshot.provisional_count, awaiting_count=snapshot.awaiting_count
    )
    return f"<br>{text}" if text else ""


def percent(value: Decimal | None) -> float | None:
    """A ratio as a percentage for a chart: 0.8333 → 83.3."""
    return None if value is None else round(float(value) * 100, 1)


def number(value: Decimal | None, places: int = 2) -> float | None:
    return None if value is None else round(float(value), places)


def month_label(period: date) -> str:
    return f"{period.month}月"


# Height of Plotly's toolbar and its padding, in pixels.
MODEBAR_ROOM = 32


def layout(**overrides: Any) -> dict[str, Any]:
    """The shared layout: Chinese font, compact margins, legend under the plot. The top
    margin leaves room for Plotly's toolbar (shown on hover, static/js/charts.js), so
    it sits above the plot, never over it."""
    base = {
        "font": {"family": FONT, "size": 13, "color": "#1f2933"},
        "margin": {"l": 56, "r": 16, "t": MODEBAR_ROOM, "b": 48},
        "legend": {"orientation": "h", "x": 0, "y": -0.18},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hoverlabel": {"font": {"family": FONT}},
        "autosize": True,
    }
    return {**base, **overrides}


def value_axis(title: str, **overrides: Any) -> dict[str, Any]:
    # "~f": plain decimals, no "k" and no digit grouping.
    return {
        "title": {"text": title},
        "tickformat": "~f",
        "exponentformat": "none",
        "gridcolor": "#e4e7eb",
        "zeroline": False,
        "rangemode": "tozero",
        **overrides,
    }


# --- overview ------------------------------------------------------------------------


def _programme_axis(names: list[str]) -> dict:
    """Short names on two lines (产业<br>集群): eight of them side by side stay
    readable on a phone as well as on a laptop."""
    return {
        "tickangle": 0,
        "automargin": True,
        "tickvals": names,
        "ticktext": [f"{name[:2]}<br>{name[2:]}" if len(name) > 3 else name for name in names],
    }


def programme_completion(snapshots: Sequence[ProgrammeSnapshot]) -> Figure:
    """The programmes' average completion as bars, coloured by the programme's status,
    with 序时 as markers. Each value is written above the higher of its bar and its 序时
    marker, so the marker never strikes through it; a programme of assessed targets
    only (no average) shows its status where its bar would be."""
    names = [s.programme.short_name for s in snapshots]
    return {
        "data": [
            {
                "type": "bar",
                "name": "平均完成率",
                "x": names,
                "y": [percent(s.ratio) for s in snapshots],
                "marker": {
                    "color": [STATUS_COLOURS.get(s.status, NEUTRAL) for s in snapshots],
                    "pattern": _hatched([s.provisional_count > 0 for s in snapshots]),
                },
                "customdata": [Status(s.status).label + _group_note(s) for s in snapshots],
                "hovertemplate": "%{x}<br>平均完成率 %{y:.1f}%<br>%{customdata}<extra></extra>",
            },
            {
                "type": "scatter",
                "mode": "markers",
                "name": "序时进度",
                "x": names,
                "y": [percent(s.expected) for s in snapshots],
                "marker": {
                    "symbol": "line-ew-open",
                    "size": 24,
                    "color": "#1f2933",
                    "line": {"width": 3},
                },
                "hovertemplate": "%{x}<br>序时进度 %{y:.1f}%<extra></extra>",
            },
        ],
        "layout": layout(
            yaxis=value_axis("平均完成率（%）", range=[0, 118]),
            xaxis=_programme_axis(names),
            showlegend=True,
            annotations=[_value_label(name, s) for name, s in zip(names, snapshots, strict=True)],
        ),
    }


def _value_label(name: str, snapshot: ProgrammeSnapshot) -> dict[str, Any]:
    """A bar's label, above both the bar and the 序时 marker."""
    if snapshot.ratio is None:
        return {
            "x": name,
            "y": 0,
            "text": Status(snapshot.status).label,
            "showarrow": False,
            "yanchor": "bottom",
            "yshift": 2,
            "font": {"color": STATUS_COLOURS.get(snapshot.status, NEUTRAL)},
        }
    top = max(percent(snapshot.ratio), percent(snapshot.expected) or 0)
    return {
        "x": name,
        "y": top,
        "text": _percent_text(snapshot.ratio),
        "showarrow": False,
        "yanchor": "bottom",
        "yshift": 8,  # clears the marker's half height and its line
    }


def _percent_text(value: Decimal | None) -> str:
    shown = percent(value)
    return "—" if shown is None else f"{shown:.1f}%"


def status_stack(snapshots: Sequence[ProgrammeSnapshot]) -> Figure:
    """How many targets of each programme are in each status, one stacked bar each."""
    names = [s.programme.short_name for s in snapshots]
    data = []
    for code in completion.STATUSES:
        counts = [int((s.status_counts or {}).get(code, 0)) for s in snapshots]
        if not any(counts):
            continue
        data.append(
            {
                "type": "bar",
                "name": Status(code).label,
                "x": names,
                "y": counts,
                "marker": {"color": STATUS_COLOURS[code]},
                "hovertemplate": f"%{{x}}<br>{Status(code).label} %{{y}} 项<extra></extra>",
            }
        )
    return {
        "data": data,
        "layout": layout(
            barmode="stack",
            yaxis=value_axis("指标数（项）", tickformat="d", dtick=1 if len(data) < 2 else None),
            xaxis=_programme_axis(names),
        ),
    }


# The heatmap's colours, in the order of its z codes.
HEATMAP_STATUSES = (
    completion.BEHIND,
    completion.LAGGING,
    completion.ON_TRACK,
    completion.COMPLETED,
    completion.NOT_STARTED,
)


def _discrete_colorscale(colours: Sequence[str]) -> list[list]:
    """Plotly colour bands so that z = i (with zmin −0.5, zmax n − 0.5) is colours[i]."""
    n = len(colours)
    scale = []
    for i, colour in enumerate(colours):
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    return scale


def _heatmap_status(snapshot: ProgrammeSnapshot, tolerance: Decimal) -> str:
    """A cell's colour: the programme's average against that month's 序时, by the
    rule that judges a target's ratio (so January at 8% of a 8.3% 序时 is not red).
    A programme of assessed targets only has no average: its status colours it."""
    if snapshot.ratio is None or snapshot.expected is None:
        status = snapshot.status
        if status in completion.ATTENTION_STATUSES:
            return completion.BEHIND
        if status in completion.WARNING_STATUSES:
            return completion.LAGGING
        return status if status in HEATMAP_STATUSES else completion.ON_TRACK
    if snapshot.ratio >= 1:
        return completion.COMPLETED
    return completion.status_from_gap(snapshot.ratio, snapshot.expected, tolerance)


def _heatmap_text(snapshot: ProgrammeSnapshot) -> str:
    if snapshot.ratio is None:
        return Status(snapshot.status).label
    return _percent_text(snapshot.ratio)


def completion_heatmap(
    history: dict[int, list[ProgrammeSnapshot]],
    months: Sequence[date],
    tolerance: Decimal = Decimal("0.10"),
) -> Figure:
    """Programme × month average completion, each cell coloured by its gap to that
    month's 序时 (status colours, with the plan year's tolerance). Rows run top-down in
    programme order; a programme of assessed targets only shows its status."""
    numbers = sorted(history)
    names = [history[n][0].programme.short_name for n in numbers]
    z, text, hover = [], [], []
    for n in numbers:
        by_month = {s.period: s for s in history[n]}
        row = [by_month.get(m) for m in months]
        z.append(
            [HEATMAP_STATUSES.index(_heatmap_status(s, tolerance)) if s else None for s in row]
        )
        text.append([_heatmap_text(s) if s else "" for s in row])
        hover.append([_heatmap_hover(s) if s else "" for s in row])
    return {
        "data": [
            {
                "type": "heatmap",
                "x": [month_label(m) for m in months],
                "y": names,
                "z": z,
                "text": text,
                "customdata": hover,
                "texttemplate": "%{text}",
                "zmin": -0.5,
                "zmax": len(HEATMAP_STATUSES) - 0.5,
                "colorscale": _discrete_colorscale(
                    [STATUS_COLOURS[code] for code in HEATMAP_STATUSES]
                ),
                "showscale": False,
                "hovertemplate": "%{y} %{x}<br>%{customdata}<extra></extra>",
                "xgap": 2,
                "ygap": 2,
            }
        ],
        "layout": layout(
            yaxis={"autorange": "reversed", "automargin": True},
            xaxis={"side": "bottom"},
            margin={"l": 80, "r": 16, "t": MODEBAR_ROOM, "b": 40},
        ),
    }


def _heatmap_hover(snapshot: ProgrammeSnapshot) -> str:
    if snapshot.ratio is None or snapshot.expected is None:
        return f"状态 {Status(snapshot.status).label}{_group_note(snapshot)}"
    return (
        f"平均完成率 {_percent_text(snapshot.ratio)}，序时进度 {_percent_text(snapshot.expected)}"
        f"<br>状态 {Status(snapshot.status).label}{_group_note(snapshot)}"
    )


# --- programme -------------------------------------------------------------------------


def target_ratios(targets: Iterable[Target]) -> Figure:
    """Each target's ratio against its 序时, as horizontal bars (assessed targets have
    no ratio and are left out). Expects the annotated rows of
    ``queries.programme_targets``."""
    rows = [t for t in targets if t.kind != Kind.ASSESSED and t.ratio is not None]
    labels = [f"{t.code} {_short(t.title)}" for t in rows]
    unreviewed = [bool(getattr(t, "provisional", False)) for t in rows]
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "name": "完成率",
                "y": labels,
                "x": [percent(t.ratio) for t in rows],
                "marker": {
                    "color": [STATUS_COLOURS.get(t.status, NEUTRAL) for t in rows],
                    "pattern": _hatched(unreviewed),
                },
                "customdata": [
                    (Status(t.status).label if t.status else "—")
                    + presenters.unreviewed_hover(provisional=flag)
                    for t, flag in zip(rows, unreviewed, strict=True)
                ],
                "hovertemplate": "%{y}<br>完成率 %{x:.1f}%<br>%{customdata}<extra></extra>",
            },
            {
                "type": "scatter",
                "mode": "markers",
                "name": "序时进度",
                "y": labels,
                "x": [percent(t.expected) for t in rows],
                "marker": {
                    "symbol": "line-ns-open",
                    "size": 22,
                    "color": "#1f2933",
                    "line": {"width": 3},
                },
                "hovertemplate": "%{y}<br>序时进度 %{x:.1f}%<extra></extra>",
            },
        ],
        "layout": layout(
            xaxis=value_axis("完成率（%）"),
            yaxis={"autorange": "reversed", "automargin": True},
            height=max(220, 80 + 36 * len(rows)),
            margin={"l": 16, "r": 56, "t": 40, "b": 48},
            # Each value right of the higher of its bar and its 序时 marker: never struck.
            annotations=[
                {
                    "x": max(percent(t.ratio), percent(t.expected) or 0),
                    "y": label,
                    "text": _percent_text(t.ratio),
                    "showarrow": False,
                    "xanchor": "left",
                    "xshift": 8,
                }
                for t, label in zip(rows, labels, strict=True)
            ],
            legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        ),
    }


def _short(title: str, length: int = 14) -> str:
    return title if len(title) <= length else f"{title[: length - 1]}…"


# --- target ------------------------------------------------------------------------------


def _plan_value(target: Target, expected: Decimal | None) -> float | None:
    """Where 序时 puts the value: baseline + expected × (target − baseline)."""
    if expected is None:
        return None
    if target.kind == Kind.MILESTONE:
        return percent(expected)
    if target.target_value is None:
        return None
    if target.kind == Kind.CEILING and target.baseline is None:
        return None  # no starting count: no line to draw from it
    baseline = target.baseline or Decimal(0)
    return number(baseline + expected * (target.target_value - baseline))


def target_progress(
    target: Target, snapshots: Sequence[TargetSnapshot], current: TargetSnapshot | None
) -> Figure | None:
    """The actual value month by month against the 序时 plan line and the target,
    with the forecast to the deadline. None for assessed targets (no ratio)."""
    if target.kind == Kind.ASSESSED:
        return None
    plan_year = target.programme.plan_year
    months = months_between(
        min(target.starts_on, plan_year.starts_on), max(target.deadline, plan_year.ends_on)
    )
    labels = [
        month_label(m) if m.year == plan_year.year else f"{m.year}年{m.month}月" for m in months
    ]
    by_month = {s.period: s for s in snapshots}
    spec = target.spec()
    # 序时 for the months ahead comes from the rule itself (a pure function of the
    # definition): snapshots exist only for months that have ended.
    expected = [
        by_month[m].expected if m in by_month else completion.expected_progress(spec, month_end(m))
        for m in months
    ]
    milestone = target.kind == Kind.MILESTONE
    unit = "%" if milestone else target.unit
    reference = target.kind == Kind.REFERENCE
    actual_label = "完成进度" if milestone else "项目清单" if reference else "实际值"
    shown = [m for m in months if m in by_month]
    # A month whose figure rests on a report not yet approved: an open marker，未审核
    # on hover, and a legend entry saying what the open marker means.
    unreviewed = [m for m in shown if by_month[m].provisional]
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": actual_label,
            "x": [labels[months.index(m)] for m in shown],
            "y": [number(by_month[m].actual) for m in shown],
            "line": {"color": NEUTRAL, "width": 3},
            "marker": {
                "size": 9,
                "color": [STATUS_COLOURS.get(by_month[m].status, NEUTRAL) for m in shown],
                "symbol": ["circle-open" if m in unreviewed else "circle" for m in shown],
                "line": {"width": 2},
            },
            "customdata": [
                Status(by_month[m].status).label
                + presenters.unreviewed_hover(provisional=m in unreviewed)
                for m in shown
            ],
            "hovertemplate": (
                f"%{{x}}<br>{actual_label} %{{y:.2~f}}{unit}<br>%{{customdata}}<extra></extra>"
            ),
        }
    ]
    if unreviewed:
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": f"{presenters.UNREVIEWED}（空心点）",
                "x": [labels[months.index(m)] for m in unreviewed],
                "y": [number(by_month[m].actual) for m in unreviewed],
                "marker": {
                    "symbol": "circle-open",
                    "size": 15,
                    "color": UNREVIEWED_COLOUR,
                    "line": {"width": 1.5},
                },
                "hoverinfo": "skip",
            }
        )
    # A level target expects its full level every month; a plan figure（规模指标） has
    # no 序时 at all: it is compared with the register, not paced.
    if target.kind not in (Kind.LEVEL, Kind.REFERENCE):
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": "序时进度计划",
                "x": labels,
                "y": [_plan_value(target, e) for e in expected],
                "line": {"color": PLAN, "dash": "dot", "width": 2},
                "hovertemplate": f"%{{x}}<br>序时计划 %{{y:.2~f}}{unit}<extra></extra>",
            }
        )
    goal = Decimal(100) if milestone else target.target_value
    goal_label = "报告所列" if reference else "目标值"
    if goal is not None:
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": goal_label,
                "x": [labels[0], labels[-1]],
                "y": [number(goal), number(goal)],
                "line": {"color": TARGET_LINE, "dash": "dash", "width": 2},
                "hovertemplate": f"{goal_label} %{{y:.2~f}}{unit}<extra></extra>",
            }
        )
    if current is not None and current.forecast is not None and current.actual is not None:
        deadline_label = labels[months.index(target.deadline.replace(day=1))]
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": "预测",
                "x": [labels[months.index(current.period)], deadline_label],
                "y": [number(current.actual), number(current.forecast)],
                "line": {"color": "#e6a23c", "dash": "dashdot", "width": 2},
                "marker": {"symbol": "star", "size": 11},
                "hovertemplate": f"%{{x}}<br>按近期进度预测 %{{y:.2~f}}{unit}<extra></extra>",
            }
        )
    return {
        "data": data,
        "layout": layout(
            xaxis={"type": "category", "categoryorder": "array", "categoryarray": labels},
            yaxis=value_axis(f"{actual_label}({unit})" if unit else actual_label),
        ),
    }
