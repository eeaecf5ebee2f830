"""The words beside the numbers (targets/presenters.py), table by table."""

from datetime import date
from decimal import Decimal as D

import pytest

from targets import completion as c
from targets import presenters as p

DEADLINE = date(2025, 6, 30)


@pytest.mark.parametrize(
    ("kind", "as_of", "actual", "target", "direction", "unit", "text"),
    [
        # a milestone or an assessment: how long past the deadline
        (c.MILESTONE, date(2025, 7, 31), D(90), None, c.INCREASE, "", "逾期 31 天"),
        (c.MILESTONE, date(2025, 12, 31), D(85), None, c.INCREASE, "", "逾期 184 天"),
        (c.ASSESSED, date(2025, 7, 31), None, None, c.INCREASE, "", "逾期 31 天"),
        # a figure: how much is still missing, in its unit
        (
            c.CUMULATIVE,
            date(2026, 1, 31),
            D("380.5"),
            D(400),
            c.INCREASE,
            "亿元",
            "逾期，差 19.5亿元",
        ),
        (c.LEVEL, date(2026, 1, 31), D("9.2"), D(10), c.INCREASE, "%", "逾期，差 0.8%"),
        (c.CEILING, date(2026, 1, 31), D(3), D(0), c.DECREASE, "户", "逾期，差 3户"),
        # no figure to compare: the days
        (c.CUMULATIVE, date(2025, 7, 31), None, D(400), c.INCREASE, "亿元", "逾期 31 天"),
    ],
)
def test_overdue_text(kind, as_of, actual, target, direction, unit, text):
    result = p.overdue_text(
        kind=kind,
        as_of=as_of,
        deadline=DEADLINE,
        actual=actual,
        target_value=target,
        direction=direction,
        unit=unit,
    )
    assert result == text


@pytest.mark.parametrize(
    ("status", "ratio", "gap", "last_period", "text"),
    [
        (c.BEHIND, D("0.71"), D("0.1233"), date(2025, 10, 1), "落后序时 12.3 个百分点"),
        (c.LAGGING, D("0.78"), D("0.0533"), date(2025, 10, 1), "落后序时 5.3 个百分点"),
        (c.ON_TRACK, D("0.9"), D("-0.0667"), date(2025, 10, 1), "领先序时 6.7 个百分点"),
        (c.ON_TRACK, D("0.5"), D("0"), date(2025, 6, 1), "与序时持平"),
        (c.NOT_REPORTED, D("0.91"), D("0.09"), date(2025, 9, 1), "最近报送：2025年9月"),
        (c.NOT_REPORTED, D(0), D("0.5"), None, "尚未报送"),
        (c.COMPLETED, D(1), D(0), date(2025, 3, 1), "已完成"),
        (c.COMPLETED_LATE, D(1), D(0), date(2025, 3, 1), "已完成"),
        (c.NOT_STARTED, None, None, None, "未开始"),
        (c.OVERDUE, D("0.95"), D("0.05"), date(2025, 12, 1), "逾期，差 20亿元"),
    ],
)
def test_behind_text_for_a_cumulative_target(status, ratio, gap, last_period, text):
    result = p.behind_text(
        kind=c.CUMULATIVE,
        status=status,
        ratio=ratio,
        gap=gap,
        as_of=date(2026, 1, 31),
        deadline=date(2025, 12, 31),
        actual=D(380),
        target_value=D(400),
        direction=c.INCREASE,
        unit="亿元",
        last_period=last_period,
    )
    assert result == text


@pytest.mark.parametrize(
    ("kind", "status", "ratio", "note"),
    [
        (c.LEVEL, c.ON_TRACK, D("1.06"), "当前已达标"),
        (c.CEILING, c.ON_TRACK, D(1), "当前已达标"),
        (c.LEVEL, c.ON_TRACK, D("0.99"), ""),
        (c.LEVEL, c.COMPLETED, D(1), ""),  # done says so itself
        (c.LEVEL, c.NOT_REPORTED, D(1), ""),
        (c.CUMULATIVE, c.ON_TRACK, D("1.2"), ""),  # a cumulative target at 1 is done
        (c.LEVEL, c.ON_TRACK, None, ""),
    ],
)
def test_status_note(kind, status, ratio, note):
    assert p.status_note(kind=kind, status=status, ratio=ratio) == note


