"""Writes to key projects' monthly progress: the same workflow as target entries
(targets/workflow.py). Counted progress feeds the derived targets, so a change
requests their recompute."""

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction

from org import roles
from projects.models import KeyProject, ProjectProgress
from projects.signals import recompute_derived_targets
from targets.models import EntryState
from targets.periods import month_start
from targets.workflow import ConflictError, apply, require


@dataclass(frozen=True)
class ProgressValues:
    investment: Decimal | None = None
    stage: str = ""
    notes: str = ""
    problems: str = ""

    @classmethod
    def of(cls, progress: ProjectProgress) -> "ProgressValues":
        return cls(**{f.name: getattr(progress, f.name) for f in fields(cls)})


def can_report_for_project(user, project: KeyProject) -> bool:
    return roles.can_report_for_department(user, project.lead_department_id)


def _after_write(progress: ProjectProgress, counted_before: bool, user) -> None:
    if counted_before or progress.counts:
        recompute_derived_targets(progress.project.plan_year_id, "项目月报变更")
    project = progress.project
    newer_approved = ProjectProgress.objects.filter(
        project=project, state=EntryState.APPROVED, period__gt=progress.period
    )
    if (
        progress.state == EntryState.APPROVED
        and progress.stage
        and progress.stage != project.stage
        and not newer_approved.exists()
    ):
        # The project's stage is what its latest approved report says (kept in its history).
        project.stage = progress.stage
        project._history_user = user
        project._change_reason = f"{progress.period:%Y年%m月}月报审核通过"
        project.save()


@transaction.atomic
def save_progress(
    *,
    project: KeyProject,
    period: date,
    user,
    values: ProgressValues,
    expected_version: int | None,
    submit: bool = False,
) -> ProjectProgress:
    require(can_report_for_project(user, project), "只能填报本单位负责的项目。")
    period = month_start(period)
    progress = (
        ProjectProgress.objects.select_for_update().filter(project=project, period=period).first()
    )
    if progress is None:
        if expected_version:  # 0: the form was opened before the entry existed
            raise ConflictError("这条记录已被删除或尚未创建,请刷新页面后重新填写。")
        progress = ProjectProgress(project=project, period=period)
    counted_before = apply(
        progress,
        action="submit" if submit else "save",
        user=user,
        expected_version=expected_version,
    )
    for name, value in vars(values).items():
        setattr(progress, name, value)
    try:
        with transaction.atomic():
            progress.save()
    except IntegrityError as error:
        raise ConflictError("同一项目本月的记录刚被他人创建,请刷新页面查看后再修改。") from error
    _after_write(progress, counted_before, user)
    return progress


def _review(
    progress_id: int, *, action: str, user, expected_version: int | None, reason: str = ""
) -> ProjectProgress:
    require(roles.is_reviewer(user), "只有审核员可以审核。")
    progress = (
        ProjectProgress.objects.select_for_update().select_related("project").get(pk=progress_id)
    )
    counted_before = apply(
        progress, action=action, user=user, expected_version=expected_version, reason=reason
    )
    progress.save()
    _after_write(progress, counted_before, user)
    return progress


@transaction.atomic
def approve_progress(*, progress_id: int, user, expected_version: int | None) -> ProjectProgress:
    return _review(progress_id, action="approve", user=user, expected_version=expected_version)


@transaction.atomic
def return_progress(
    *, progress_id: int, user, reason: str, expected_version: int | None
) -> ProjectProgress:
    return _review(
        progress_id, action="return", user=user, expected_version=expected_version, reason=reason
    )


@transaction.atomic
def reopen_progress(
    *, progress_id: int, user, reason: str, expected_version: int | None
) -> ProjectProgress:
    return _review(
        progress_id, action="reopen", user=user, expected_version=expected_version, reason=reason
    )
