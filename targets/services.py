"""Writes to monthly target entries: the workflow, with permissions, locking, history
and the recompute it triggers. Views and the Excel import call these; values arrive
already validated by a form."""

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from django.core.files import File
from django.db import IntegrityError, transaction

from org import roles
from targets import completion
from targets.models import Evidence, ProgressEntry, Target
from targets.periods import month_end, month_start, report_due_date
from targets.snapshots import request_recompute
from targets.workflow import (
    ConflictError,
    apply,
    change_reason,
    check_action,
    check_version,
    require,
)


# The fields a department reports (everything else is workflow bookkeeping).
@dataclass(frozen=True)
class EntryValues:
    value: Decimal | None = None
    percent: Decimal | None = None
    done_on: date | None = None
    assessment: str = ""
    narrative: str = ""
    problems: str = ""
    next_steps: str = ""
    correction_reason: str = ""

    @classmethod
    def of(cls, entry: ProgressEntry) -> "EntryValues":
        return cls(**{f.name: getattr(entry, f.name) for f in fields(cls)})


@dataclass(frozen=True)
class NewEvidence:
    """An evidence file already checked (size, type by content) by the caller's form."""

    file: File
    original_name: str
    content_type: str
    size: int


def _locked_entry(target: Target, period: date) -> ProgressEntry | None:
    return ProgressEntry.objects.select_for_update().filter(target=target, period=period).first()


def _after_write(entry: ProgressEntry, counted_before: bool) -> None:
    # Only counted entries move the figures; a draft saved over a draft changes nothing.
    if counted_before or entry.counts:
        request_recompute(target_ids=[entry.target_id], reason=f"月报{entry.get_state_display()}")


@transaction.atomic
def save_entry(
    *,
    target: Target,
    period: date,
    user,
    values: EntryValues,
    expected_version: int | None,
    submit: bool = False,
    evidence: Sequence[NewEvidence] = (),
) -> ProgressEntry:
    """Create or update a department's report for one target and month, as a draft
    or submitted, with any new evidence files. ``expected_version`` is the version the
    user's form was loaded with (0 when the entry did not exist yet; None skips the
    check)."""
    require(roles.can_report_for_target(user, target), "只能填报本单位牵头的指标。")
    period = month_start(period)
    entry = _locked_entry(target, period)
    if entry is None:
        if expected_version:
            raise ConflictError("这条记录已被删除或尚未创建,请刷新页面后重新填写。")
        entry = ProgressEntry(target=target, period=period)
    counted_before = apply(
        entry,
        action="submit" if submit else "save",
        user=user,
        expected_version=expected_version,
    )
    for name, value in vars(values).items():
        setattr(entry, name, value)
    if evidence:
        names = "、".join(item.original_name for item in evidence)
        entry._change_reason = change_reason(f"{entry._change_reason};上传佐证材料:{names}")
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as error:
        # Two first saves of the same month at once: the unique constraint lets one in.
        raise ConflictError("同一指标本月的记录刚被他人创建,请刷新页面查看后再修改。") from error
    rows = []
    try:
        for item in evidence:
            row = Evidence(
                entry=entry,
                file=item.file,
                original_name=item.original_name,
                size=item.size,
                content_type=item.content_type,
                uploaded_by=user,
            )
            rows.append(row)
            row.save()
        _after_write(entry, counted_before)
    except BaseException:
        # The rows roll back with the transaction; the files already on disk would not.
        for row in rows:
            if row.file._committed:
                row.file.delete(save=False)
        raise
    return entry


@transaction.atomic
def remove_evidence(*, evidence_id: int, user, expected_version: int | None) -> ProgressEntry:
    """Delete an evidence file from an entry that is not locked. Recorded in the
    entry's history (a new version), like any other change to it."""
    evidence = Evidence.objects.select_related("entry__target").get(pk=evidence_id)
    require(roles.can_report_for_target(user, evidence.entry.target), "只能修改本单位牵头的指标。")
    entry = ProgressEntry.objects.select_for_update().get(pk=evidence.entry_id)
    check_version(entry, expected_version)
    check_action(entry, "save")
    entry.version += 1
    entry.updated_by = user
    entry._history_user = user
    entry._change_reason = change_reason(f"删除佐证材料:{evidence.original_name}")
    entry.save(update_fields=["version", "updated_by", "updated_at"])
    name = evidence.file.name
    evidence.delete()
    # The file goes only once the deletion is committed: a rollback keeps both.
    transaction.on_commit(lambda: evidence.file.storage.delete(name))
    return entry


def _review(
    entry_id: int, *, action: str, user, expected_version: int | None, reason: str = ""
) -> ProgressEntry:
    require(roles.is_reviewer(user), "只有审核员可以审核。")
    entry = ProgressEntry.objects.select_for_update().select_related("target").get(pk=entry_id)
    counted_before = apply(
        entry, action=action, user=user, expected_version=expected_version, reason=reason
    )
    entry.save()
    _after_write(entry, counted_before)
    return entry


@transaction.atomic
def approve_entry(*, entry_id: int, user, expected_version: int | None) -> ProgressEntry:
    return _review(entry_id, action="approve", user=user, expected_version=expected_version)


@transaction.atomic
def return_entry(
    *, entry_id: int, user, reason: str, expected_version: int | None
) -> ProgressEntry:
    return _review(
        entry_id, action="return", user=user, expected_version=expected_version, reason=reason
    )


@transaction.atomic
def reopen_entry(
    *, entry_id: int, user, reason: str, expected_version: int | None
) -> ProgressEntry:
    return _review(
        entry_id, action="reopen", user=user, expected_version=expected_version, reason=reason
    )


# --- reads the forms need ------------------------------------------------------------


def previous_counted_entry(target: Target, period: date) -> ProgressEntry | None:
    """The latest submitted or approved entry before ``period`` (last month's figure)."""
    return (
        ProgressEntry.objects.filter(
            target=target, period__lt=month_start(period), state__in=completion.COUNTED_STATES
        )
        .order_by("-period")
        .first()
    )


def preview_entry(
    *, target: Target, period: date, values: EntryValues, today: date
) -> completion.TargetResult:
    """What the target's month would look like if this entry were submitted: its ratio
    against 序时进度 and the status it would get. Nothing is written."""
    period = month_start(period)
    rules = target.programme.plan_year.rules
    others = [e.fact() for e in target.entries.exclude(period=period).filter(period__lte=period)]
    hypothetical = completion.EntryFact(
        period=period,
        state=completion.SUBMITTED,
        value=values.value,
        percent=values.percent,
        done_on=values.done_on,
        assessment=values.assessment or None,
    )
    return completion.evaluate_target(
        target.spec(),
        [*others, hypothetical],
        as_of=month_end(period),
        # Judged as if this month's report were in: the preview is about the figure.
        today=max(today, report_due_date(period, rules.due_day)),
        rules=rules,
    )
