"""Writes to monthly reports of every kind: the workflow (workflow/machine.py) with
permissions, row locks, optimistic versions, history, evidence and the after-change
hook of the kind's adapter. Written once; each takes the kind's adapter. Views and
the Excel import call these; values arrive already validated by a form."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.core.files import File
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from workflow import notices
from workflow.machine import (
    ConflictError,
    WorkflowError,
    apply,
    change_reason,
    check_action,
    check_version,
    require,
)
from workflow.models import WorkflowEntry
from workflow.plausibility import settle
from workflow.registry import Change, ReportAdapter
from workflow.states import EntryState

REVIEWERS_ONLY = "只有审核员可以审核。"
NO_EVIDENCE = "这类填报不能上传佐证材料。"


@dataclass(frozen=True)
class NewEvidence:
    """An evidence file already checked (size, type by content) by the caller's form."""

    file: File
    original_name: str
    content_type: str
    size: int


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _values_before(adapter: ReportAdapter, entry: WorkflowEntry) -> Any | None:
    return adapter.values_of(entry) if entry.pk is not None else None


def _attach(
    adapter: ReportAdapter, entry: WorkflowEntry, user: User, files: Sequence[NewEvidence]
) -> list:
    """Save the evidence rows; on any failure delete the files already written (the
    rows roll back with the transaction, the files on disk would not)."""
    rows = []
    try:
        for item in files:
            row = adapter.evidence_model(
                entry=entry,
                file=item.file,
                original_name=item.original_name,
                size=item.size,
                content_type=item.content_type,
                uploaded_by=user,
            )
            rows.append(row)
            row.save()
    except BaseException:
        _discard_files(rows)
        raise
    return rows


def _discard_files(rows) -> None:
    for row in rows:
        if row.file._committed:
            row.file.delete(save=False)


def settled_values(
    adapter: ReportAdapter,
    subject: models.Model,
    values: Any,
    *,
    period: date,
    history: list | None = None,
) -> Any:
    """``values`` as they may be written: the kind's plausibility checks run again
    here, whoever the caller (web form, workbook, script), and a warned figure
    without the clerk's confirmation and explanation (``values.unusual`` and
    ``values.unusual_reason``) is refused (WorkflowError, nothing written); a
    confirmed one is flagged 异常 with the warning, an unwarned one never is."""
    warnings = adapter.plausibility(subject, values, period=period, history=history)
    verdict = settle(warnings, confirmed=values.unusual, reason=values.unusual_reason)
    if verdict.refusal:
        raise WorkflowError(verdict.refusal)
    return replace(
        values,
        unusual=verdict.unusual,
        unusual_warning=verdict.warning,
        unusual_reason=verdict.reason,
    )


def _evidence_note(reason: str, files: Sequence[NewEvidence]) -> str:
    names = "、".join(item.original_name for item in files)
    return change_reason(f"{reason}；上传佐证材料：{names}")


@transaction.atomic
def save_entry(
    *,
    adapter: ReportAdapter,
    subject: models.Model,
    period: date,
    user: User,
    values: Any,
    expected_version: int | None,
    submit: bool = False,
    evidence: Sequence[NewEvidence] = (),
) -> WorkflowEntry:
    """Create or update a department's report on ``subject`` for one month, as a
    draft or submitted, with any new evidence files. ``expected_version`` is the
    version the user's form was loaded with (0 when the entry did not exist yet; None
    skips the check)."""
    require(adapter.can_report(user, subject), adapter.not_yours)
    if evidence and adapter.evidence_model is None:
        raise WorkflowError(NO_EVIDENCE)
    period = _month_start(period)
    values = settled_values(adapter, subject, values, period=period)
    entry = adapter.lock_entry(subject, period)
    if entry is None:
        if expected_version:  # 0: the form was opened before the entry existed
            raise ConflictError("这条记录已被删除或尚未创建，请刷新页面后重新填写。")
        entry = adapter.new_entry(subject, period)
    values_before = _values_before(adapter, entry)
    state_before = entry.state if entry.pk is not None else None
    action = "submit" if submit else "save"
    counted_before = apply(entry, action=action, user=user, expected_version=expected_version)
    adapter.apply_values(entry, values)
    if evidence:
        entry._change_reason = _evidence_note(entry._change_reason, evidence)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as error:
        # Two first saves of the same month at once: the unique constraint lets one in.
        raise ConflictError(adapter.created_meanwhile) from error
    rows = _attach(adapter, entry, user, evidence)
    try:
        adapter.after_change(Change(entry, action, user, counted_before, values_before))
    except BaseException:
        _discard_files(rows)
        raise
    if submit and state_before != EntryState.SUBMITTED:
        notices.entries_submitted(
            adapter=adapter,
            entries=[entry],
            resubmitted={entry.pk} if state_before == EntryState.RETURNED else set(),
            user=user,
        )
    return entry


