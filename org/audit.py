"""The audit log (GB/T 22239-2019 §8.1.4.3): who did what, when, from where, and
whether it worked; append-only and hash-chained so tampering shows.

- ``record(...)`` writes one row and one JSON line to the ``zhongyuan.audit`` logger.
- ``verify_chain()`` walks the chain (``manage.py verify_audit``).
- ``archive_events(...)`` moves rows older than the retention period to a JSON-lines
  file (``manage.py archive_audit``), keeping the chain verifiable.

The chain uses SHA-256: SM3 (GB/T 32905) is not in this Python's hashlib, and adding a
pure-Python SM3 would be a new dependency for the same tamper evidence. Switching
later means a new chain from an archive point (``canonical`` is the one place to change).
"""

import hashlib
import ipaddress
import json
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from org.audit_models import AuditArchive, AuditChainHead, AuditEvent, AuditResult
from org.roles import is_audit_admin, role_of

logger = logging.getLogger("zhongyuan.audit")

GENESIS_HASH = "0" * 64
# Keys never written into an event's detail, whatever a caller passes.
SECRET_KEYS = frozenset(
    {"password", "password1", "password2", "old_password", "new_password1", "new_password2",
     "token", "otp_token", "secret", "key", "csrfmiddlewaretoken", "sessionid"}
)  # fmt: skip
# The PostgreSQL trigger lets a DELETE through only inside a transaction that set this.
ARCHIVE_SETTING = "zhongyuan.audit_archiving"


class AuditError(Exception):
    """A refusal with a Chinese message (archive too recent, broken chain ...)."""


# --- Writing ---------------------------------------------------------------------------


def client_address(request) -> str:
    """REMOTE_ADDR, or the client named in X-Forwarded-For when AUDIT_PROXY_COUNT
    proxies in front of us are trusted to set it (the last N entries are theirs)."""
    if request is None:
        return ""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.AUDIT_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            address = hops[-proxies] if len(hops) >= proxies else hops[0]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return _text(address, 45)


def _text(value: Any, limit: int) -> str:
    # PostgreSQL stores no NUL character (in text or jsonb): show it instead of failing.
    return str(value).replace("\x00", "\\x00")[:limit]


