"""Evidence files chosen on a form that was not saved are not lost: they are kept
as pending uploads of their owner and that form (workflow.models.PendingUpload),
shown as attached when the form comes back, attached on the corrected save, and
removed after a day if nobody saves the form (the beat task and the
``clean_pending_uploads`` command)."""

import logging
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from django.core.files.base import ContentFile
from django.db import transaction

from workflow.models import PendingUpload
from workflow.services import NewEvidence

logger = logging.getLogger(__name__)

KEPT_FOR = timedelta(days=1)


def form_key(kind: str, subject_id: int, period: date) -> str:
    """The form a pending upload belongs to: one kind's report on a subject's month."""
    return f"{kind}:{subject_id}:{period:%Y-%m}"


def pending_for(*, owner, key: str, now: datetime) -> list[PendingUpload]:
    """The owner's files still waiting on that form (not yet a day old)."""
    return list(
        PendingUpload.objects.filter(owner=owner, form_key=key, created_at__gt=now - KEPT_FOR)
    )


def keep(*, owner, key: str, files: Sequence[NewEvidence]) -> list[PendingUpload]:
    """Keep checked files of a form that was not saved."""
    rows = []
    for item in files:
        item.file.seek(0)
        row = PendingUpload(
            owner=owner,
            form_key=key,
            original_name=item.original_name,
            size=item.size,
            content_type=item.content_type,
        )
        row.file.save(item.original_name, item.file, save=False)
        row.save()
        rows.append(row)
    return rows


def chosen(pending: Iterable[PendingUpload], kept_ids: Iterable[str]) -> tuple[list, list]:
    """The pending files the form still keeps (their box left ticked), and those the
    clerk removed."""
    ids = {str(i) for i in kept_ids}
    kept, dropped = [], []
    for row in pending:
        (kept if str(row.pk) in ids else dropped).append(row)
    return kept, dropped


def as_evidence(rows: Sequence[PendingUpload]) -> list[NewEvidence]:
    """Pending files as the workflow services attach them (the file is copied into
    the report's evidence; ``discard`` removes the pending copy afterwards)."""
    return [
        NewEvidence(
            file=_content(row),
            original_name=row.original_name,
            content_type=row.content_type,
            size=row.size,
        )
        for row in rows
    ]


def _content(row: PendingUpload) -> ContentFile:
    # Read whole (at most the evidence size limit), so no file handle is left open.
    with row.file.open("rb") as handle:
        return ContentFile(handle.read(), name=row.original_name)


def discard(rows: Iterable[PendingUpload]) -> None:
    """Delete pending uploads; their files go once the deletion is committed."""
    for row in rows:
        name, storage = row.file.name, row.file.storage
        row.delete()
        transaction.on_commit(lambda name=name, storage=storage: _delete_file(storage, name))


def _delete_file(storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:
        # The row is gone; a stray file is harmless but worth knowing about.
        logger.exception("pending upload file %s could not be deleted", name)


def clean_expired(*, now: datetime) -> int:
    """Remove pending uploads older than a day (nobody came back to the form)."""
    rows = list(PendingUpload.objects.filter(created_at__lte=now - KEPT_FOR))
    with transaction.atomic():
        discard(rows)
    return len(rows)
