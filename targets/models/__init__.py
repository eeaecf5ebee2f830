"""Plan years, programmes, targets, departments, monthly entries and their snapshots.

Every definition and every entry keeps its history (who, when, the values before
and after) through django-simple-history; snapshots are computed, never edited.
"""

from targets.models.choices import (
    AMOUNT,
    MANUAL_SOURCE,
    RATIO,
    Assessment,
    DepartmentKind,
    Direction,
    EntryState,
    Kind,
    Role,
    Status,
    Unit,
)
from targets.models.definitions import (
    Department,
    PlanYear,
    PlanYearQuerySet,
    Profile,
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
    "Department",
    "DepartmentKind",
    "Direction",
    "EntryState",
    "Evidence",
    "Kind",
    "PendingRecompute",
    "PlanYear",
    "PlanYearQuerySet",
    "Profile",
    "Programme",
    "ProgrammeSnapshot",
    "ProgressEntry",
    "Role",
    "Status",
    "Target",
    "TargetQuerySet",
    "TargetSnapshot",
    "Unit",
    "evidence_path",
]
