"""The plausibility rules of a key project's monthly investment, as hand-computed tables."""

from decimal import Decimal as D

import pytest

from projects.plausibility import investment_warnings
from workflow.plausibility import Thresholds

DEFAULT = Thresholds()


def warnings(investment, previous=None, plan=None, before="0", total=None, t=DEFAULT):
    number = lambda v: None if v is None else D(v)  # noqa: E731
    return investment_warnings(
        investment=number(investment),
        previous=number(previous),
        annual_plan=number(plan),
        invested_before=D(before),
        total=number(total),
        thresholds=t,
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # a normal month: 1.5 of a 10 plan with 6 invested, total 40
        (("1.5", "1.2", "10", "6", "40"), []),
        # more than what is left of the plan: 10 − 8.5 = 1.5 left
        (
            ("1.6", "1.2", "10", "8.5", "40"),
            ["本月投资 1.6亿元 超过年度计划尚余的 1.5亿元，请核实。"],
        ),
        # the plan already used up: anything positive is over the 0 left
        (("0.1", "0.1", "10", "12", "40"), ["本月投资 0.1亿元 超过年度计划尚余的 0亿元，请核实。"]),
        # more than half the project's total in one month (no plan)
        (
            ("20.01", None, None, "0", "40"),
            ["本月投资 20.01亿元 超过项目总投资 40亿元 的 50%，请核实。"],
        ),
        (("20", None, None, "0", "40"), []),
        # 元 typed into 亿元：120000000 after 1.2
        (
            ("120000000", "1.2", None, "0", None),
            ["数值约为上月的 100,000,000 倍，是否把元误填为亿元？"],
        ),
        # nothing invested, nothing typed
        (("0", "1.2", "10", "10", "40"), []),
        ((None, "1.2", "10", "10", "40"), []),
    ],
)
def test_investment_warnings(args, expected):
    assert warnings(*args) == expected


def test_project_thresholds_are_the_plan_years():
    strict = Thresholds(max_jump_share=D("0.1"), slip_ratio=D(5))
    assert warnings("6", "1", None, "0", "40", t=strict) == [
        "数值约为上月的 6 倍，是否把元误填为亿元？"
    ]
    assert warnings("6", "2", None, "0", "40", t=strict) == [
        "本月投资 6亿元 超过项目总投资 40亿元 的 10%，请核实。"
    ]
