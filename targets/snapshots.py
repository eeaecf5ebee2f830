"""Recompute snapshots: load rows, call the pure rules, write the results.

Concurrency: every recompute takes row locks in one order — target, then programme,
then plan year — so two workers recomputing the same target (or two targets of one
programme) run one after the other and the later one reads what the earlier one
committed. Target snapshots are upserted on their unique key; aggregate snapshots are
rewritten under their programme's or year's lock. Each recompute is one transaction:
a worker that dies mid-way leaves the old rows, never half of the new ones.
"""

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from targets import completion
from targets.metrics import registry
from targets.models import (
    PendingRecompute,
    PlanYear,
    Programme,
    ProgrammeSnapshot,
    Target,
    TargetSnapshot,
)
from targets.periods import last_closed_month, month_end, months_between

logger = logging.getLogger(__name__)

BROKER_ERRORS = (BrokerError, RedisConnectionError, RedisTimeoutError, OSError)
TARGET_SNAPSHOT_FIELDS = [
    "as_of",
    "status",
    "actual",
    "ratio",
    "expected",
    "gap",
    "forecast",
    "pace",
    "required_pace",
    "reached_on",
    "last_period",
    "source_entries",
    "computed_at",
]


def snapshot_months(plan_year: PlanYear, today: date) -> list[date]:
    """Every month of the plan year that has ended by ``today``."""
    last = min(last_closed_month(today), plan_year.ends_on)
    return months_between(plan_year.starts_on, last) if last >= plan_year.starts_on else []


# --- asking for a recompute ----------------------------------------------------------


_batch: ContextVar[set[int] | None] = ContextVar("recompute_batch", default=None)


@contextmanager
def batched_recompute(reason: str) -> Iterator[None]:
    """Collect the recomputes requested inside the block and request each target once
    at its end (a load of many rows would otherwise queue one run per row)."""
    if _batch.get() is not None:  # already batching: the outer block requests
        yield
        return
    token = _batch.set(set())
    try:
        yield
        ids = _batch.get()
    finally:
        _batch.reset(token)
    request_recompute(target_ids=ids, reason=reason)


def request_recompute(*, target_ids: Iterable[int], reason: str = "") -> None:
    """Record that these targets need recomputing, and enqueue it once committed.

    Call inside the transaction that made the change: the outbox row commits with it,
    so the need survives a broker outage (the beat sweep re-enqueues it).
    """
    ids = sorted(set(target_ids))
    batch = _batch.get()
    if batch is not None:
        batch.update(ids)
        return
    if not ids:
        return
    PendingRecompute.objects.bulk_create(
        [PendingRecompute(target_id=target_id, reason=reason[:100]) for target_id in ids]
    )
    transaction.on_commit(partial(enqueue_recompute, ids))


def enqueue_recompute(target_ids: Sequence[int]) -> None:
    """Queue the recompute: one task for one target, one batch task for several (so
    their programmes are aggregated once). A dead broker is logged, not raised: the
    outbox rows stay and the sweep catches up."""
    from targets.tasks import recompute_target, recompute_targets  # tasks import us

    if not target_ids:
        return
    try:
        if len(target_ids) == 1:
            recompute_target.delay(target_ids[0])
        else:
            recompute_targets.delay(list(target_ids))
    except BROKER_ERRORS as error:
        logger.warning(
            "broker unavailable, recompute of targets %s left to the sweep: %s",
            list(target_ids),
            error,
        )
    except Exception:
        # Only reachable when tasks run eagerly (no broker): the change that asked for
        # the recompute is committed, so it must not fail the user's request. The
        # outbox rows stay for the next recompute of these targets.
        logger.exception("recompute of targets %s failed; left pending", list(target_ids))


def claim_pending(*, now: datetime, older_than: timedelta, resweep_after: timedelta) -> list[int]:
    """The targets whose recompute was asked for at least ``older_than`` ago and is
    still pending, marked as swept now. A row swept less than ``resweep_after`` ago is
    left alone: its task is probably queued behind others, and queuing it again every
    minute would only pile up duplicates when the workers are behind."""
    due = PendingRecompute.objects.filter(requested_at__lte=now - older_than).filter(
        Q(swept_at__isnull=True) | Q(swept_at__lte=now - resweep_after)
    )
    rows = list(due.values_list("pk", "target_id"))
    PendingRecompute.objects.filter(pk__in=[pk for pk, _ in rows]).update(swept_at=now)
    return sorted({target_id for _, target_id in rows})


# --- computing ---------------------------------------------------------------------


def _target_rows(
    target: Target, months: Sequence[date], today: date, computed_at: datetime
) -> list[TargetSnapshot]:
    plan_year = target.programme.plan_year
    spec = target.spec()
    if target.is_derived:
        metric = registry.get(target.source)
        facts = [
            completion.EntryFact(
                period=month, state=completion.APPROVED, value=metric(plan_year, month_end(month))
            )
            for month in months
        ]
        entries = []
    else:
        entries = list(target.entries.all())
        facts = [entry.fact() for entry in entries]
    rows = []
    for month in months:
        result = completion.evaluate_target(
            spec, facts, as_of=month_end(month), today=today, rules=plan_year.rules
        )
        source = (
            [["metric", target.source]]
            if target.is_derived
            else [[e.pk, e.version] for e in entries if e.period <= month and e.counts]
        )
        rows.append(
            TargetSnapshot(
                target=target,
                period=month,
                as_of=month_end(month),
                status=result.status,
                actual=result.actual,
                ratio=result.ratio,
                expected=result.expected,
                gap=result.gap,
                forecast=result.forecast,
                pace=result.pace,
                required_pace=result.required_pace,
                reached_on=result.reached_on,
                last_period=result.last_period,
                source_entries=source,
                computed_at=computed_at,
            )
        )
    return rows


