"""Sending what the outbound log holds (e-mail, and the channels apps register)."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from org import outbound
from org.models import OutboundChannel, OutboundMessage, OutboundStatus


@shared_task(name="org.send_outbound", bind=True, max_retries=outbound.MAX_ATTEMPTS - 1)
def send_outbound(self, message_id: int) -> bool | None:
    """One delivery attempt; a failure is recorded on the row and retried with backoff."""
    result = outbound.deliver(message_id)
    if result is False and not self.request.is_eager:
        raise self.retry(countdown=30 * 2**self.request.retries)
    if result is False:
        # Eager (no broker): retry in place, a bounded number of times, no sleeping.
        while result is False:
            result = outbound.deliver(message_id)
    return result


@shared_task(name="org.send_pending_outbound")
def send_pending_outbound(older_than_seconds: int = 300) -> int:
    """The sweep: rows still 待发送 after a while (the broker was down when they were
    written) are tried again. Returns how many were tried."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    ids = list(
        OutboundMessage.objects.filter(status=OutboundStatus.PENDING, created_at__lt=cutoff)
        .exclude(channel=OutboundChannel.INAPP)
        .values_list("pk", flat=True)[:500]
    )
    for message_id in ids:
        outbound.deliver(message_id)
    return len(ids)
