"""The benchmark's data sizes, bulk-loaded into PostgreSQL in seconds to minutes.

- **S**: the demo (the 2025 report and the demo year: 27 targets, 356 projects).
- **M**: 1,000 targets, 40 departments, 10,000 projects, 36 months of project reports.
- **L**: 10,000 targets in one plan year, 200 departments, 100,000 projects, 60 months.

Like ``bench/scale.py`` the bigger sizes copy the demo's targets (with their entries and
snapshots) and projects (with their monthly reports), so that every kind and status
keeps its share; unlike it, the copies are made by the server (``INSERT … SELECT`` over
``generate_series``, no row goes through Python), spread over the extra departments,
and the project reports are repeated into earlier years until each project has the
size's number of months. The programme and year aggregates are then rewritten from the
copied snapshots, as a recompute does, and the database is ``ANALYZE``d.

PostgreSQL only (the benchmark runs there).
"""

import math
import time
from dataclasses import dataclass

from django.db import DatabaseError, connection, transaction

from org.models import Department, DepartmentKind
from projects.models import KeyProject, ProjectProgress
from targets.models import PlanYear, ProgressEntry, Target, TargetSnapshot
from targets.snapshots import recompute_targets


@dataclass(frozen=True)
class Spec:
    name: str
    targets: int | None  # None: the demo's
    departments: int | None
    projects: int | None
    months: int | None  # months of reports per project (the demo has up to 10)

    def describe(self) -> str:
        if self.targets is None:
            return "演示数据"
        return (
            f"{self.targets:,} 指标 / {self.departments} 单位 / {self.projects:,} 项目 / "
            f"{self.months} 个月"
        )


SIZES = {
    "S": Spec("S", None, None, None, None),
    "M": Spec("M", 1_000, 40, 10_000, 36),
    "L": Spec("L", 10_000, 200, 100_000, 60),
}


def _columns(model, overrides: dict[str, str], alias: str = "o") -> tuple[str, str]:
    """The insert column list and the select list copying ``alias``'s row, with
    ``overrides`` (column → SQL expression) applied; the primary key is left out."""
    names, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        names.append(f'"{field.column}"')
        values.append(overrides.get(field.column, f'{alias}."{field.column}"'))
    return ", ".join(names), ", ".join(values)


def _departments(count: int) -> list[int]:
    existing = list(Department.objects.order_by("pk").values_list("pk", flat=True))
    extra = max(0, count - len(existing))
    Department.objects.bulk_create(
        Department(
            name=f"基准测试单位{i:03d}",
            short_name=f"测试单位{i:03d}",
            code=f"bench{i:03d}",
            kind=DepartmentKind.DISTRICT_OFFICE,
            sort_order=900,
        )
        for i in range(1, extra + 1)
    )
    return list(Department.objects.order_by("pk").values_list("pk", flat=True))[:count]


def _copy_targets(cursor, plan_year: PlanYear, total: int, departments: list[int]) -> None:
    originals = list(Target.objects.for_plan_year(plan_year).values_list("pk", flat=True))
    copies = math.ceil(total / len(originals))  # the originals count as copy 1
    table = Target._meta.db_table
    names, values = _columns(
        Target,
        {
            "code": "o.code || '-' || k",
            "lead_department_id": "(%s::bigint[])[1 + (o.id * 7 + k) %% %s]",
        },
    )
    cursor.execute(
        f"INSERT INTO {table} ({names}) SELECT {values} FROM {table} o "
        "CROSS JOIN generate_series(2, %s) k WHERE o.id = ANY(%s) "
        "ORDER BY k, o.id LIMIT %s",
        [departments, len(departments), copies, originals, total - len(originals)],
    )
    # copy → original, matched on the code without its copy number
    cursor.execute("DROP TABLE IF EXISTS bench_tmap")
    cursor.execute(
        f"CREATE TEMP TABLE bench_tmap AS SELECT n.id AS new_id, o.id AS old_id FROM {table} n "
        f"JOIN {table} o ON o.programme_id = n.programme_id "
        "AND o.code = regexp_replace(n.code, '-[0-9]+$', '') "
        "WHERE o.id = ANY(%s) AND NOT n.id = ANY(%s)",
        [originals, originals],
    )
    for model in (TargetSnapshot, ProgressEntry):
        names, values = _columns(model, {"target_id": "m.new_id"})
        table = model._meta.db_table
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {values} FROM {table} o "
            "JOIN bench_tmap m ON m.old_id = o.target_id"
        )


