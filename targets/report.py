"""Load a work report's definitions (plan year, departments, programmes, targets)
from the TOML data in fixtures/. Idempotent: rows are matched on natural keys."""

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Model

from targets.models import MANUAL_SOURCE, Department, PlanYear, Programme, Target

REPORT_FILE = settings.BASE_DIR / "fixtures" / "report_2025.toml"


def read_report(path: Path = REPORT_FILE) -> dict[str, Any]:
    with path.open("rb") as file:
        return tomllib.load(file)


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def upsert(model: type[Model], defaults: dict[str, Any], **lookup: Any) -> Model:
    """Like update_or_create, but saves only when something differs, so that loading
    the same data again writes nothing (no history rows, no recompute)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **defaults)
    changed = {name: value for name, value in defaults.items() if getattr(obj, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(obj, name, value)
        obj.save()
    return obj


def load_definitions(data: dict[str, Any], base_dir: Path) -> PlanYear:
    """Create or update the report's plan year and everything defined under it.

    Call inside a transaction (see the load_report command)."""
    year = data["plan_year"]
    source_file = year.get("source_file")
    plan_year = upsert(
        PlanYear,
        year=year["year"],
        defaults={
            "title": year["title"],
            "adopted_on": year["adopted_on"],
            "tolerance_points": _decimal(year.get("tolerance_points", 10)),
            "report_due_day": year.get("report_due_day", 5),
            "source_text": (base_dir / source_file).read_text("utf-8") if source_file else "",
        },
    )
    departments = {}
    for row in data["departments"]:
        departments[row["code"]] = upsert(
            Department,
            code=row["code"],
            defaults={
                "name": row["name"],
                "short_name": row["short_name"],
                "kind": row["kind"],
                "sort_order": row.get("sort_order", 100),
            },
        )
    programmes = {}
    for row in data["programmes"]:
        programmes[row["number"]] = upsert(
            Programme,
            plan_year=plan_year,
            number=row["number"],
            defaults={
                "name": row["name"],
                "short_name": row["short_name"],
                "text": row["text"].strip(),
            },
        )
    for order, row in enumerate(data["targets"], start=1):
        target = upsert(
            Target,
            programme=programmes[row["programme"]],
            code=row["code"],
            defaults={
                "title": row["title"],
                "sentence": row["sentence"],
                "kind": row["kind"],
                "unit": row.get("unit", ""),
                "baseline": _decimal(row.get("baseline")),
                "target_value": _decimal(row.get("target_value")),
                "direction": row.get("direction", "increase"),
                "starts_on": row.get("starts_on", plan_year.starts_on),
                "deadline": row.get("deadline", plan_year.ends_on),
                "lead_department": departments[row["lead"]],
                "weight": _decimal(row.get("weight", 1)),
                "source": row.get("source", MANUAL_SOURCE),
                "sort_order": order,
            },
        )
        target.co_departments.set([departments[code] for code in row.get("co", [])])
    return plan_year
