"""The reconciliation rule, by hand."""

from decimal import Decimal as D

import pytest

from targets.reconcile import combined_label, reconcile


@pytest.mark.parametrize(
    ("stated", "held", "unit", "label", "difference"),
    [
        ("356", "356", "个", "一致", D(0)),
        ("356", "359", "个", "相差 +3 个", D(3)),
        ("356", "355", "个", "相差 −1 个", D(-1)),
        # the report's precision decides: 0.1 亿元
        ("2409.2", "2409.2000", "亿元", "一致", D(0)),
        ("2409.2", "2409.2400", "亿元", "一致", D(0)),
        ("2409.2", "2409.2500", "亿元", "相差 +0.1 亿元", D("0.1")),
        ("2409.2", "2400.7", "亿元", "相差 −8.5 亿元", D("-8.5")),
        ("335.3", "0", "亿元", "相差 −335.3 亿元", D("-335.3")),
        ("356", None, "个", "清单无数据", None),
        ("10", "12", "", "相差 +2", D(2)),
    ],
)
def test_reconcile(stated, held, unit, label, difference):
    result = reconcile(stated=D(stated), held=None if held is None else D(held), unit=unit)
    assert result.label == label
    assert result.difference == difference
    assert result.agrees is (difference == 0)


def test_explanation_names_both_figures():
    result = reconcile(stated=D("2409.2"), held=D("2400.7000"), unit="亿元")
    assert result.explanation == "报告：2409.2 亿元；项目清单：2400.7 亿元"


@pytest.mark.parametrize(
    ("pairs", "label"),
    [
        ([("356", "356", "个"), ("2409.2", "2409.2", "亿元")], "一致"),
        ([("356", "359", "个"), ("2409.2", "2421.7", "亿元")], "相差 +3 个 · +12.5 亿元"),
        ([("356", "356", "个"), ("2409.2", "2400", "亿元")], "相差 −9.2 亿元"),
        ([("356", None, "个")], "清单无数据"),
        ([], ""),
    ],
)
def test_combined_label(pairs, label):
    items = [reconcile(stated=D(s), held=None if h is None else D(h), unit=u) for s, h, u in pairs]
    assert combined_label(items) == label
