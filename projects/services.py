"""What is particular to key projects' monthly progress in the shared workflow: the
values a department reports. The writes are workflow/services.py's, through
projects/adapters.py (which also moves the project's stage on approval)."""

from dataclasses import dataclass, fields
from decimal import Decimal

from projects.models import ProjectProgress


@dataclass(frozen=True)
class ProgressValues:
    investment: Decimal | None = None
    stage: str = ""
    notes: str = ""
    problems: str = ""

    @classmethod
    def of(cls, progress: ProjectProgress) -> "ProgressValues":
        return cls(**{f.name: getattr(progress, f.name) for f in fields(cls)})
