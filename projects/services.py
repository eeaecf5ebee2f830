"""What is particular to key projects' monthly progress in the shared workflow: the
values a department reports. The writes are workflow/services.py's, through
projects/adapters.py (which also moves the project's stage on approval)."""

from dataclasses import dataclass
from decimal import Decimal

from workflow.registry import ReportValues


@dataclass(frozen=True)
class ProgressValues(ReportValues):
    investment: Decimal | None = None
    stage: str = ""
    notes: str = ""
    problems: str = ""
    next_steps: str = ""
