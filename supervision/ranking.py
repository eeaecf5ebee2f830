"""The departments' ranking in the monthly bulletin, and its 红榜 / 黑榜. Pure.

Each department that owes reports is ranked by its 按时率 (year to date, from the
timeliness record frozen when the month closed), then by the share of the targets it
leads that are on track or done (推进率), then by the usual department order.

- 红榜: 按时率 and 推进率 at or above the plan year's thresholds, and nothing
  严重滞后 or 逾期未完成;
- 黑榜: 按时率 or 推进率 below the plan year's thresholds.
A department that would be on both (thresholds set that way) is on the 黑榜.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

GOOD_STATUSES = frozenset({"completed", "completed_late", "on_track"})
BAD_STATUSES = frozenset({"behind", "overdue"})
# Statuses that say nothing about progress yet: not counted in 推进率.
UNRATED_STATUSES = frozenset({"not_started", "reference"})

RED_BOARD, BLACK_BOARD = "red", "black"
BOARD_LABELS = {RED_BOARD: "红榜", BLACK_BOARD: "黑榜", "": ""}


@dataclass(frozen=True)
class Thresholds:
    honour_rate: Decimal  # ratios, 0–1
    honour_progress: Decimal
    black_rate: Decimal
    black_progress: Decimal


@dataclass(frozen=True)
class DepartmentFigures:
    department_id: int
    name: str
    order: int  # the usual department order, the last tie-break
    on_time: int
    late: int
    missing: int
    statuses: tuple[str, ...]  # the statuses of the targets it leads

    @property
    def rate(self) -> Decimal | None:
        judged = self.on_time + self.late + self.missing
        return Decimal(self.on_time) / Decimal(judged) if judged else None

    @property
    def rated(self) -> int:
        return sum(1 for s in self.statuses if s not in UNRATED_STATUSES)

    @property
    def progress(self) -> Decimal | None:
        rated = self.rated
        if not rated:
            return None
        return Decimal(sum(1 for s in self.statuses if s in GOOD_STATUSES)) / Decimal(rated)

    @property
    def bad(self) -> int:
        return sum(1 for s in self.statuses if s in BAD_STATUSES)


@dataclass(frozen=True)
class Ranked:
    rank: int
    figures: DepartmentFigures
    board: str  # RED_BOARD, BLACK_BOARD or ""

    @property
    def board_label(self) -> str:
        return BOARD_LABELS[self.board]


def board(figures: DepartmentFigures, thresholds: Thresholds) -> str:
    rate, progress = figures.rate, figures.progress
    if (rate is not None and rate < thresholds.black_rate) or (
        progress is not None and progress < thresholds.black_progress
    ):
        return BLACK_BOARD
    if (
        rate is not None
        and rate >= thresholds.honour_rate
        and (progress is None or progress >= thresholds.honour_progress)
        and figures.bad == 0
    ):
        return RED_BOARD
    return ""


def rank(departments: Iterable[DepartmentFigures], thresholds: Thresholds) -> list[Ranked]:
    """Best first; equal figures share a rank (1, 2, 2, 4)."""

    def key(d: DepartmentFigures) -> tuple:
        rate = d.rate if d.rate is not None else Decimal(-1)
        progress = d.progress if d.progress is not None else Decimal(-1)
        return (-rate, -progress, d.bad, d.order, d.department_id)

    ordered = sorted(departments, key=key)
    ranked: list[Ranked] = []
    for index, figures in enumerate(ordered):
        previous = ranked[-1] if ranked else None
        same = previous is not None and key(previous.figures)[:3] == key(figures)[:3]
        ranked.append(
            Ranked(
                rank=previous.rank if same else index + 1,
                figures=figures,
                board=board(figures, thresholds),
            )
        )
    return ranked


def on_board(ranked: Sequence[Ranked], which: str) -> list[str]:
    return [r.figures.name for r in ranked if r.board == which]
