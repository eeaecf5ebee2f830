"""The bulletin's words as tables: pure, no database."""

import re
from datetime import date
from decimal import Decimal as D

import pytest

from supervision import prose
from supervision.prose import AggregateFigures, TargetFigures

HALF_WIDTH = re.compile(r"[,:;()!?]")


def figures(**kwargs) -> TargetFigures:
    defaults = {
        "code": "4.1",
        "title": "新引进项目签约额",
        "kind": "cumulative",
        "unit": "亿元",
        "status": "lagging",
        "actual": D(318),
        "ratio": D("0.795"),
        "expected": D("0.8333"),
        "target_value": D(400),
        "direction": "increase",
        "reached_on": None,
        "department": "区投促局",
    }
    return TargetFigures(**{**defaults, **kwargs})


@pytest.mark.parametrize(
    ("period", "label"),
    [(date(2025, 1, 1), "1月"), (date(2025, 2, 1), "1—2月"), (date(2025, 10, 1), "1—10月")],
)
def test_period_label(period, label):
    assert prose.period_label(period) == label


@pytest.mark.parametrize(
    ("ratio", "expected", "text"),
    [
        (D("0.795"), D("0.8333"), "低于序时进度3.8个百分点"),
        (D("0.9"), D("0.8333"), "高于序时进度6.7个百分点"),
        (D("0.8333"), D("0.8333"), "与序时进度持平"),
        (D("0.8330"), D("0.8333"), "与序时进度持平"),  # under 0.05 points
        (None, D("0.5"), ""),
    ],
)
def test_against_expected(ratio, expected, text):
    assert prose.against_expected(ratio, expected) == text


@pytest.mark.parametrize(
    ("ratio", "text"),
    [(D("0.795"), "79.5%"), (D(1), "100.0%"), (D("0.00049"), "0.0%"), (None, "—")],
)
def test_percent(ratio, text):
    assert prose.percent(ratio) == text


def test_the_issue_example():
    clause = prose.target_clause(figures())
    assert f"1—10月，全区{clause}。" == (
        "1—10月，全区新引进项目签约额318亿元，完成年度目标的79.5%，低于序时进度3.8个百分点。"
    )


@pytest.mark.parametrize(
    ("kwargs", "text"),
    [
        ({"status": "completed", "ratio": D("1.05"), "actual": D(420)},
         "新引进项目签约额420亿元，完成年度目标的105.0%"),
        ({"kind": "milestone", "title": "研究院挂牌成立", "status": "completed",
          "reached_on": date(2025, 3, 15), "actual": None}, "研究院挂牌成立已于3月15日完成"),
        ({"kind": "milestone", "title": "奥体地下商业投用", "status": "overdue", "actual": None},
         "奥体地下商业投用，逾期未完成"),
        ({"kind": "level", "title": "政策性资金占比", "unit": "%", "actual": D("10.6"),
          "target_value": D(10), "status": "on_track"},
         "政策性资金占比为10.6%（目标不低于10%），正常推进"),
        ({"kind": "ceiling", "title": "零就业家庭", "unit": "户", "actual": D(0),
          "target_value": D(0), "direction": "decrease", "status": "on_track"},
         "零就业家庭为0户（目标不高于0户），正常推进"),
        ({"unit": "万平方米", "title": "安置房建成交付面积", "actual": D("238.50")},
         "安置房建成交付面积238.5万平方米，完成年度目标的79.5%，低于序时进度3.8个百分点"),
    ],
)  # fmt: skip
def test_target_clause(kwargs, text):
    assert prose.target_clause(figures(**kwargs)) == text


def test_year_and_programme_paragraphs():
    year = AggregateFigures(
        name="全区",
        status="behind",
        ratio=D("0.932"),
        expected=D("0.899"),
        counts={"completed": 10, "on_track": 7, "behind": 1, "not_reported": 2, "lagging": 0},
        target_count=20,
    )
    assert prose.year_paragraph(date(2025, 10, 1), year) == (
        "1—10月，全区“八大工程”纳入监测的目标任务共20项，平均完成率93.2%，"
        "高于序时进度3.3个百分点，总体状态为严重滞后。其中，已完成10项、正常推进7项、"
        "严重滞后1项、未报送2项。"
    )
    programme = AggregateFigures(
        name="深化“双招双引”工程",
        status="lagging",
        ratio=None,
        expected=None,
        counts={"lagging": 1},
        target_count=1,
    )
    assert prose.programme_paragraph(4, programme, [figures()]) == (
        "（四）深化“双招双引”工程。纳入监测的目标任务1项，状态为进度滞后（进度滞后1项）。"
        "新引进项目签约额318亿元，完成年度目标的79.5%，低于序时进度3.8个百分点。"
    )


def test_lagging_item_uses_the_departments_words_in_full_width():
    text = prose.lagging_item(
        2, figures(status="behind"), "资金未到位,配套滞后", "争取专项债资金(四季度); 集中交付"
    )
    assert text == (
        "2．新引进项目签约额（牵头单位：区投促局），严重滞后。当前为318亿元，"
        "完成年度目标的79.5%，低于序时进度3.8个百分点。存在问题：资金未到位，配套滞后。"
        "下步计划：争取专项债资金（四季度）；集中交付。"
    )
    assert not HALF_WIDTH.search(text)
    empty = prose.lagging_item(1, figures(status="behind"), "", " ")
    assert empty.endswith("存在问题：未填报。下步计划：未填报。")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("进度慢,资金缺口:5亿元", "进度慢，资金缺口：5亿元"),
        ("投资1,000万元, 工期10:30", "投资1,000万元，工期10:30"),
        ("(已协调)", "（已协调）"),
        ("  多个   空格 ", "多个 空格"),
    ],
)
def test_fullwidth(raw, clean):
    assert prose.fullwidth(raw) == clean


def test_red_card_and_ranking_sentences():
    october = date(2025, 10, 1)
    item = prose.red_card_item(1, "安置房建成交付面积", "区房屋征收中心", october, 8, 8, "红牌")
    assert item == (
        "1．安置房建成交付面积（牵头单位：区房屋征收中心），1—10月中有8个月严重滞后、"
        "逾期未完成或未报送，已连续8个月，红牌。"
    )  # fmt: skip
    assert prose.ranking_sentence(["区文广旅局"], []) == ["红榜：区文广旅局。", "黑榜：本月暂无。"]
    assert prose.document_title(date(2025, 10, 1)) == (
        "关于2025年1—10月“八大工程”目标任务推进情况的通报"
    )
    for text in (prose.REQUIREMENTS, prose.opening(date(2025, 10, 1))):
        assert not HALF_WIDTH.search(text)
