"""The one outbound log: in-app notices, e-mail and chat pushes go through here.

``notify`` writes an in-app notice per recipient and an e-mail row per recipient
with an address, and hands the event to every registered dispatcher (the
supervision app registers its 企业微信 / 钉钉 robots) — so a layer below
``supervision`` (the workflow's return, the reminders) can raise an event without
knowing who listens. E-mail goes out through a Celery task once the transaction
commits; a dead broker leaves the row 待发送 for ``send_pending_outbound``. Nothing
here raises into the request that caused the event.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from org.models import Department, OutboundChannel, OutboundEvent, OutboundMessage, OutboundStatus

logger = logging.getLogger(__name__)

# Attempts before an e-mail or push is given up as 发送失败.
MAX_ATTEMPTS = 4


@dataclass(frozen=True)
class Event:
    """What happened, as every channel needs it."""

    event: str  # an OutboundEvent value
    subject: str
    body: str = ""
    link: str = ""
    department_id: int | None = None
    actor_id: int | None = None


Dispatcher = Callable[[Event], None]
_dispatchers: list[Dispatcher] = []


def register_dispatcher(dispatcher: Dispatcher) -> None:
    """Add a channel that hears every event (idempotent)."""
    if dispatcher not in _dispatchers:
        _dispatchers.append(dispatcher)


def notify(
    event: str,
    *,
    recipients: Iterable[User] = (),
    subject: str,
    body: str = "",
    link: str = "",
    department: Department | None = None,
    actor: User | None = None,
    email: bool = True,
    extra_addresses: Iterable[str] = (),
) -> list[OutboundMessage]:
    """Tell these users (in-app, and by e-mail when ``email`` and they have an
    address), send to ``extra_addresses`` too, and pass the event to the
    dispatchers. Returns the rows written. Call inside the transaction that made the
    change: the rows commit with it and the sending waits for the commit."""
    if event not in OutboundEvent.values:
        raise ValueError(f"unknown outbound event {event!r}")
    users = {user.pk: user for user in recipients if user is not None and user.is_active}
    now = timezone.now()
    common = {
        "event": event,
        "subject": subject[:200],
        "body": body,
        "link": link[:300],
        "department": department,
        "actor": actor,
    }
    rows = [
        OutboundMessage(
            channel=OutboundChannel.INAPP,
            status=OutboundStatus.SENT,
            sent_at=now,
            recipient=user,
            **common,
        )
        for user in users.values()
    ]
    if email:
        seen: set[str] = set()
        for user in users.values():
            if user.email and user.email not in seen:
                seen.add(user.email)
                rows.append(
                    OutboundMessage(
                        channel=OutboundChannel.EMAIL, recipient=user, address=user.email, **common
                    )
                )
        for address in extra_addresses:
            if address and address not in seen:
                seen.add(address)
                rows.append(
                    OutboundMessage(channel=OutboundChannel.EMAIL, address=address, **common)
                )
    OutboundMessage.objects.bulk_create(rows)
    mail_ids = [row.pk for row in rows if row.channel == OutboundChannel.EMAIL]
    if mail_ids:
        transaction.on_commit(partial(enqueue_sends, mail_ids))
    happened = Event(
        event=event,
        subject=subject,
        body=body,
        link=link,
        department_id=department.pk if department else None,
        actor_id=actor.pk if actor else None,
    )
    for dispatcher in list(_dispatchers):
        try:
            dispatcher(happened)
        except Exception:
            # A listener's fault must not undo the change that raised the event.
            logger.exception("outbound dispatcher %r failed for %s", dispatcher, event)
    return rows


def enqueue_sends(message_ids: list[int]) -> None:
    """Queue the sending; a dead broker is logged and the rows stay 待发送 for the sweep."""
    from org.tasks import send_outbound  # tasks import us

    for message_id in message_ids:
        try:
            send_outbound.delay(message_id)
        except Exception:
            logger.exception("could not queue outbound message %s; left to the sweep", message_id)


Sender = Callable[[OutboundMessage], None]
_senders: dict[str, Sender] = {}


def register_sender(channel: str, sender: Sender) -> None:
    """How a channel delivers one row (the supervision app registers the robots)."""
    _senders[channel] = sender


def _send_email(message: OutboundMessage) -> None:
    EmailMessage(
        message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.address]
    ).send()


register_sender(OutboundChannel.EMAIL, _send_email)


def deliver(message_id: int) -> bool | None:
    """Try one pending row once. True when sent, False when it failed and may be
    retried, None when there is nothing (more) to do. The failure is recorded on the
    row, never raised."""
    with transaction.atomic():
        message = (
            OutboundMessage.objects.select_for_update()
            .filter(pk=message_id, status=OutboundStatus.PENDING)
            .first()
        )
        if message is None:
            return None
        sender = _senders.get(message.channel)
        message.attempts += 1
        try:
            if sender is None:
                raise LookupError(f"没有可用的发送方式：{message.get_channel_display()}")
            sender(message)
        except Exception as error:
            message.error = f"{type(error).__name__}: {error}"[:2000]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboundStatus.FAILED
            message.save(update_fields=["attempts", "error", "status"])
            logger.warning(
                "outbound message %s failed (attempt %s): %s",
                message_id,
                message.attempts,
                message.error,
            )
            return None if message.status == OutboundStatus.FAILED else False
        message.status = OutboundStatus.SENT
        message.sent_at = timezone.now()
        message.error = ""
        message.save(update_fields=["attempts", "error", "status", "sent_at"])
        return True


def unread(user: User):
    """The user's unread in-app notices, newest first."""
    return OutboundMessage.objects.filter(
        recipient=user, channel=OutboundChannel.INAPP, read_at__isnull=True
    )


def mark_read(user: User, message_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notices read (all when ``message_ids`` is None); only their own."""
    rows = unread(user)
    if message_ids is not None:
        rows = rows.filter(pk__in=list(message_ids))
    return rows.update(read_at=timezone.now())


# The header's bell lists at most this many unread notices; more reads "9+".
INBOX_SIZE = 9


@dataclass(frozen=True)
class Inbox:
    """The header's notice list: the newest unread notices (at most INBOX_SIZE) and
    whether there are more."""

    items: list
    more: bool

    @property
    def count_text(self) -> str:
        return f"{INBOX_SIZE}+" if self.more else str(len(self.items))

    def __bool__(self) -> bool:
        return bool(self.items)


def inbox(user: User) -> Inbox:
    """The header's notices in ONE query: the newest INBOX_SIZE + 1 unread rows (the
    extra one only tells that there are more; no COUNT)."""
    rows = list(unread(user).only("pk", "event", "subject", "created_at")[: INBOX_SIZE + 1])
    return Inbox(rows[:INBOX_SIZE], len(rows) > INBOX_SIZE)


def notices_of(user: User):
    """Every in-app notice of the user (read or not), newest first."""
    return OutboundMessage.objects.filter(recipient=user, channel=OutboundChannel.INAPP)


def open_notice(user: User, message_id: int) -> OutboundMessage | None:
    """The user's own notice, marked read (once); None when it is not theirs."""
    message = notices_of(user).filter(pk=message_id).first()
    if message is not None and message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
    return message
