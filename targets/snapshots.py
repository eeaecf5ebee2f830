"""Recompute snapshots: load rows, call the pure rules, write the results.

Concurrency: every recompute takes row locks in one order — target, then programme,
then plan year — so two workers recomputing the same target (or two targets of one
programme) run one after the other and the later one reads what the earlier one
committed. Target snapshots are upserted on their unique key; aggregate snapshots are
rewritten under their programme's or year's lock. Each recompute is one transaction:
a worker that dies mid-way leaves the old rows, never half of the new ones.

Failures: no single target can stop a batch. A target whose recompute raises is
rolled back alone, skipped, and its error recorded on its outbox row (which stays, so
the sweep tries again and the pages name it); the others, the programme and the year
totals complete. A dropped database connection is different: every later target would
fail too, so it propagates, and the callers retry the whole run (``with_db_retry``);
recompute is idempotent. Figures too large for their column are stored at the
column's limit with the computed value beside them (``TargetSnapshot.out_of_range``),
so no value anyone can enter makes the write itself fail.
"""

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import TypeVar

from celery.exceptions import Retry
from django.db import DataError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from targets import cache as page_cache
from targets import completion
from targets.metrics import registry
from targets.models import (
    PendingRecompute,
    PlanYear,
    Programme,
    ProgrammeSnapshot,
    ProgressEntry,
    Target,
    TargetSnapshot,
    closed_periods,
)
from targets.periods import last_closed_month, month_end, months_between

logger = logging.getLogger(__name__)

BROKER_ERRORS = (BrokerError, RedisConnectionError, RedisTimeoutError, OSError)
# The database went away (restart, failover, a killed connection): not the target's
# fault, and every target after it would fail the same way. Retried, never recorded
# against a target.
CONNECTION_ERRORS = (OperationalError, InterfaceError)
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
    "provisional",
    "awaiting_review",
    "source_entries",
    "out_of_range",
    "computed_at",
]


@dataclass
class Outcome:
    """What a recompute did: how many targets it wrote, and which it skipped and why
    (target id → the error, as recorded on the outbox row)."""

    done: int = 0
    failed: dict[int, str] = field(default_factory=dict)
    missing: list[int] = field(default_factory=list)

    def __iadd__(self, other: "Outcome") -> "Outcome":
        self.done += other.done
        self.failed.update(other.failed)
        self.missing += other.missing
        return self


def snapshot_months(plan_year: PlanYear, today: date) -> list[date]:
    """Every month of the plan year that has ended by ``today``."""
    last = min(last_closed_month(today), plan_year.ends_on)
    return months_between(plan_year.starts_on, last) if last >= plan_year.starts_on else []


def open_months(months: Sequence[date], closed: set[date]) -> list[date]:
    """The months a recompute may (re)write: those the 督查室 has not closed. A closed
    month's snapshots are frozen (DESIGN.md §4); a later entry for it shows in the
    open months after it (cumulative figures carry it) and as a correction."""
    return [month for month in months if month not in closed]


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


Figures = tuple[dict[date, Decimal], dict[date, int]]


@dataclass
class _SeriesMemo:
    """One batch's derived-metric series, each read once however many targets name the
    metric (a city's year has thousands of targets over a handful of metrics).

    ``visible`` is the outbox as it stood before the first series was read: a derived
    target's run covers only those of its requests, whose changes every series read
    afterwards sees (a request committed later stays for the next run)."""

    visible: set[int]
    series: dict[tuple, Figures] = field(default_factory=dict)


_memo: ContextVar[_SeriesMemo | None] = ContextVar("recompute_series_memo", default=None)


def _figures(target: Target, plan_year: PlanYear, months: Sequence[date]) -> Figures:
    """A derived target's figure at each month and how many unapproved records each
    counts (targets/metrics.py ``Metric.figures``), read once per batch."""
    memo = _memo.get()
    if memo is None:
        return registry.get(target.source).figures(plan_year, months)
    key = (target.source, plan_year.pk, tuple(months))
    if key not in memo.series:
        memo.series[key] = registry.get(target.source).figures(plan_year, months)
    return memo.series[key]


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
    except Exception as error:
        # Only reachable when tasks run eagerly (no broker) and the recompute failed
        # as a whole (a failing target is already isolated and recorded inside it):
        # the change that asked for it is committed and must not fail the user's
        # request, so the error goes where the pages show it — the outbox rows,
        # which stay for the sweep — and to the log.
        logger.exception("recompute of targets %s failed; left pending", list(target_ids))
        if isinstance(error, Retry) and isinstance(error.exc, Exception):
            error = error.exc  # eager retries gave up: record what they retried
        try:
            record_failure(target_ids=target_ids, error=error)
        except Exception:
            # The database itself is away: the rows stay pending for the sweep.
            logger.exception("could not record the failure of targets %s", list(target_ids))


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


