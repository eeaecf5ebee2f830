"""Load the key projects a work report names (see fixtures/report_2025.toml)."""

from typing import Any

from org.models import Department
from projects.models import KeyProject
from targets.models import PlanYear
from targets.report import Tally, upsert


def load_named_projects(
    data: dict[str, Any], plan_year: PlanYear, *, update: bool = False, tally: Tally
) -> int:
    """Create the named projects that are missing (with ``update``, also reset existing
    ones to the file: stage and lead department included)."""
    programmes = {p.number: p for p in plan_year.programmes.all()}
    departments = {d.code: d for d in Department.objects.all()}
    for row in data.get("projects", []):
        upsert(
            KeyProject,
            update=update,
            tally=tally,
            plan_year=plan_year,
            code=row["code"],
            defaults={
                "name": row["name"],
                "programme": programmes[row["programme"]],
                "lead_department": departments[row["lead"]],
                "category": row["category"],
                "stage": row["stage"],
                "leading_industry": row.get("leading_industry", False),
                "description": row.get("description", ""),
                "named_in_report": True,
            },
        )
    return len(data.get("projects", []))
