"""The one outbound log: in-app notices, e-mail rows and their delivery."""

import pytest
from django.core import mail

from org import outbound
from org.models import OutboundChannel, OutboundEvent, OutboundMessage, OutboundStatus
from org.tasks import send_pending_outbound
from tests import factories as f

pytestmark = pytest.mark.django_db


def _users():
    dept = f.department("zjj")
    clerk = f.user("clerk", role="staff", dept=dept, email="clerk@example.cn")
    other = f.user("other", role="staff", dept=dept, email="")
    return dept, clerk, other


def test_notify_writes_a_notice_each_and_mails_those_with_an_address(
    django_capture_on_commit_callbacks,
):
    dept, clerk, other = _users()
    reviewer = f.user("rev", role="reviewer")
    with django_capture_on_commit_callbacks(execute=True):
        rows = outbound.notify(
            OutboundEvent.RETURNED,
            recipients=[clerk, other],
            subject="您报送的10月进展被退回",
            body="退回原因：佐证材料不全。",
            link="/report/",
            department=dept,
            actor=reviewer,
        )
    assert sorted((r.channel, r.recipient.username) for r in rows) == [
        ("email", "clerk"),
        ("inapp", "clerk"),
        ("inapp", "other"),
    ]
    assert [m.to for m in mail.outbox] == [["clerk@example.cn"]]
    assert mail.outbox[0].subject == "您报送的10月进展被退回"
    sent = OutboundMessage.objects.get(channel=OutboundChannel.EMAIL)
    assert (sent.status, sent.attempts, sent.actor, sent.address) == (
        OutboundStatus.SENT,
        1,
        reviewer,
        "clerk@example.cn",
    )
    assert sent.sent_at is not None
    assert outbound.unread(clerk).count() == 1


def test_no_email_when_asked_not_to_and_inactive_users_are_skipped():
    _, clerk, other = _users()
    other.is_active = False
    other.save()
    rows = outbound.notify(
        OutboundEvent.SUBMITTED, recipients=[clerk, other], subject="新报送", email=False
    )
    assert [(r.channel, r.recipient) for r in rows] == [(OutboundChannel.INAPP, clerk)]


def test_unknown_event_is_refused():
    with pytest.raises(ValueError):
        outbound.notify("gossip", subject="x")


def test_mark_read_touches_only_the_readers_own_notices():
    _, clerk, other = _users()
    outbound.notify(OutboundEvent.REMINDER, recipients=[clerk, other], subject="催报", email=False)
    mine = outbound.unread(clerk).get()
    theirs = outbound.unread(other).get()
    assert outbound.mark_read(clerk, [theirs.pk]) == 0
    assert outbound.mark_read(clerk, [mine.pk]) == 1
    assert outbound.unread(clerk).count() == 0
    assert outbound.unread(other).count() == 1


def test_a_failing_sender_is_recorded_retried_and_given_up_without_raising(
    settings, django_capture_on_commit_callbacks
):
    _, clerk, _ = _users()
    settings.EMAIL_BACKEND = "tests.org.test_outbound.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        outbound.notify(OutboundEvent.REMINDER, recipients=[clerk], subject="催报")
    row = OutboundMessage.objects.get(channel=OutboundChannel.EMAIL)
    # Eager tasks retry in place until the attempts run out.
    assert row.status == OutboundStatus.FAILED
    assert row.attempts == outbound.MAX_ATTEMPTS
    assert "ConnectionRefusedError" in row.error


def test_the_sweep_sends_rows_left_pending():
    _, clerk, _ = _users()
    # Written outside on_commit (as if the broker had been down): still pending.
    row = OutboundMessage.objects.create(
        event=OutboundEvent.REMINDER,
        channel=OutboundChannel.EMAIL,
        recipient=clerk,
        address=clerk.email,
        subject="催报",
    )
    assert send_pending_outbound(older_than_seconds=-1) == 1
    row.refresh_from_db()
    assert row.status == OutboundStatus.SENT
    assert len(mail.outbox) == 1


def test_a_dispatcher_hears_every_event_and_its_failure_does_not_spread():
    heard = []

    def listener(event):
        heard.append(event)

    def broken(event):
        raise RuntimeError("robot away")

    outbound.register_dispatcher(listener)
    outbound.register_dispatcher(broken)
    try:
        dept = f.department("fgw")
        outbound.notify(OutboundEvent.BULLETIN, subject="10月通报已发布", department=dept)
    finally:
        outbound._dispatchers.remove(listener)
        outbound._dispatchers.remove(broken)
    assert [(e.event, e.subject, e.department_id) for e in heard] == [
        ("bulletin", "10月通报已发布", dept.pk)
    ]


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("smtp down")