# --- failures ------------------------------------------------------------------------


def describe_error(error: BaseException) -> str:
    """The error as a reviewer can read it on a page: what kind of failure, in Chinese,
    then the technical message for whoever fixes it."""
    detail = f"{type(error).__name__}: {error}".strip()
    first_line = detail.splitlines()[0] if detail else type(error).__name__
    if isinstance(error, DataError):
        kind = "数值超出数据库字段的范围或格式不符"
    elif isinstance(error, CONNECTION_ERRORS):
        kind = "数据库连接中断"
    else:
        kind = "计算出错"
    return f"{kind}（{first_line[:300]}）"


def record_failure(
    *, target_ids: Iterable[int], error: BaseException, reason: str = "重算失败"
) -> str:
    """Mark these targets' outbox rows as failed with ``error`` (one is created where
    there is none, as when the nightly run fails on a target nobody changed). The rows
    stay until a recompute of the target succeeds. Returns the recorded text."""
    message = describe_error(error)
    now = timezone.now()
    ids = sorted(set(target_ids))
    with transaction.atomic():
        rows = PendingRecompute.objects.filter(target_id__in=ids)
        rows.update(attempts=F("attempts") + 1, failed_at=now, last_error=message)
        recorded = set(rows.values_list("target_id", flat=True))
        existing = set(Target.objects.filter(pk__in=ids).values_list("pk", flat=True))
        PendingRecompute.objects.bulk_create(
            PendingRecompute(
                target_id=target_id,
                reason=reason[:100],
                attempts=1,
                failed_at=now,
                last_error=message,
            )
            for target_id in sorted(existing - recorded)
        )
    return message


T = TypeVar("T")


def with_db_retry(
    job: Callable[[], T],
    *,
    attempts: int = 6,
    backoff: float = 5.0,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run ``job``; on a dropped database connection wait (5 s, 10 s, 20 s … by
    default, about 2.5 minutes in all: a database restart) and run it again. Only for
    idempotent jobs (the recomputes are)."""
    for attempt in range(1, attempts + 1):
        try:
            return job()
        except CONNECTION_ERRORS as error:
            if attempt == attempts:
                raise
            delay = backoff * 2 ** (attempt - 1)
            logger.warning(
                "database error in recompute (attempt %d of %d), retrying in %.0f s: %s",
                attempt,
                attempts,
                delay,
                error,
            )
            if not connection.in_atomic_block:
                # Drop the broken connection; the next query opens a new one.
                connection.close()
            sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


# --- computing ---------------------------------------------------------------------


def _column_limit(name: str) -> Decimal:
    column = TargetSnapshot._meta.get_field(name)
    return Decimal(10) ** (column.max_digits - column.decimal_places) - Decimal(10) ** (
        -column.decimal_places
    )


SNAPSHOT_DECIMALS = ["actual", "ratio", "expected", "gap", "forecast", "pace", "required_pace"]
COLUMN_LIMITS = {name: _column_limit(name) for name in SNAPSHOT_DECIMALS}


def fit_columns(
    values: dict[str, Decimal | None], limits: dict[str, Decimal]
) -> tuple[dict[str, Decimal | None], dict[str, str]]:
    """Each value held to its column's range: (what to store, the computed values that
    did not fit, as text). A ratio of 1.5e5 (元 typed into 亿元) is stored as the
    largest the column holds and kept beside it, rather than failing the write: the
    status was decided from the computed value before this, so nothing changes
    meaning, and the aggregates cap every ratio at 1 anyway."""
    stored, out_of_range = {}, {}
    for name, value in values.items():
        limit = limits.get(name)
        if value is None or limit is None or -limit <= value <= limit:
            stored[name] = value
            continue
        stored[name] = limit if value > 0 else -limit
        out_of_range[name] = str(value)
    return stored, out_of_range


def _target_rows(
    target: Target,
    months: Sequence[date],
    today: date,
    computed_at: datetime,
    entries: list[ProgressEntry],
) -> list[TargetSnapshot]:
    """The target's snapshot rows for ``months`` from its ``entries`` (a manual
    target's, in period order, read for the whole chunk; none for a derived one)."""
    plan_year = target.programme.plan_year
    spec = target.spec()
    if target.is_derived:
        # Every month from one grouped query: the recompute costs the same whether
        # the year has one closed month or twelve. A month whose figure sums records
        # not yet approved (a project's submitted progress) is a submitted fact: it
        # counts（the metric applied the year's 计入口径） and is marked 未审核.
        values, unreviewed = _figures(target, plan_year, months)
        facts = [
            completion.EntryFact(
                period=month,
                state=completion.SUBMITTED if unreviewed.get(month) else completion.APPROVED,
                value=values[month],
            )
            for month in months
        ]
        entries = []
    else:
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
        figures, out_of_range = fit_columns(
            {name: getattr(result, name) for name in SNAPSHOT_DECIMALS}, COLUMN_LIMITS
        )
        rows.append(
            TargetSnapshot(
                target=target,
                period=month,
                as_of=month_end(month),
                status=result.status,
                reached_on=result.reached_on,
                last_period=result.last_period,
                provisional=result.provisional,
                awaiting_review=result.awaiting_review,
                source_entries=source,
                out_of_range=out_of_range,
                computed_at=computed_at,
                **figures,
            )
        )
    return rows


