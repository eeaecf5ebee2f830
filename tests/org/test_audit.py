"""The audit log's core: record() writes the listed fields, the rows chain by SHA-256,
the app cannot change or delete a row, verify_audit finds a row changed behind the
app's back, and archiving keeps the chain verifiable but never inside retention."""

import hashlib
import io
import json
import logging
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from org import audit
from org.audit_models import (
    AuditArchive,
    AuditChainHead,
    AuditEvent,
    AuditLogIsAppendOnly,
)
from org.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def verify() -> str:
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def tamper(sql: str, params: list) -> None:
    """Change the table behind the app's back, as someone with database access could.
    On PostgreSQL that needs the trigger switched off (superuser only)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def backdate(days: int) -> None:
    """Move every row `days` into the past, re-chaining them (a test-only stand-in for
    time passing), so the archive has rows old enough to take."""
    AuditChainHead.objects.all().delete()
    rows = list(AuditEvent.objects.order_by("seq"))
    prev = audit.GENESIS_HASH
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        for row in rows:
            row.occurred_at -= timedelta(days=days)
            row.prev_hash = prev
            row.hash = audit.event_hash(audit.event_fields(row))
            cursor.execute(
                "UPDATE org_auditevent SET occurred_at = %s, prev_hash = %s, hash = %s "
                "WHERE seq = %s",
                [row.occurred_at, row.prev_hash, row.hash, row.seq],
            )
            prev = row.hash
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")
    AuditChainHead.objects.create(pk=1, seq=rows[-1].seq, hash=prev)


def test_record_writes_who_when_where_what_and_result(settings):
    clerk = f.user("clerk", Role.STAFF, f.department("fgw"))
    request = RequestFactory().get("/x", REMOTE_ADDR="10.1.2.3")
    department = clerk.profile.department
    event = audit.record(
        action="test.thing",
        actor=clerk,
        request=request,
        target=department,
        result="failure",
        detail={"amount": 1, "password": "hunter2", "nested": {"token": "x", "ok": "y"}},
    )
    event.refresh_from_db()
    assert (event.actor_id, event.actor_username, event.actor_role) == (
        clerk.pk,
        "clerk",
        "staff",
    )
    assert event.address == "10.1.2.3"
    assert (event.action, event.result) == ("test.thing", "failure")
    assert (event.target_model, event.target_pk, event.target_repr) == (
        "org.department",
        str(department.pk),
        str(department),
    )
    # Secrets never reach the log, however deep.
    assert event.detail == {"amount": 1, "nested": {"ok": "y"}}
    assert event.occurred_at.tzinfo is not None
    assert abs(event.occurred_at - timezone.now()) < timedelta(seconds=5)


def test_actor_defaults_to_the_requests_user():
    reader = f.user("reader")
    request = RequestFactory().get("/")
    request.user = reader
    assert audit.record(action="test.thing", request=request).actor_username == "reader"


def test_forwarded_for_is_believed_only_behind_a_trusted_proxy(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="172.16.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.9.8.7"
    )
    settings.AUDIT_PROXY_COUNT = 0
    assert audit.client_address(request) == "172.16.0.2"
    # One proxy (nginx) appends the address it saw: the last entry is the client;
    # what the client itself put in front is not believed.
    settings.AUDIT_PROXY_COUNT = 1
    assert audit.client_address(request) == "10.9.8.7"


def test_a_nul_byte_is_stored_visibly_not_refused():
    event = audit.record(action="test.thing", detail={"username": "a\x00b"})
    event.refresh_from_db()
    assert event.detail == {"username": "a\\x00b"}


def test_rows_are_chained_by_sha256_of_the_canonical_form():
    first = audit.record(action="one")
    second = audit.record(action="two", detail={"n": 2})
    assert (first.seq, second.seq) == (first.seq, first.seq + 1)
    assert second.prev_hash == first.hash
    second.refresh_from_db()
    fields = audit.event_fields(second)
    # Hand-computed: sorted compact JSON of the fields including prev_hash.
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert second.hash == hashlib.sha256(text.encode()).hexdigest()
    assert fields["occurred_at"].endswith("+00:00")
    assert AuditChainHead.objects.get().hash == second.hash


def test_each_event_is_one_json_line_on_the_audit_logger():
    lines = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(record.getMessage())

    handler = Collect()
    logging.getLogger("zhongyuan.audit").addHandler(handler)
    try:
        event = audit.record(action="test.thing", detail={"a": "中"})
    finally:
        logging.getLogger("zhongyuan.audit").removeHandler(handler)
    assert len(lines) == 1
    logged = json.loads(lines[0])
    assert logged["hash"] == event.hash
    assert (logged["action"], logged["detail"]) == ("test.thing", {"a": "中"})


def test_the_app_cannot_change_or_delete_a_row():
    event = audit.record(action="test.thing")
    event.action = "something.else"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.bulk_create([AuditEvent(seq=99, action="x")])
    event.refresh_from_db()
    assert event.action == "test.thing"


def test_verify_passes_on_an_intact_chain_and_on_an_empty_one():
    assert "0 条" in verify()
    for n in range(3):
        audit.record(action=f"test.{n}")
    assert "3 条" in verify()


@pytest.mark.parametrize(
    ("sql", "broken_at", "reason"),
    [
        ("UPDATE org_auditevent SET action = 'innocent' WHERE seq = %s", 2, "本条记录被改动"),
        ("UPDATE org_auditevent SET address = '1.1.1.1' WHERE seq = %s", 2, "本条记录被改动"),
        ("DELETE FROM org_auditevent WHERE seq = %s", 2, "缺少第 2 条"),
    ],
)
def test_verify_finds_the_first_row_changed_behind_the_apps_back(sql, broken_at, reason):
    events = [audit.record(action=f"test.{n}") for n in range(4)]
    tamper(sql, [events[1].seq])
    with pytest.raises(CommandError) as refused:
        verify()
    assert f"第 {events[0].seq + broken_at - 1} 条" in str(refused.value)
    assert reason.replace("2", str(events[1].seq)) in str(refused.value)


def test_verify_finds_a_rehashed_row_by_its_successor():
    """Someone who recomputes the changed row's own hash still breaks the next link."""
    events = [audit.record(action=f"test.{n}") for n in range(3)]
    changed = AuditEvent.objects.get(pk=events[1].pk)
    changed.action = "innocent"
    new_hash = audit.event_hash(audit.event_fields(changed))
    tamper(
        "UPDATE org_auditevent SET action = 'innocent', hash = %s WHERE seq = %s",
        [new_hash, changed.seq],
    )
    with pytest.raises(CommandError, match=f"第 {events[2].seq} 条，前一条哈希不符"):
        verify()


