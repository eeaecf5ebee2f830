"""Celery tasks: thin, with stable names; they take ids and call the services.

Every task is safe to run twice or concurrently (see targets/snapshots.py), which is
what ``acks_late`` needs: a task whose worker died is delivered again.
"""

import logging
from datetime import timedelta
from functools import partial

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from targets import snapshots
from targets.clock import site_today

logger = logging.getLogger(__name__)


# A deadlock or a dropped connection is worth another try: recompute is idempotent.
RECOMPUTE = {
    "acks_late": True,
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "max_retries": 5,
}


# A target that fails is skipped and recorded inside the recompute (see snapshots.py);
# what reaches these options is a database that went away, worth another try.


@shared_task(name="targets.recompute_target", **RECOMPUTE)
def recompute_target(target_id: int) -> None:
    snapshots.recompute_target(target_id=target_id, today=site_today())


@shared_task(name="targets.recompute_targets", **RECOMPUTE)
def recompute_targets(target_ids: list[int]) -> int:
    return snapshots.recompute_targets(target_ids=target_ids, today=site_today()).done


@shared_task(
    name="targets.recompute_all",
    acks_late=True,
    # Retried in process first (with_db_retry: a database restart); if the database
    # stays away longer, the task itself comes back later rather than losing the
    # day's roll-forward.
    autoretry_for=snapshots.CONNECTION_ERRORS,
    retry_backoff=60,
    retry_backoff_max=30 * 60,
    max_retries=5,
)
def recompute_all() -> int:
    """Daily: 序时 moves and deadlines pass even when nobody reports anything."""
    outcome = snapshots.with_db_retry(
        partial(snapshots.recompute_all, today=site_today()),
        backoff=settings.RECOMPUTE_RETRY_BACKOFF_SECONDS,
    )
    if outcome.failed:
        logger.error(
            "daily recompute skipped %d failing targets (recorded on their outbox rows): %s",
            len(outcome.failed),
            outcome.failed,
        )
    return outcome.done


@shared_task(name="targets.sweep_pending", acks_late=True)
def sweep_pending() -> int:
    """Re-enqueue recomputes that were requested but never ran (broker was down)."""
    # Settings (RECOMPUTE_SWEEP_GRACE_SECONDS, RECOMPUTE_RESWEEP_SECONDS): the load
    # test shortens them to see a lost enqueue caught up within its run.
    target_ids = snapshots.claim_pending(
        now=timezone.now(),
        older_than=timedelta(seconds=settings.RECOMPUTE_SWEEP_GRACE_SECONDS),
        resweep_after=timedelta(seconds=settings.RECOMPUTE_RESWEEP_SECONDS),
    )
    snapshots.enqueue_recompute(target_ids)
    if target_ids:
        logger.info("re-enqueued recompute for %d targets", len(target_ids))
    return len(target_ids)
