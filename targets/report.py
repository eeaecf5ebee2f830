"""Load a work report's definitions (plan year, departments, programmes, targets)
from the TOML data in fixtures/.

Rows are matched on their natural keys. By default only missing rows are created:
once loaded, the definitions belong to the admins (tolerance, lead departments,
deadlines …), and loading again — `make run`, a container start — must not undo
their edits. ``update=True`` (``load_workreport --update``) makes the file win.
"""

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Model

from org.models import Department
from targets.models import MANUAL_SOURCE, PlanYear, Programme, Target

REPORT_FILE = settings.BASE_DIR / "fixtures" / "report_2025.toml"


def read_report(path: Path = REPORT_FILE) -> dict[str, Any]:
    with path.open("rb") as file:
        return tomllib.load(file)


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@dataclass
class Tally:
    created: int = 0
    updated: int = 0


def upsert(
    model: type[Model], defaults: dict[str, Any], *, update: bool, tally: Tally, **lookup: Any
) -> tuple[Model, bool]:
    """Create the row if it is missing; with ``update``, also bring an existing one in
    line with ``defaults`` (saving only when something differs, so that loading the
    same data again writes nothing: no history rows, no recompute). Returns the row
    and whether it was written."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        tally.created += 1
        return model.objects.create(**lookup, **defaults), True
    changed = {name: value for name, value in defaults.items() if getattr(obj, name) != value}
    if not update or not changed:
        return obj, False
    for name, value in changed.items():
        setattr(obj, name, value)
    obj.save()
    tally.updated += 1
    return obj, True


def load_definitions(
    data: dict[str, Any], base_dir: Path, *, update: bool = False, tally: Tally | None = None
) -> PlanYear:
    """Create the report's plan year and everything defined under it that is missing
    (with ``update``, also reset existing rows to the file).

    Call inside a transaction (see the load_workreport command)."""
    tally = tally if tally is not None else Tally()
    year = data["plan_year"]
    source_file = year.get("source_file")
    plan_year, _ = upsert(
        PlanYear,
        update=update,
        tally=tally,
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
        departments[row["code"]], _ = upsert(
            Department,
            update=update,
            tally=tally,
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
        programmes[row["number"]], _ = upsert(
            Programme,
            update=update,
            tally=tally,
            plan_year=plan_year,
            number=row["number"],
            defaults={
                "name": row["name"],
                "short_name": row["short_name"],
                "text": row["text"].strip(),
            },
        )
    for order, row in enumerate(data["targets"], start=1):
        target, written = upsert(
            Target,
            update=update,
            tally=tally,
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
        if written:
            target.co_departments.set([departments[code] for code in row.get("co", [])])
    return plan_year