def test_verify_finds_rows_cut_off_the_end():
    events = [audit.record(action=f"test.{n}") for n in range(3)]
    tamper("DELETE FROM org_auditevent WHERE seq = %s", [events[2].seq])
    with pytest.raises(CommandError, match="链尾缺失"):
        verify()


def test_archive_keeps_the_chain_verifiable(tmp_path, settings):
    f.user("auditor", Role.AUDIT_ADMIN)
    old = [audit.record(action=f"test.old{n}") for n in range(3)]
    backdate(400)
    young = audit.record(action="test.young")
    before = timezone.localdate() - timedelta(days=200)
    out = io.StringIO()
    call_command(
        "archive_audit", before=str(before), by="auditor", directory=str(tmp_path), stdout=out
    )
    archive = AuditArchive.objects.get()
    # Everything recorded before the backdating (the auditor's role, the three old
    # events) is archived; the young event and the archive's own event stay.
    assert archive.last_seq == old[-1].seq
    assert archive.first_seq == 1
    assert list(AuditEvent.objects.order_by("seq").values_list("action", flat=True)) == [
        "test.young",
        "audit.archive",
    ]
    assert AuditEvent.objects.get(action="test.young").prev_hash == archive.last_hash
    # The file holds the archived rows, one JSON object a line, with its checksum.
    path = tmp_path / archive.file_name
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [line["seq"] for line in lines] == list(range(1, archive.last_seq + 1))
    assert lines[-1]["hash"] == archive.last_hash
    checksum = hashlib.sha256(path.read_bytes()).hexdigest()
    assert archive.file_sha256 == checksum
    assert (tmp_path / f"{archive.file_name}.sha256").read_text().startswith(checksum)
    # The archive is itself recorded, by whom, with its last hash.
    event = AuditEvent.objects.get(action="audit.archive")
    assert event.actor_username == "auditor"
    assert event.detail["last_hash"] == archive.last_hash
    # The chain still verifies from the archive point, files included.
    settings.AUDIT_ARCHIVE_DIR = tmp_path
    out = io.StringIO()
    call_command("verify_audit", archives=True, stdout=out)
    assert "校验通过" in out.getvalue()
    assert young.seq == archive.last_seq + 1