@transaction.atomic
def submit_entry(
    *,
    adapter: ReportAdapter,
    subject: models.Model,
    period: date,
    user: User,
    values: Any,
    expected_version: int | None,
    evidence: Sequence[NewEvidence] = (),
) -> WorkflowEntry:
    return save_entry(
        adapter=adapter,
        subject=subject,
        period=period,
        user=user,
        values=values,
        expected_version=expected_version,
        submit=True,
        evidence=evidence,
    )


def _review(
    adapter: ReportAdapter,
    entry_id: int,
    *,
    action: str,
    user: User,
    expected_version: int | None,
    reason: str = "",
) -> WorkflowEntry:
    require(adapter.can_review(user), REVIEWERS_ONLY)
    entry = adapter.lock_entry_by_id(entry_id)
    values_before = adapter.values_of(entry)
    counted_before = apply(
        entry, action=action, user=user, expected_version=expected_version, reason=reason
    )
    entry.save()
    adapter.after_change(Change(entry, action, user, counted_before, values_before))
    notices.entry_reviewed(adapter=adapter, entry=entry, action=action, user=user)
    return entry


@transaction.atomic
def approve_entry(
    *, adapter: ReportAdapter, entry_id: int, user: User, expected_version: int | None
) -> WorkflowEntry:
    return _review(
        adapter, entry_id, action="approve", user=user, expected_version=expected_version
    )


@transaction.atomic
def return_entry(
    *, adapter: ReportAdapter, entry_id: int, user: User, reason: str, expected_version: int | None
) -> WorkflowEntry:
    return _review(
        adapter,
        entry_id,
        action="return",
        user=user,
        expected_version=expected_version,
        reason=reason,
    )


@transaction.atomic
def reopen_entry(
    *, adapter: ReportAdapter, entry_id: int, user: User, reason: str, expected_version: int | None
) -> WorkflowEntry:
    return _review(
        adapter,
        entry_id,
        action="reopen",
        user=user,
        expected_version=expected_version,
        reason=reason,
    )


@dataclass(frozen=True)
class BulkWrite:
    """One report of many to save at once: ``key`` is the caller's (a row number)
    and comes back with a refusal."""

    key: Any
    subject: models.Model
    values: Any
    expected_version: int | None
    # The subject's reports up to the month, when the caller loaded them (the
    # plausibility checks then read nothing more).
    history: list | None = None


@dataclass(frozen=True)
class Refusal:
    """Why one write was refused: ``about`` is "subject" (not the user's to write),
    "state" (the workflow said no: locked, changed meanwhile) or "unusual" (a
    warned figure without confirmation and explanation)."""

    key: Any
    about: str
    message: str