def _clean_detail(detail: dict | None) -> dict:
    """JSON-safe (Decimals and dates as strings, as DjangoJSONEncoder writes them),
    without NULs and without secrets, so what is hashed is what the database returns."""

    def scrub(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                _text(k, 100): scrub(v)
                for k, v in value.items()
                if str(k).lower() not in SECRET_KEYS
            }
        if isinstance(value, list):
            return [scrub(v) for v in value]
        if isinstance(value, str):
            return _text(value, 10_000)
        return value

    return scrub(json.loads(json.dumps(detail or {}, cls=DjangoJSONEncoder)))


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def canonical(fields: dict[str, Any]) -> bytes:
    """The bytes an event's hash is taken over: every recorded field and the previous
    hash, as sorted compact JSON (UTF-8). Changing this breaks every existing chain."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def event_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "occurred_at": _utc_text(event.occurred_at),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "actor_role": event.actor_role,
        "address": event.address,
        "action": event.action,
        "target_model": event.target_model,
        "target_pk": event.target_pk,
        "target_repr": event.target_repr,
        "result": event.result,
        "detail": event.detail,
        "prev_hash": event.prev_hash,
    }


def event_hash(fields: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(fields)).hexdigest()


def _lock_head() -> AuditChainHead:
    # get_or_create: the row is made on the first event (a flushed test database has
    # none); two first writers racing are resolved by the primary key.
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"seq": 0, "hash": GENESIS_HASH}
    )
    return head


def record(
    *,
    action: str,
    actor=None,
    request=None,
    target=None,
    result: str = AuditResult.SUCCESS,
    detail: dict | None = None,
) -> AuditEvent:
    """Write one audit row, chained to the previous one, and log it as one JSON line.

    ``actor`` defaults to the request's logged-in user. Call it as the last write of a
    transaction: the chain head stays locked until that transaction commits, and the
    row rolls back with it."""
    if result not in AuditResult.values:
        raise ValueError(f"unknown audit result {result!r}")
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
    if actor is not None and not actor.is_authenticated:
        actor = None
    with transaction.atomic():
        head = _lock_head()
        event = AuditEvent(
            seq=head.seq + 1,
            # Taken under the lock, so time never runs backwards along the chain.
            occurred_at=timezone.now(),
            actor_id=actor.pk if actor else None,
            actor_username=_text(actor.get_username(), 150) if actor else "",
            actor_role=(role_of(actor) or "") if actor else "",
            address=client_address(request),
            action=_text(action, 64),
            target_model=target._meta.label_lower if target is not None else "",
            target_pk=str(target.pk) if target is not None and target.pk is not None else "",
            target_repr=_text(target, 200) if target is not None else "",
            result=result,
            detail=_clean_detail(detail),
            prev_hash=head.hash,
        )
        fields = event_fields(event)
        event.hash = event_hash(fields)
        event.save()
        head.seq, head.hash = event.seq, event.hash
        head.save(update_fields=["seq", "hash"])
    # Logged now, not on commit: an on_commit callback would ride along in every
    # caller's transaction. Should that transaction roll back, the collector holds a
    # line the table does not (its seq is used again, with another hash): the table and
    # its chain are the record, the stream a copy.
    logger.info(json.dumps({**fields, "hash": event.hash}, ensure_ascii=False))
    return event


# --- Verifying -------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    """The first place the chain does not hold."""

    seq: int | None
    reason: str


def walk(
    rows: Iterable[dict[str, Any]], *, prev_hash: str, seq: int
) -> tuple[Break | None, int, str]:
    """Check rows (event fields plus "hash") in order, starting after ``seq`` whose hash
    is ``prev_hash``. Returns the first break (or None), the last seq and hash seen."""
    for row in rows:
        expected_seq = seq + 1
        if row["seq"] != expected_seq:
            missing = f"缺少第 {expected_seq} 条（下一条是第 {row['seq']} 条）"
            return Break(expected_seq, missing), seq, prev_hash
        if row["prev_hash"] != prev_hash:
            return Break(row["seq"], "前一条哈希不符：其前的记录被改动、删除或插入"), seq, prev_hash
        fields = {k: v for k, v in row.items() if k != "hash"}
        if event_hash(fields) != row["hash"]:
            return Break(row["seq"], "哈希不符：本条记录被改动"), seq, prev_hash
        seq, prev_hash = row["seq"], row["hash"]
    return None, seq, prev_hash


def _stored_rows(queryset) -> Iterator[dict[str, Any]]:
    for event in queryset.order_by("seq").iterator(chunk_size=2000):
        yield {**event_fields(event), "hash": event.hash}


def _archives_in_order() -> list[AuditArchive]:
    return list(AuditArchive.objects.order_by("last_seq"))


def verify_chain() -> tuple[Break | None, int]:
    """Walk the archives' anchors and the table. Returns the first break (or None) and
    how many rows in the table were checked."""
    prev_hash, seq = GENESIS_HASH, 0
    for archive in _archives_in_order():
        if archive.first_seq != seq + 1 or archive.first_prev_hash != prev_hash:
            return Break(archive.first_seq, f"归档 {archive.file_name} 与前一归档不衔接"), 0
        seq, prev_hash = archive.last_seq, archive.last_hash
    if AuditEvent.objects.filter(seq__lte=seq).exists():
        return Break(None, "已归档序号范围内仍有记录"), 0
    # The head first: rows committed after it are left for the next run, so events
    # written while we walk are not mistaken for a broken end.
    head = AuditChainHead.objects.filter(pk=1).first()
    rows = AuditEvent.objects.filter(seq__gt=seq)
    if head is not None:
        rows = rows.filter(seq__lte=head.seq)
    checked = rows.count()
    broken, seq, prev_hash = walk(_stored_rows(rows), prev_hash=prev_hash, seq=seq)
    if broken:
        return broken, checked
    if head is not None and seq != head.seq:
        return Break(seq + 1, f"链尾缺失：链头记到第 {head.seq} 条，表中只到第 {seq} 条"), checked
    if head is not None and prev_hash != head.hash:
        return Break(seq, "末条记录的哈希与链头不符"), checked
    return None, checked


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def verify_archive_file(path: Path) -> Break | None:
    """Check one archive file on its own: its checksum file and its inner chain."""
    expected = Path(f"{path}.sha256").read_text(encoding="utf-8").split()[0]
    if file_sha256(path) != expected:
        return Break(None, f"{path.name} 的校验和不符")
    with path.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    if not rows:
        return None
    broken, _, _ = walk(rows, prev_hash=rows[0]["prev_hash"], seq=rows[0]["seq"] - 1)
    return broken


# --- Archiving -------------------------------------------------------------------------


def earliest_allowed_cutoff(today: date) -> date:
    """Rows from this day on must stay in the table (AUDIT_RETENTION_DAYS)."""
    return today - timedelta(days=settings.AUDIT_RETENTION_DAYS)


def _write_file(path: Path, rows: list[dict[str, Any]]) -> str:
    """Write rows as JSON lines next to a ``.sha256`` file; returns the checksum."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".partial")
    digest = hashlib.sha256()
    with temporary.open("wb") as out:
        for row in rows:
            data = (json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
            digest.update(data)
            out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)
    checksum = digest.hexdigest()
    Path(f"{path}.sha256").write_text(f"{checksum}  {path.name}\n", encoding="utf-8")
    return checksum


