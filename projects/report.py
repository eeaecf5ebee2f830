"""Load the key projects a work report names (see fixtures/report_2025.toml)."""

from typing import Any

from org.models import Department
from projects.metrics import PROJECT_FIELDS, request_derived_recompute
from projects.models import KeyProject
from targets.models import PlanYear
from targets.report import Tally, upsert


def load_named_projects(
    data: dict[str, Any], plan_year: PlanYear, *, update: bool = False, tally: Tally
) -> int:
    """Create the named projects that are missing (with ``update``, also reset existing
    ones to the file: stage and lead department included). Asks for the recompute of
    the derived targets when a project was written (call inside the load's transaction)."""
    programmes = {p.number: p for p in plan_year.programmes.all()}
    departments = {d.code: d for d in Department.objects.all()}
    written = False
    for row in data.get("projects", []):
        _, wrote = upsert(
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
        written |= wrote
    if written:
        request_derived_recompute(
            plan_year_id=plan_year.pk, changed=PROJECT_FIELDS, reason="加载工作报告"
        )
    return len(data.get("projects", []))