@transaction.atomic
def save_entries(
    *,
    adapter: ReportAdapter,
    period: date,
    user: User,
    writes: Sequence[BulkWrite],
    submit: bool = False,
) -> list[Refusal]:
    """Save many reports of one kind and month at once (the workbook import), with
    the same checks, versions and history as ``save_entry``, in a fixed number of
    queries: one to lock the month's rows, one to create, one to update, one each
    for their history, and the kind's after-change hook once for all of them.
    Writes nothing when any write is refused; returns the refusals."""
    period = _month_start(period)
    action = "submit" if submit else "save"
    refusals = [
        Refusal(w.key, "subject", adapter.not_yours)
        for w in writes
        if not adapter.can_report(user, w.subject)
    ]
    if refusals or not writes:
        return refusals
    histories = _histories(adapter, period, writes)
    settled = {}
    for write in writes:
        try:
            settled[write.key] = settled_values(
                adapter,
                write.subject,
                write.values,
                period=period,
                history=histories[write.subject.pk],
            )
        except WorkflowError as error:
            refusals.append(Refusal(write.key, "unusual", error.message))
    if refusals:
        return refusals
    locked = {
        adapter.subject_of_id(entry): entry
        for entry in adapter.model.objects.select_for_update().filter(
            **{f"{adapter.subject_field}__in": [w.subject for w in writes], "period": period}
        )
    }
    new, changed, changes = [], [], []
    queued, resubmitted = [], []  # entries this submission puts in the review queue
    for write in writes:
        entry = locked.get(write.subject.pk)
        if entry is None and write.expected_version:
            refusals.append(
                Refusal(write.key, "state", "这条记录已被删除或尚未创建，请刷新页面后重新填写。")
            )
            continue
        entry = entry or adapter.new_entry(write.subject, period)
        values_before = _values_before(adapter, entry)
        state_before = entry.state if entry.pk is not None else None
        try:
            counted_before = apply(
                entry, action=action, user=user, expected_version=write.expected_version
            )
        except WorkflowError as error:
            refusals.append(Refusal(write.key, "state", error.message))
            continue
        adapter.apply_values(entry, settled[write.key])
        (new if entry.pk is None else changed).append(entry)
        changes.append(Change(entry, action, user, counted_before, values_before))
        if submit and state_before != EntryState.SUBMITTED:
            queued.append(entry)
            if state_before == EntryState.RETURNED:
                resubmitted.append(entry)
    if refusals:
        return refusals
    try:
        with transaction.atomic():
            bulk_create_with_history(new, adapter.model)
    except IntegrityError:
        # Someone created one of these months meanwhile (the unique constraint).
        keys = {w.subject.pk: w.key for w in writes}
        return [
            Refusal(keys[adapter.subject_of_id(e)], "state", adapter.created_meanwhile) for e in new
        ]
    now = timezone.now()
    for entry in changed:
        entry.updated_at = now  # bulk_update does not run auto_now
    bulk_update_with_history(changed, adapter.model, fields=_updated_fields(adapter.model))
    adapter.after_changes(changes)
    if queued:
        notices.entries_submitted(
            adapter=adapter,
            entries=queued,
            resubmitted={entry.pk for entry in resubmitted},
            user=user,
        )
    return []


def _histories(adapter: ReportAdapter, period: date, writes: Sequence[BulkWrite]) -> dict:
    """Each write's subject's reports up to the month: the caller's, or one query."""
    if all(w.history is not None for w in writes):
        return {w.subject.pk: w.history for w in writes}
    grouped: dict[int, list] = defaultdict(list)
    for report in adapter.entries().filter(
        **{f"{adapter.subject_field}__in": [w.subject for w in writes], "period__lte": period}
    ):
        grouped[adapter.subject_of_id(report)].append(report)
    return grouped


def _updated_fields(model: type[WorkflowEntry]) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in ("created_at", "created_by")
    ]


# The review actions by name, for the pages' forms.
REVIEW_SERVICES = {"approve": approve_entry, "return": return_entry, "reopen": reopen_entry}


def _bump(entry: WorkflowEntry, user: User, reason: str) -> None:
    """An evidence change is a change to the entry: a new version and a history row."""
    entry.version += 1
    entry.updated_by = user
    entry._history_user = user
    entry._change_reason = change_reason(reason)
    entry.save(update_fields=["version", "updated_by", "updated_at"])


@transaction.atomic
def add_evidence(
    *,
    adapter: ReportAdapter,
    entry_id: int,
    user: User,
    files: Sequence[NewEvidence],
    expected_version: int | None,
) -> WorkflowEntry:
    """Attach evidence files to an entry that is not locked."""
    if adapter.evidence_model is None:
        raise WorkflowError(NO_EVIDENCE)
    entry = adapter.lock_entry_by_id(entry_id)
    require(adapter.can_report(user, adapter.subject_of(entry)), adapter.not_yours)
    check_version(entry, expected_version)
    check_action(entry, "save")
    _bump(entry, user, _evidence_note("", files).lstrip("；"))
    _attach(adapter, entry, user, files)
    return entry


@transaction.atomic
def remove_evidence(
    *, adapter: ReportAdapter, evidence_id: int, user: User, expected_version: int | None
) -> WorkflowEntry:
    """Delete an evidence file from an entry that is not locked. Recorded in the
    entry's history (a new version), like any other change to it."""
    if adapter.evidence_model is None:
        raise WorkflowError(NO_EVIDENCE)
    evidence = adapter.evidence_model.objects.get(pk=evidence_id)
    entry = adapter.lock_entry_by_id(evidence.entry_id)
    require(adapter.can_report(user, adapter.subject_of(entry)), adapter.not_yours)
    check_version(entry, expected_version)
    check_action(entry, "save")
    _bump(entry, user, f"删除佐证材料：{evidence.original_name}")
    name = evidence.file.name
    evidence.delete()
    # The file goes only once the deletion is committed: a rollback keeps both.
    transaction.on_commit(lambda: evidence.file.storage.delete(name))
    return entry
