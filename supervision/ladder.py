"""The escalation ladder (督办升级), decided once. Pure: plain values, no ORM, no clock.

Input: one subject's (a target's, or a project's) statuses over consecutive closed
months, oldest first, and the plan year's ladder — how many consecutive months behind
give each card (default 1 → 黄牌, 2 → 红牌, 3 → 列入通报).

- A month is *behind* when its status is 严重滞后, 逾期未完成 or 未报送 (a missing
  report counts as behind: silence must not look like progress).
- Behind months climb: the level is the highest card whose month count the run of
  behind months has reached.
- A month that is not behind steps the level down by one card (not to nothing: one
  good month after three bad ones is not yet recovery). The run restarts one month
  short of the next card up, so a bad month after stepping down from 红牌 to 黄牌
  climbs straight back to 红牌; stepping down to no card starts afresh.
"""

from collections.abc import Sequence
from dataclasses import dataclass

# Statuses that climb the ladder (the completion codes of targets/completion.py).
BEHIND_STATUSES = frozenset({"behind", "overdue", "not_reported"})

NONE, YELLOW, RED, LISTED = 0, 1, 2, 3
LEVEL_LABELS = {NONE: "无", YELLOW: "黄牌", RED: "红牌", LISTED: "红牌（列入通报）"}
DEFAULT_LADDER = (1, 2, 3)


@dataclass(frozen=True)
class Rung:
    """The ladder at the end of one month."""

    level: int
    behind: bool
    run: int  # the months of behind the level stands on


def validate(ladder: Sequence[int]) -> tuple[int, int, int]:
    """The ladder as three non-decreasing positive month counts, or ValueError."""
    counts = tuple(int(n) for n in ladder)
    if len(counts) != 3 or counts[0] < 1 or not counts[0] <= counts[1] <= counts[2]:
        raise ValueError("升级阶梯须为三个依次不减的正整数月数：黄牌 ≤ 红牌 ≤ 列入通报。")
    return counts  # type: ignore[return-value]


def level_for(run: int, ladder: Sequence[int]) -> int:
    """The card a run of ``run`` consecutive months behind reaches."""
    level = NONE
    for card, months in enumerate(ladder, start=YELLOW):
        if run >= months:
            level = card
    return level


def climb(statuses: Sequence[str | None], ladder: Sequence[int] = DEFAULT_LADDER) -> list[Rung]:
    """The rung after each month of ``statuses`` (oldest first; None: no figure)."""
    counts = validate(ladder)
    rungs, run, level = [], 0, NONE
    for status in statuses:
        behind = status in BEHIND_STATUSES
        if behind:
            run += 1
            level = max(level, level_for(run, counts))
        else:
            level = max(NONE, level - 1)
            # One month short of the next card up: one more bad month climbs back.
            run = counts[level] - 1 if level > NONE else 0
        rungs.append(Rung(level=level, behind=behind, run=run))
    return rungs


def current_level(statuses: Sequence[str | None], ladder: Sequence[int] = DEFAULT_LADDER) -> int:
    rungs = climb(statuses, ladder)
    return rungs[-1].level if rungs else NONE


@dataclass(frozen=True)
class Change:
    """A change of card at the last month: what to record and whom to tell."""

    level: int
    previous: int

    @property
    def climbed(self) -> bool:
        return self.level > self.previous

    @property
    def notify_department(self) -> bool:
        return self.climbed and self.level >= YELLOW

    @property
    def notify_leaders(self) -> bool:
        return self.climbed and self.level >= RED

    @property
    def listed(self) -> bool:
        return self.level >= LISTED


def change_at_last(
    statuses: Sequence[str | None], ladder: Sequence[int] = DEFAULT_LADDER
) -> Change | None:
    """The change the last month made (None when the card stayed the same)."""
    rungs = climb(statuses, ladder)
    if not rungs:
        return None
    previous = rungs[-2].level if len(rungs) > 1 else NONE
    level = rungs[-1].level
    return None if level == previous else Change(level=level, previous=previous)