def _write_aggregate(
    plan_year: PlanYear,
    programme: Programme | None,
    months: Sequence[date],
    computed_at: datetime,
    closed: set[date],
) -> None:
    """Rewrite a programme's (or, with None, the year's) monthly snapshots, except
    the closed months'. The caller holds that programme's (or year's) row lock."""
    months = open_months(months, closed)
    snapshots = TargetSnapshot.objects.filter(
        target__programme__plan_year=plan_year, period__in=months
    )
    if programme is not None:
        snapshots = snapshots.filter(target__programme=programme)
    by_month: dict[date, list[completion.Scored]] = {month: [] for month in months}
    for row in snapshots.values(
        "period",
        "status",
        "ratio",
        "expected",
        "provisional",
        "awaiting_review",
        "target__kind",
        "target__weight",
    ):
        by_month[row["period"]].append(
            completion.Scored(
                kind=row["target__kind"],
                weight=row["target__weight"],
                status=row["status"],
                ratio=row["ratio"],
                expected=row["expected"],
                provisional=row["provisional"],
                awaiting_review=row["awaiting_review"],
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
                provisional_count=result.provisional_count,
                awaiting_count=result.awaiting_count,
                computed_at=computed_at,
            )
        )
    page_cache.bump(plan_year.pk)
    ProgrammeSnapshot.objects.filter(plan_year=plan_year, programme=programme).exclude(
        period__in=closed
    ).delete()
    ProgrammeSnapshot.objects.bulk_create(rows)


# The recompute's row locks are FOR NO KEY UPDATE: they keep two recomputes of one row
# apart, but unlike FOR UPDATE they do not wait for (or block) the key-share locks that
# every insert referencing the row takes (a save's outbox row references its target,
# snapshots reference their programme and year), which under load closed lock cycles
# between saves and recomputes (deadlocks, a 500 for the saving user).
def _aggregate_programme(
    programme_id: int, months: Sequence[date], computed_at: datetime, closed: "ClosedCache"
) -> None:
    programme = (
        Programme.objects.select_for_update(no_key=True)
        .select_related("plan_year")
        .get(pk=programme_id)
    )
    _write_aggregate(
        programme.plan_year, programme, months, computed_at, closed.get(programme.plan_year_id)
    )


def _aggregate_year(
    plan_year_id: int, months: Sequence[date], computed_at: datetime, closed: "ClosedCache"
) -> None:
    plan_year = PlanYear.objects.select_for_update(no_key=True).get(pk=plan_year_id)
    _write_aggregate(plan_year, None, months, computed_at, closed.get(plan_year_id))


class ClosedCache(dict):
    """plan year id → its closed months, read once per recompute run (one query per
    year, however many targets and aggregates the run writes)."""

    def get(self, plan_year_id: int) -> set[date]:  # type: ignore[override]
        if plan_year_id not in self:
            self[plan_year_id] = closed_periods(plan_year_id)
        return self[plan_year_id]


def _lock_and_write_target(
    target_id: int, today: date, closed: ClosedCache
) -> tuple[Target | None, list[int]]:
    """Write one target's snapshots under its row lock (the caller's transaction), as a
    chunk of one: the target (None if it is gone) and the outbox rows this run covers,
    for the caller to delete once the aggregates are written too. A figure that cannot
    be computed raises, for the caller to roll back and record."""
    done, covered, failed = _write_targets([target_id], today, closed, timezone.now())
    if target_id in failed:
        raise failed[target_id]
    if not done:
        return None, []
    return done[0], covered[target_id]


