"""Scale data: N× the report's targets and the demo year's projects.

``scale_up`` copies every target of a plan year (with its monthly entries and
snapshots) and every project (with its monthly progress) ``factor − 1`` times, then
rewrites the programme and year aggregates from the target snapshots, as a recompute
does. Copies keep their originals' figures, so every kind and status keeps its share
and the pages show what a district with 20× the targets and projects would see.
Snapshots are copied rather than recomputed: the point is the pages' reads, and a
full recompute of 7000 projects' derived figures would only make building slow.

Used by ``python -m bench.render`` and by the query-count tests.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from projects.models import KeyProject, ProjectProgress
from targets.models import PlanYear, ProgressEntry, Target, TargetSnapshot
from targets.snapshots import recompute_targets

BATCH = 2000


@dataclass(frozen=True)
class Size:
    targets: int
    projects: int
    progress: int

    def __str__(self) -> str:
        return f"{self.targets} 指标 / {self.projects} 项目 / {self.progress} 月报"


def size_of(plan_year: PlanYear) -> Size:
    return Size(
        targets=Target.objects.for_plan_year(plan_year).count(),
        projects=KeyProject.objects.for_plan_year(plan_year).count(),
        progress=ProjectProgress.objects.filter(project__plan_year=plan_year).count(),
    )


def _copy(instance, **changes):
    """An unsaved copy of a model instance with ``changes`` applied."""
    values = {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if not f.primary_key
    }
    return type(instance)(**{**values, **changes})


def _copy_targets(plan_year: PlanYear, factor: int) -> None:
    originals = list(Target.objects.for_plan_year(plan_year).order_by("pk"))
    copies = [
        _copy(t, code=f"{t.code}-{k}", sort_order=t.sort_order)
        for k in range(2, factor + 1)
        for t in originals
    ]
    # bulk_create skips Target.save() (its source check): the copies reuse
    # sources that are already valid.
    Target.objects.bulk_create(copies, batch_size=BATCH)
    twins: dict[int, list[Target]] = {t.pk: [] for t in originals}
    for copy in Target.objects.for_plan_year(plan_year).exclude(pk__in=twins).order_by("pk"):
        original_code = copy.code.rsplit("-", 1)[0]
        twins[_by_code(originals, copy.programme_id, original_code)].append(copy)
    snapshots = TargetSnapshot.objects.filter(target__in=originals)
    TargetSnapshot.objects.bulk_create(
        (_copy(s, target_id=twin.pk) for s in snapshots for twin in twins[s.target_id]),
        batch_size=BATCH,
    )
    entries = ProgressEntry.objects.filter(target__in=originals)
    ProgressEntry.objects.bulk_create(
        (_copy(e, target_id=twin.pk) for e in entries for twin in twins[e.target_id]),
        batch_size=BATCH,
    )


def _by_code(originals: list[Target], programme_id: int, code: str) -> int:
    return next(t.pk for t in originals if t.programme_id == programme_id and t.code == code)


def _copy_projects(plan_year: PlanYear, factor: int) -> None:
    originals = list(KeyProject.objects.for_plan_year(plan_year).order_by("pk"))
    copies = [
        _copy(p, code=f"{p.code}-{k:02d}", name=f"{p.name}（{k}号）")
        for k in range(2, factor + 1)
        for p in originals
    ]
    KeyProject.objects.bulk_create(copies, batch_size=BATCH)
    by_code = {p.code: p for p in originals}
    twins: dict[int, list[int]] = {p.pk: [] for p in originals}
    for pk, code in (
        KeyProject.objects.for_plan_year(plan_year).exclude(pk__in=twins).values_list("pk", "code")
    ):
        twins[by_code[code.rsplit("-", 1)[0]].pk].append(pk)
    progress = ProjectProgress.objects.filter(project__in=originals)
    ProjectProgress.objects.bulk_create(
        (_copy(p, project_id=twin) for p in progress for twin in twins[p.project_id]),
        batch_size=BATCH,
    )


def scale_up(plan_year: PlanYear, *, factor: int = 20, today: date) -> Size:
    """Make the year's targets and projects ``factor`` times as many. ``today`` is the
    day the existing snapshots were computed for (it decides which months exist)."""
    if factor < 2:
        return size_of(plan_year)
    with transaction.atomic():
        _copy_targets(plan_year, factor)
        _copy_projects(plan_year, factor)
    recompute_targets(target_ids=[], today=today, all_programmes_of=plan_year)
    return size_of(plan_year)
