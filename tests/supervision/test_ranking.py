"""The departments' ranking and its 红榜 / 黑榜 as tables: pure, no database."""

from decimal import Decimal as D

import pytest

from supervision import ranking
from supervision.ranking import DepartmentFigures, Thresholds

DEFAULT = Thresholds(
    honour_rate=D(1), honour_progress=D("0.9"), black_rate=D("0.8"), black_progress=D("0.6")
)


def dept(pk, on_time, late=0, missing=0, statuses=("on_track",)):
    return DepartmentFigures(
        department_id=pk,
        name=f"单位{pk}",
        order=pk,
        on_time=on_time,
        late=late,
        missing=missing,
        statuses=tuple(statuses),
    )


@pytest.mark.parametrize(
    ("figures", "board"),
    [
        (dept(1, 10), "red"),
        (dept(1, 10, statuses=("on_track", "behind")), "black"),  # progress 50%
        (dept(1, 10, statuses=("on_track",) * 9 + ("lagging",)), "red"),  # 90%
        (dept(1, 10, statuses=("on_track",) * 4 + ("overdue",)), ""),  # 80%, one overdue
        (dept(1, 9, late=1), ""),  # 90% on time
        (dept(1, 7, missing=3), "black"),  # 70% on time
        (dept(1, 8, missing=2), ""),  # 80%: not below the threshold
        (dept(1, 0, statuses=()), ""),  # nothing judged
        (dept(1, 10, statuses=("not_started", "reference")), "red"),  # nothing rated
    ],
)
def test_board(figures, board):
    assert ranking.board(figures, DEFAULT) == board


def test_rank_orders_by_rate_then_progress_and_shares_ties():
    ranked = ranking.rank(
        [
            dept(1, 8, late=2),
            dept(2, 10, statuses=("on_track", "lagging")),
            dept(3, 10),
            dept(4, 10),
            dept(5, 0, statuses=()),
        ],
        DEFAULT,
    )
    assert [(r.rank, r.figures.department_id, r.board_label) for r in ranked] == [
        (1, 3, "红榜"),
        (1, 4, "红榜"),
        (3, 2, "黑榜"),
        (4, 1, ""),
        (5, 5, ""),
    ]
    assert ranking.on_board(ranked, ranking.RED_BOARD) == ["单位3", "单位4"]
    assert ranked[0].figures.rate == D(1) and ranked[2].figures.progress == D("0.5")