def _copy_projects(
    cursor, plan_year: PlanYear, total: int, months: int, departments: list[int]
) -> None:
    originals = list(KeyProject.objects.for_plan_year(plan_year).values_list("pk", flat=True))
    copies = math.ceil(total / len(originals))
    table = KeyProject._meta.db_table
    names, values = _columns(
        KeyProject,
        {
            "code": "o.code || '-' || k",
            "name": "o.name || '（' || k || '号）'",
            "lead_department_id": "(%s::bigint[])[1 + (o.id * 7 + k) %% %s]",
        },
    )
    cursor.execute(
        f"INSERT INTO {table} ({names}) SELECT {values} FROM {table} o "
        "CROSS JOIN generate_series(2, %s) k WHERE o.id = ANY(%s) "
        "ORDER BY k, o.id LIMIT %s",
        [departments, len(departments), copies, originals, total - len(originals)],
    )
    cursor.execute("DROP TABLE IF EXISTS bench_pmap")
    cursor.execute(
        f"CREATE TEMP TABLE bench_pmap AS SELECT n.id AS new_id, o.id AS old_id FROM {table} n "
        f"JOIN {table} o ON o.plan_year_id = n.plan_year_id "
        "AND o.code = regexp_replace(n.code, '-[0-9]+$', '') "
        "WHERE o.id = ANY(%s) AND NOT n.id = ANY(%s)",
        [originals, originals],
    )
    # Every project (originals and copies) gets the demo's reports of the year, and the
    # same repeated into earlier years back to ``months`` months before the latest.
    years = math.ceil(months / 12)
    table = ProjectProgress._meta.db_table
    latest = ProjectProgress.objects.filter(project_id__in=originals).order_by("-period").first()
    cutoff = f"(DATE '{latest.period.isoformat()}' - INTERVAL '{months - 1} months')"
    shifted = "(o.period - make_interval(years => y))::date"
    names, values = _columns(
        ProjectProgress,
        {"project_id": "m.new_id", "period": shifted},
    )
    cursor.execute(
        "CREATE TEMP TABLE bench_all AS SELECT new_id, old_id FROM bench_pmap "
        "UNION ALL SELECT id, id FROM unnest(%s::bigint[]) id",
        [originals],
    )
    cursor.execute(
        f"INSERT INTO {table} ({names}) SELECT {values} FROM {table} o "
        "JOIN bench_all m ON m.old_id = o.project_id CROSS JOIN generate_series(0, %s) y "
        f"WHERE (y > 0 OR m.new_id <> m.old_id) AND {shifted} >= {cutoff}",
        [years],
    )
    cursor.execute("DROP TABLE bench_all")


def _skip_foreign_key_checks(cursor) -> None:
    """Rows copied from rows that hold: their foreign keys hold. Without this the
    commit runs Django's deferred foreign-key check once per inserted row (at L, 4.2
    million: longer than the copy itself). Needs a superuser; without one the checks
    run."""
    try:
        with transaction.atomic():
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError as error:
        print(f"foreign keys are checked row by row (slower): {error}".strip())


def build(spec: Spec, plan_year: PlanYear, *, today, log=print) -> None:
    """Grow the demo year to ``spec`` (nothing for S)."""
    if spec.targets is None:
        return
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        _skip_foreign_key_checks(cursor)
        departments = _departments(spec.departments)
        _copy_targets(cursor, plan_year, spec.targets, departments)
        log(f"  {spec.name}: targets copied ({time.monotonic() - started:.0f} s)")
        _copy_projects(cursor, plan_year, spec.projects, spec.months, departments)
        log(f"  {spec.name}: projects and reports copied ({time.monotonic() - started:.0f} s)")
    recompute_targets(target_ids=[], today=today, all_programmes_of=plan_year)
    log(f"  {spec.name}: aggregates rewritten ({time.monotonic() - started:.0f} s)")


def counts(plan_year: PlanYear) -> dict[str, int]:
    return {
        "targets": Target.objects.for_plan_year(plan_year).count(),
        "departments": Department.objects.count(),
        "projects": KeyProject.objects.for_plan_year(plan_year).count(),
        "progress": ProjectProgress.objects.filter(project__plan_year=plan_year).count(),
        "entries": ProgressEntry.objects.filter(target__programme__plan_year=plan_year).count(),
        "snapshots": TargetSnapshot.objects.filter(target__programme__plan_year=plan_year).count(),
    }