def test_a_changed_archive_file_is_detected(tmp_path, settings):
    f.user("auditor", Role.AUDIT_ADMIN)
    audit.record(action="test.old")
    backdate(400)
    call_command(
        "archive_audit",
        before=str(timezone.localdate() - timedelta(days=200)),
        by="auditor",
        directory=str(tmp_path),
        stdout=io.StringIO(),
    )
    path = tmp_path / AuditArchive.objects.get().file_name
    path.write_text(path.read_text().replace("test.old", "test.new"), encoding="utf-8")
    settings.AUDIT_ARCHIVE_DIR = tmp_path
    with pytest.raises(CommandError, match="校验和不符"):
        call_command("verify_audit", archives=True, stdout=io.StringIO())


@pytest.mark.parametrize("days_ago", [0, 1, 179])
def test_archive_refuses_rows_inside_the_retention_period(tmp_path, days_ago):
    f.user("auditor", Role.AUDIT_ADMIN)
    audit.record(action="test.thing")
    before = timezone.localdate() - timedelta(days=days_ago)
    with pytest.raises(CommandError, match="至少保存 180 天"):
        call_command("archive_audit", before=str(before), by="auditor", directory=str(tmp_path))
    assert AuditArchive.objects.count() == 0
    assert not list(tmp_path.iterdir())


def test_retention_boundary_is_exactly_180_days():
    today = date(2025, 11, 20)
    assert audit.earliest_allowed_cutoff(today) == date(2025, 5, 24)


def test_only_the_audit_admin_archives(tmp_path):
    f.user("boss", Role.ADMIN)
    with pytest.raises(CommandError, match="只有审计管理员"):
        call_command("archive_audit", before="2020-01-01", by="boss", directory=str(tmp_path))


def test_archive_refuses_a_broken_chain(tmp_path):
    f.user("auditor", Role.AUDIT_ADMIN)
    events = [audit.record(action=f"test.{n}") for n in range(2)]
    backdate(400)
    tamper("UPDATE org_auditevent SET action = 'x' WHERE seq = %s", [events[0].seq])
    with pytest.raises(CommandError, match="校验未通过"):
        call_command(
            "archive_audit",
            before=str(timezone.localdate() - timedelta(days=200)),
            by="auditor",
            directory=str(tmp_path),
        )


def test_retention_below_180_days_is_refused_at_start():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            "DJANGO_SETTINGS_MODULE": "zhongyuan.settings",
            "AUDIT_RETENTION_DAYS": "90",
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "at least 180 days" in result.stderr


def test_postgres_trigger_refuses_update_and_delete(postgres):
    event = audit.record(action="test.thing")
    for sql in (
        "UPDATE org_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM org_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    event.refresh_from_db()
    assert event.action == "test.thing"
    assert "1 条" in verify()


def test_postgres_a_row_changed_with_the_trigger_off_is_detected(postgres):
    events = [audit.record(action=f"test.{n}") for n in range(3)]
    tamper("UPDATE org_auditevent SET action = 'innocent' WHERE seq = %s", [events[1].seq])
    with pytest.raises(CommandError, match=f"第 {events[1].seq} 条"):
        verify()


def test_occurred_at_is_shown_with_its_offset():
    from org.audit_admin import AuditEventAdmin

    event = AuditEvent(occurred_at=datetime(2025, 11, 20, 1, 2, 3, tzinfo=UTC))
    assert AuditEventAdmin.when(None, event) == "2025-11-20 09:02:03+08:00"