def test_behind_text_of_a_done_target_says_when():
    fields = {
        "kind": c.LEVEL,
        "ratio": D(1),
        "gap": D(0),
        "as_of": date(2025, 12, 31),
        "deadline": date(2025, 12, 31),
        "actual": D(10),
        "target_value": D(10),
        "direction": c.INCREASE,
        "unit": "%",
        "last_period": date(2025, 12, 1),
    }
    done = p.behind_text(status=c.COMPLETED, reached_on=date(2025, 12, 31), **fields)
    assert done == "完成于2025年12月31日"


def test_behind_text_of_a_level_target_at_its_level_early():
    result = p.behind_text(
        kind=c.LEVEL,
        status=c.ON_TRACK,
        ratio=D("1.06"),
        gap=D("-0.06"),
        as_of=date(2025, 10, 31),
        deadline=date(2025, 12, 31),
        actual=D("10.6"),
        target_value=D(10),
        direction=c.INCREASE,
        unit="%",
        last_period=date(2025, 10, 1),
    )
    assert result == "当前已达标"


@pytest.mark.parametrize(
    ("status", "reached_on", "percent", "text"),
    [
        (c.COMPLETED, date(2025, 3, 26), D(100), "已完成（3月26日）"),
        (c.COMPLETED_LATE, date(2025, 4, 2), D(100), "已完成（4月2日）"),
        (c.OVERDUE, None, D("85.00"), "未完成（85%）"),
        (c.ON_TRACK, None, D("33.33"), "未完成（33.3%）"),
        (c.NOT_REPORTED, None, None, "未完成"),
    ],
)
def test_milestone_state(status, reached_on, percent, text):
    assert p.milestone_state(status=status, reached_on=reached_on, percent=percent) == text


@pytest.mark.parametrize(
    ("kind", "target", "unit", "direction", "text"),
    [
        (c.CUMULATIVE, D("400.0000"), "亿元", c.INCREASE, "400亿元"),
        (c.LEVEL, D(10), "%", c.INCREASE, "≥ 10%"),
        (c.LEVEL, D(5), "%", c.DECREASE, "≤ 5%"),
        (c.CEILING, D(0), "户", c.DECREASE, "≤ 0户"),
        (c.MILESTONE, None, "", c.INCREASE, "2025年6月30日前完成"),
        (c.ASSESSED, None, "", c.INCREASE, "—"),
    ],
)
def test_target_text(kind, target, unit, direction, text):
    result = p.target_text(
        kind=kind, target_value=target, unit=unit, direction=direction, deadline=DEADLINE
    )
    assert result == text


@pytest.mark.parametrize(
    ("figure", "drawn"),
    [
        (None, False),
        ({"data": []}, False),
        ({"data": [{"type": "bar", "y": [0, 0, 0]}]}, False),
        ({"data": [{"type": "bar", "y": [None, 0]}]}, False),
        ({"data": [{"type": "bar", "y": [0, 2]}]}, True),
        ({"data": [{"type": "bar", "orientation": "h", "x": [0, 35.5], "y": ["a", "b"]}]}, True),
        ({"data": [{"type": "scatter", "y": [0]}]}, True),  # a ceiling at 0 is a figure
        ({"data": [{"type": "scatter", "y": [None]}]}, False),
        ({"data": [{"type": "heatmap", "z": [[None, 0]]}]}, True),
    ],
)
def test_a_chart_with_nothing_to_draw_says_so(figure, drawn):
    from targets.templatetags.zy import has_points

    assert has_points(figure) is drawn