@transaction.atomic
def archive_events(*, before: date, actor, directory: Path, today: date) -> AuditArchive:
    """Move every row older than ``before`` (local midnight) to a JSON-lines file.

    Refused for a date inside the retention period, for anyone but the audit admin,
    and when the chain does not verify (a broken chain is evidence, not archive
    material)."""
    if actor is None or not is_audit_admin(actor):
        raise AuditError("只有审计管理员可以归档审计日志。")
    limit = earliest_allowed_cutoff(today)
    if before > limit:
        raise AuditError(
            f"审计日志至少保存 {settings.AUDIT_RETENTION_DAYS} 天：只能归档 {limit:%Y-%m-%d} "
            f"（不含）之前的记录，{before:%Y-%m-%d} 太近。"
        )
    head = _lock_head()  # no event is written while we archive
    broken, _ = verify_chain()
    if broken:
        raise AuditError(f"审计链校验未通过（第 {broken.seq} 条：{broken.reason}），不能归档。")
    cutoff = timezone.make_aware(datetime.combine(before, time.min))
    first_young = (
        AuditEvent.objects.filter(occurred_at__gte=cutoff).order_by("seq").values("seq").first()
    )
    last_seq = (first_young["seq"] - 1) if first_young else head.seq
    rows = list(_stored_rows(AuditEvent.objects.filter(seq__lte=last_seq)))
    if not rows:
        raise AuditError(f"{before:%Y-%m-%d} 之前没有未归档的审计记录。")
    name = f"audit-{rows[0]['seq']:012d}-{rows[-1]['seq']:012d}.jsonl"
    checksum = _write_file(directory / name, rows)
    archive = AuditArchive.objects.create(
        created_at=timezone.now(),
        actor_username=actor.get_username(),
        before=before,
        first_seq=rows[0]["seq"],
        last_seq=rows[-1]["seq"],
        count=len(rows),
        first_prev_hash=rows[0]["prev_hash"],
        last_hash=rows[-1]["hash"],
        file_name=name,
        file_sha256=checksum,
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Lasts until this transaction ends; the trigger allows DELETE only then.
            cursor.execute("SELECT set_config(%s, 'on', true)", [ARCHIVE_SETTING])
        table = connection.ops.quote_name(AuditEvent._meta.db_table)
        cursor.execute(f"DELETE FROM {table} WHERE seq <= %s", [archive.last_seq])
    record(
        action="audit.archive",
        actor=actor,
        target=archive,
        detail={
            "before": before,
            "first_seq": archive.first_seq,
            "last_seq": archive.last_seq,
            "count": archive.count,
            "file": name,
            "sha256": checksum,
            "last_hash": archive.last_hash,
        },
    )
    return archive
