"""The escalation ladder as tables: no database, statuses oldest first."""

import pytest

from supervision import ladder
from supervision.ladder import LISTED, NONE, RED, YELLOW

B, OV, N, OK, L, DONE = "behind", "overdue", "not_reported", "on_track", "lagging", "completed"


@pytest.mark.parametrize(
    ("statuses", "levels"),
    [
        ([], []),
        ([OK], [NONE]),
        ([B], [YELLOW]),
        ([B, B], [YELLOW, RED]),
        ([B, B, B], [YELLOW, RED, LISTED]),
        ([B, B, B, B], [YELLOW, RED, LISTED, LISTED]),
        # 进度滞后 is not behind enough to climb
        ([L, L, L], [NONE, NONE, NONE]),
        # overdue and a missing report count as behind, and mix in one run
        ([OV, N, B], [YELLOW, RED, LISTED]),
        ([N], [YELLOW]),
        ([None, N, N], [NONE, YELLOW, RED]),
        # recovery in between breaks the run
        ([B, OK, B], [YELLOW, NONE, YELLOW]),
        ([B, OK, B, OK, B], [YELLOW, NONE, YELLOW, NONE, YELLOW]),
        # recovering steps down one card a month ...
        ([B, B, B, OK], [YELLOW, RED, LISTED, RED]),
        ([B, B, B, OK, OK, OK], [YELLOW, RED, LISTED, RED, YELLOW, NONE]),
        ([B, B, DONE, DONE], [YELLOW, RED, YELLOW, NONE]),
        # ... and a bad month after stepping down climbs back one card
        ([B, B, OK, B], [YELLOW, RED, YELLOW, RED]),
        ([B, B, B, OK, B], [YELLOW, RED, LISTED, RED, LISTED]),
        ([B, B, OK, OK, B], [YELLOW, RED, YELLOW, NONE, YELLOW]),
    ],
)
def test_default_ladder(statuses, levels):
    assert [r.level for r in ladder.climb(statuses)] == levels


@pytest.mark.parametrize(
    ("rungs", "statuses", "levels"),
    [
        # a lenient district：黄牌 after 2 months，红牌 after 3，通报 after 5
        ((2, 3, 5), [B], [NONE]),
        ((2, 3, 5), [B, B, B, B, B], [NONE, YELLOW, RED, RED, LISTED]),
        ((2, 3, 5), [B, B, B, OK, B], [NONE, YELLOW, RED, YELLOW, RED]),
        ((2, 3, 5), [B, B, OK, B], [NONE, YELLOW, NONE, NONE]),
        # a strict one：红牌 at once，通报 after 2
        ((1, 1, 2), [B, B], [RED, LISTED]),
        ((1, 1, 2), [N, OK, N], [RED, YELLOW, RED]),
    ],
)
def test_custom_ladder(rungs, statuses, levels):
    assert [r.level for r in ladder.climb(statuses, rungs)] == levels


@pytest.mark.parametrize("rungs", [(0, 1, 2), (2, 1, 3), (1, 3, 2), (1, 2)])
def test_bad_ladder_refused(rungs):
    with pytest.raises(ValueError, match="升级阶梯"):
        ladder.climb([B], rungs)


@pytest.mark.parametrize(
    ("statuses", "change"),
    [
        ([], None),
        ([OK], None),
        ([B], (YELLOW, NONE, True, True, False, False)),
        ([B, B], (RED, YELLOW, True, True, True, False)),
        ([B, B, B], (LISTED, RED, True, True, True, True)),
        ([B, B, B, B], None),
        ([B, B, OK], (YELLOW, RED, False, False, False, False)),
    ],
)
def test_change_at_last_month(statuses, change):
    got = ladder.change_at_last(statuses)
    if change is None:
        assert got is None
    else:
        assert (
            got.level,
            got.previous,
            got.climbed,
            got.notify_department,
            got.notify_leaders,
            got.listed,
        ) == change


def test_level_for_and_current_level():
    assert [ladder.level_for(n, (1, 2, 3)) for n in range(5)] == [0, 1, 2, 3, 3]
    assert ladder.current_level([B, B]) == RED
    assert ladder.current_level([]) == NONE
    assert ladder.LEVEL_LABELS[RED] == "红牌"
