"""The plausibility rules of a target's figure, as hand-computed tables."""

from decimal import Decimal as D

import pytest

from targets.plausibility import figure_warnings
from workflow.plausibility import Thresholds, amount, slip_warning, times

DEFAULT = Thresholds()
SLIP = "数值约为上月的 11,583 倍，是否把平方米误填为万平方米？"


def warnings(value, target, previous, unit="万平方米", cumulative=True, thresholds=DEFAULT):
    return figure_warnings(
        value=None if value is None else D(value),
        target=None if target is None else D(target),
        previous=None if previous is None else D(previous),
        unit=unit,
        cumulative=cumulative,
        thresholds=thresholds,
    )


@pytest.mark.parametrize(
    ("value", "target", "previous", "unit", "cumulative", "expected"),
    [
        # 8.1: 2780000 typed into 万平方米 (target 335, May 240): 2780000 / 240 = 11,583.3
        (
            "2780000",
            "335",
            "240",
            "万平方米",
            True,
            [SLIP],  # alone: the other rules would only restate its size
        ),
        # "1,000" schools against 9, nothing reported before: 1000 > 3 × 9
        ("1000", "9", None, "所", True, ["数值 1,000所 超过目标值 9所 的 3 倍，请核实。"]),
        # a normal month: 260 after 240 of 335 (jump 20 < 167.5)
        ("260", "335", "240", "万平方米", True, []),
        # exactly 3× the target is still plausible; just over is not
        ("1005", "335", None, "万平方米", True, []),
        (
            "1005.01",
            "335",
            None,
            "万平方米",
            True,
            ["数值 1,005.01万平方米 超过目标值 335万平方米 的 3 倍，请核实。"],
        ),
        # a jump of exactly half the target passes; 0.01 more warns
        ("207.5", "335", "40", "万平方米", True, []),
        (
            "207.51",
            "335",
            "40",
            "万平方米",
            True,
            ["累计数一个月增加 167.51万平方米，超过目标值的 50%，请核实。"],
        ),
        # a level is not cumulative: no jump rule
        ("207.51", "335", "40", "万平方米", False, []),
        # 100× last month is a slip（亿元 ← 元）；99.99× is not
        ("100", "335", "1", "亿元", True, ["数值约为上月的 100 倍，是否把元误填为亿元？"]),
        ("99.99", "335", "1", "亿元", False, []),
        # a unit without a smaller one names no unit
        (
            "500",
            "10000",
            "5",
            "个",
            False,
            ["数值约为上月的 100 倍，是否多输了几位数或填错了单位？"],
        ),
        # no figure, no target, last month zero: nothing to compare with
        (None, "335", "240", "万平方米", True, []),
        ("5000", None, None, "万平方米", True, []),
        ("5000", "0", "0", "万平方米", True, []),
    ],
)
def test_target_figure_warnings(value, target, previous, unit, cumulative, expected):
    assert warnings(value, target, previous, unit, cumulative) == expected


def test_thresholds_are_the_plan_years_settings():
    strict = Thresholds(max_multiple=D(2), max_jump_share=D("0.2"), slip_ratio=D(10))
    # 700 of 335 with May at 60: 11.7× last month, over 2× the target, jump 640 > 67
    assert warnings("700", "335", "60", thresholds=strict) == [
        "数值约为上月的 12 倍，是否把平方米误填为万平方米？"
    ]
    # 700 with May at 100: 7× May, over 2 × 335, a jump of 600 > 67
    assert warnings("700", "335", "100", thresholds=strict) == [
        "数值 700万平方米 超过目标值 335万平方米 的 2 倍，请核实。",
        "累计数一个月增加 600万平方米，超过目标值的 20%，请核实。",
    ]
    # the defaults: under 3× the target and 100× May; only the jump (640 > 167.5)
    assert warnings("700", "335", "60") == [
        "累计数一个月增加 640万平方米，超过目标值的 50%，请核实。"
    ]


@pytest.mark.parametrize(
    ("value", "text"),
    [(D("2780000"), "2,780,000"), (D("0.50"), "0.5"), (D("1234.56789"), "1,234.5679"), (D(3), "3")],
)
def test_amount_reads_as_typed(value, text):
    assert amount(value) == text


def test_times_and_slip_edges():
    assert times(D("11583.33")) == "11,583"
    assert slip_warning(value=D(5), previous=D(-1), unit="亿元", t=DEFAULT) is None
