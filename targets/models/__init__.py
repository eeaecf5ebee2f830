"""Plan years, programmes, targets, monthly entries and their snapshots.

Every definition and every entry keeps its history (who, when, the values before
and after) through django-simple-history; snapshots are computed, never edited.
"""

from targets.models.choices import (
    AMOUNT,
    MANUAL_SOURCE,
    RATIO,
    Assessment,
    Counting,
    Direction,
    EntryState,
    Kind,
    Status,
    Unit,
)
from targets.models.closing import ClosedMonth, closed_periods
from targets.models.definitions import (
    PlanYear,
    PlanYearQuerySet,
    Programme,
    Target,
    TargetQuerySet,
)
from targets.models.entries import Evidence, ProgressEntry, evidence_path
from targets.models.snapshots import PendingRecompute, ProgrammeSnapshot, TargetSnapshot

__all__ = [
    "AMOUNT",
    "MANUAL_SOURCE",
    "RATIO",
    "Assessment",
    "ClosedMonth",
    "Counting",
    "Direction",
    "EntryState",
    "Evidence",
    "Kind",
    "PendingRecompute",
    "PlanYear",
    "PlanYearQuerySet",
    "Programme",
    "ProgrammeSnapshot",
    "ProgressEntry",
    "Status",
    "Target",
    "TargetQuerySet",
    "TargetSnapshot",
    "Unit",
    "closed_periods",
    "evidence_path",
]