def _write_target_snapshots(
    target: Target, months: Sequence[date], today: date, computed_at: datetime
) -> None:
    rows = _target_rows(target, months, today, computed_at)
    TargetSnapshot.objects.filter(target=target).exclude(period__in=months).delete()
    TargetSnapshot.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["target", "period"],
        update_fields=TARGET_SNAPSHOT_FIELDS,
    )


def _write_aggregate(
    plan_year: PlanYear, programme: Programme | None, months: Sequence[date], computed_at: datetime
) -> None:
    """Rewrite a programme's (or, with None, the year's) monthly snapshots.
    The caller holds that programme's (or year's) row lock."""
    snapshots = TargetSnapshot.objects.filter(
        target__programme__plan_year=plan_year, period__in=months
    )
    if programme is not None:
        snapshots = snapshots.filter(target__programme=programme)
    by_month: dict[date, list[completion.Scored]] = {month: [] for month in months}
    for row in snapshots.values(
        "period", "status", "ratio", "expected", "target__kind", "target__weight"
    ):
        by_month[row["period"]].append(
            completion.Scored(
                kind=row["target__kind"],
                weight=row["target__weight"],
                status=row["status"],
                ratio=row["ratio"],
                expected=row["expected"],
            )
        )
    rows = []
    for month, items in by_month.items():
        result = completion.aggregate(items, plan_year.rules)
        rows.append(
            ProgrammeSnapshot(
                plan_year=plan_year,
                programme=programme,
                period=month,
                as_of=month_end(month),
                status=result.status,
                ratio=result.ratio,
                expected=result.expected,
                status_counts=result.counts,
                target_count=result.target_count,
                computed_at=computed_at,
            )
        )
    ProgrammeSnapshot.objects.filter(plan_year=plan_year, programme=programme).delete()
    ProgrammeSnapshot.objects.bulk_create(rows)


def _aggregate_programme(programme_id: int, months: Sequence[date], computed_at: datetime) -> None:
    programme = (
        Programme.objects.select_for_update().select_related("plan_year").get(pk=programme_id)
    )
    _write_aggregate(programme.plan_year, programme, months, computed_at)


def _aggregate_year(plan_year_id: int, months: Sequence[date], computed_at: datetime) -> None:
    plan_year = PlanYear.objects.select_for_update().get(pk=plan_year_id)
    _write_aggregate(plan_year, None, months, computed_at)


def _lock_and_write_target(target_id: int, today: date) -> tuple[Target | None, list[int]]:
    """Write one target's snapshots under its row lock. Returns the target (None if it
    is gone) and the outbox rows this run covers, for the caller to delete once the
    aggregates are written too."""
    target = (
        Target.objects.select_for_update(of=("self",))
        .select_related("programme__plan_year")
        .filter(pk=target_id)
        .first()
    )
    if target is None:
        return None, []
    # Read under the target's lock: a request made after this point is not covered
    # by this run and stays for the next one.
    covered = list(PendingRecompute.objects.filter(target=target).values_list("pk", flat=True))
    months = snapshot_months(target.programme.plan_year, today)
    _write_target_snapshots(target, months, today, timezone.now())
    return target, covered


@transaction.atomic
def recompute_target(*, target_id: int, today: date) -> bool:
    """Recompute one target's months, then its programme and the year, in one
    transaction. Idempotent. Returns False when the target no longer exists."""
    target, covered = _lock_and_write_target(target_id, today)
    if target is None:
        PendingRecompute.objects.filter(target_id=target_id).delete()
        return False
    plan_year = target.programme.plan_year
    months, computed_at = snapshot_months(plan_year, today), timezone.now()
    _aggregate_programme(target.programme_id, months, computed_at)
    _aggregate_year(plan_year.pk, months, computed_at)
    PendingRecompute.objects.filter(pk__in=covered).delete()
    return True


def recompute_targets(
    *, target_ids: Iterable[int], today: date, all_programmes_of: PlanYear | None = None
) -> int:
    """Recompute many targets (one short transaction each), then each programme and
    year they touch once. The outbox rows they cover go last: if the process dies
    half-way, the rest is still pending and the sweep (or redelivery) finishes it."""
    targets, covered = [], []
    for target_id in sorted(set(target_ids)):
        with transaction.atomic():
            target, rows = _lock_and_write_target(target_id, today)
        if target is not None:
            targets.append(target)
            covered += rows
    years = {t.programme.plan_year_id: t.programme.plan_year for t in targets}
    programme_ids = {t.programme_id for t in targets}
    if all_programmes_of is not None:
        years[all_programmes_of.pk] = all_programmes_of
        programme_ids |= set(all_programmes_of.programmes.values_list("pk", flat=True))
    computed_at = timezone.now()
    for programme in Programme.objects.filter(pk__in=programme_ids).order_by("pk"):
        with transaction.atomic():
            _aggregate_programme(
                programme.pk, snapshot_months(years[programme.plan_year_id], today), computed_at
            )
    for plan_year in years.values():
        with transaction.atomic():
            _aggregate_year(plan_year.pk, snapshot_months(plan_year, today), computed_at)
    PendingRecompute.objects.filter(pk__in=covered).delete()
    return len(targets)


def recompute_plan_year(*, plan_year: PlanYear, today: date) -> int:
    """Recompute every target and aggregate of a year."""
    return recompute_targets(
        target_ids=Target.objects.for_plan_year(plan_year).values_list("pk", flat=True),
        today=today,
        all_programmes_of=plan_year,
    )


def recompute_all(*, today: date) -> int:
    return sum(
        recompute_plan_year(plan_year=plan_year, today=today)
        for plan_year in PlanYear.objects.order_by("year")
    )