def recompute_target(*, target_id: int, today: date) -> Outcome:
    """Recompute one target's months, then its programme and the year, in one
    transaction. Idempotent. A failure rolls the whole of it back and is recorded on
    the target's outbox row (a dropped connection propagates, for a retry)."""
    try:
        with transaction.atomic():
            closed = ClosedCache()
            target, covered = _lock_and_write_target(target_id, today, closed)
            if target is None:
                PendingRecompute.objects.filter(target_id=target_id).delete()
                return Outcome(missing=[target_id])
            plan_year = target.programme.plan_year
            months, computed_at = snapshot_months(plan_year, today), timezone.now()
            _aggregate_programme(target.programme_id, months, computed_at, closed)
            _aggregate_year(plan_year.pk, months, computed_at, closed)
            PendingRecompute.objects.filter(pk__in=covered).delete()
            return Outcome(done=1)
    except CONNECTION_ERRORS:
        raise
    except Exception as error:
        return Outcome(failed={target_id: _skip(target_id, error)})


def _skip(target_id: int, error: Exception) -> str:
    # exc_info from the error itself: the chunked run records its failures after the
    # chunk commits, outside the except block
    logger.error("recompute of target %s failed; skipped and recorded", target_id, exc_info=error)
    return record_failure(target_ids=[target_id], error=error)


# Targets written per transaction by a run over many of them (the nightly run, a
# year's recompute): a city's 10,000 targets one transaction each cost five round
# trips apiece, 220 s; in chunks the run is a few queries per chunk.
CHUNK = 500


def _write_chunk(
    ids: list[int], today: date, closed: ClosedCache, computed_at: datetime
) -> tuple[list[Target], dict[int, list[int]], dict[int, Exception]]:
    """Lock and write the snapshots of many targets in one transaction, in a fixed
    number of queries (``_write_targets``). A write that fails rolls the whole chunk
    back for the caller to redo target by target."""
    with transaction.atomic():
        return _write_targets(ids, today, closed, computed_at)


def _write_targets(
    ids: list[int], today: date, closed: ClosedCache, computed_at: datetime
) -> tuple[list[Target], dict[int, list[int]], dict[int, Exception]]:
    """Lock the targets and write their open months' snapshots (closed months' rows
    stay as they are), in the caller's transaction and a fixed number of queries:
    (the targets written, the outbox rows each covers — read under the lock, so a
    request made after it stays for the next run — and the targets whose figures
    could not be computed, their old snapshots kept)."""
    memo = _memo.get()
    targets = list(
        Target.objects.select_for_update(of=("self",), no_key=True)
        .select_related("programme__plan_year")
        .filter(pk__in=ids)
        .order_by("pk")  # locks taken in one order: no deadlock between runs
    )
    covered: dict[int, list[int]] = defaultdict(list)
    derived = {t.pk for t in targets if t.is_derived}
    for pk, target_id in PendingRecompute.objects.filter(target_id__in=ids).values_list(
        "pk", "target_id"
    ):
        # a derived target covers only the requests its batch's series saw
        if memo is None or target_id not in derived or pk in memo.visible:
            covered[target_id].append(pk)
    entries: dict[int, list[ProgressEntry]] = defaultdict(list)
    for entry in ProgressEntry.objects.filter(
        target_id__in=[t.pk for t in targets if not t.is_derived]
    ).order_by("target_id", "period"):
        entries[entry.target_id].append(entry)
    rows: list[TargetSnapshot] = []
    written: dict[tuple[int, tuple[date, ...]], list[int]] = defaultdict(list)
    failed: dict[int, Exception] = {}
    for target in targets:
        plan_year = target.programme.plan_year
        months = snapshot_months(plan_year, today)
        shut = closed.get(plan_year.pk)
        try:
            rows += _target_rows(
                target, open_months(months, shut), today, computed_at, entries[target.pk]
            )
        except CONNECTION_ERRORS:
            raise
        except Exception as error:  # recorded by the caller, after this commits
            failed[target.pk] = error
            continue
        written[(plan_year.pk, tuple(months))].append(target.pk)
    for (plan_year_id, months), target_ids in written.items():
        page_cache.bump(plan_year_id)
        TargetSnapshot.objects.filter(target_id__in=target_ids).exclude(period__in=months).exclude(
            period__in=closed.get(plan_year_id)
        ).delete()
    TargetSnapshot.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["target", "period"],
        update_fields=TARGET_SNAPSHOT_FIELDS,
        batch_size=2000,
    )
    done = [t for t in targets if t.pk not in failed]
    return done, {t.pk: covered.get(t.pk, []) for t in done}, failed


def recompute_targets(
    *, target_ids: Iterable[int], today: date, all_programmes_of: PlanYear | None = None
) -> Outcome:
    """Recompute many targets (one short transaction each), then each programme and
    year they touch once. The outbox rows they cover go last: if the process dies
    half-way, the rest is still pending and the sweep (or redelivery) finishes it.

    A target whose recompute raises is skipped (its old snapshots stay) and recorded;
    so is an aggregate, against the targets of the batch it covers."""
    outcome = Outcome()
    targets, covered = [], {}
    closed = ClosedCache()
    ids = sorted(set(target_ids))
    # Many targets: each derived metric's series is read once for the batch.
    memo = (
        _SeriesMemo(visible=set(PendingRecompute.objects.values_list("pk", flat=True)))
        if len(ids) > 1
        else None
    )
    token = _memo.set(memo)
    try:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            if len(chunk) > 1:
                try:
                    done, rows, failed = _write_chunk(chunk, today, closed, timezone.now())
                except CONNECTION_ERRORS:
                    raise
                except Exception as error:
                    # A write the database refused: redo the chunk one target per
                    # transaction below, so that only the faulty target is skipped.
                    logger.warning("chunked recompute failed, target by target: %s", error)
                else:
                    for target_id, error in failed.items():
                        outcome.failed[target_id] = _skip(target_id, error)
                    found = {t.pk for t in done} | set(failed)
                    outcome.missing += [pk for pk in chunk if pk not in found]
                    targets += done
                    covered.update(rows)
                    continue
            for target_id in chunk:
                try:
                    with transaction.atomic():
                        target, rows = _lock_and_write_target(target_id, today, closed)
                except CONNECTION_ERRORS:
                    raise
                except Exception as error:
                    outcome.failed[target_id] = _skip(target_id, error)
                    continue
                if target is None:
                    outcome.missing.append(target_id)
                    continue
                targets.append(target)
                covered[target.pk] = rows
    finally:
        _memo.reset(token)
    years = {t.programme.plan_year_id: t.programme.plan_year for t in targets}
    programme_ids = {t.programme_id for t in targets}
    if all_programmes_of is not None:
        years[all_programmes_of.pk] = all_programmes_of
        programme_ids |= set(all_programmes_of.programmes.values_list("pk", flat=True))
    computed_at = timezone.now()
    for programme in Programme.objects.filter(pk__in=programme_ids).order_by("pk"):
        months = snapshot_months(years[programme.plan_year_id], today)
        _aggregate_isolated(
            partial(_aggregate_programme, programme.pk, months, computed_at, closed),
            [t.pk for t in targets if t.programme_id == programme.pk],
            covered,
            outcome,
        )
    for plan_year in years.values():
        _aggregate_isolated(
            partial(
                _aggregate_year,
                plan_year.pk,
                snapshot_months(plan_year, today),
                computed_at,
                closed,
            ),
            [t.pk for t in targets if t.programme.plan_year_id == plan_year.pk],
            covered,
            outcome,
        )
    PendingRecompute.objects.filter(
        pk__in=[pk for rows in covered.values() for pk in rows]
    ).delete()
    outcome.done = sum(1 for t in targets if t.pk not in outcome.failed)
    return outcome


def _aggregate_isolated(
    write: Callable[[], None],
    target_ids: list[int],
    covered: dict[int, list[int]],
    outcome: Outcome,
) -> None:
    """Write one programme's (or year's) aggregate in its own transaction. If it
    raises, the batch goes on; the error is recorded against the batch's targets
    under it, whose outbox rows then stay so that it is tried again."""
    try:
        with transaction.atomic():
            write()
    except CONNECTION_ERRORS:
        raise
    except Exception as error:
        logger.exception("aggregate over targets %s failed; recorded", target_ids)
        message = record_failure(target_ids=target_ids, error=error)
        for target_id in target_ids:
            covered.pop(target_id, None)
            outcome.failed[target_id] = message


def recompute_plan_year(*, plan_year: PlanYear, today: date) -> Outcome:
    """Recompute every target and aggregate of a year."""
    return recompute_targets(
        target_ids=Target.objects.for_plan_year(plan_year).values_list("pk", flat=True),
        today=today,
        all_programmes_of=plan_year,
    )


def recompute_all(*, today: date) -> Outcome:
    """Every year, once (the nightly job; see ``with_db_retry`` for connection drops)."""
    outcome = Outcome()
    for plan_year in PlanYear.objects.order_by("year"):
        outcome += recompute_plan_year(plan_year=plan_year, today=today)
    return outcome
