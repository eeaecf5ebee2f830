"""Writes of the supervision office's month that involve rules: generating and
publishing the bulletin. (Closing and reopening: supervision/closing.py; the ladder's
run: supervision/escalation.py.)"""

from datetime import date

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from org import audit, outbound, roles
from org.models import OutboundEvent, Role
from supervision import access, bulletin
from supervision.models import Bulletin
from supervision.queries import NotClosed, bulletin_data
from targets.models import PlanYear
from targets.periods import format_period


class BulletinError(ValueError):
    """A refusal; the message is for the user."""


MAX_NUMBER = 9999


def check_number(number: int | None) -> None:
    if number is not None and not 1 <= number <= MAX_NUMBER:
        raise BulletinError(f"文号序号须为 1 到 {MAX_NUMBER} 之间的整数。")


@transaction.atomic
def generate_bulletin(
    *, plan_year: PlanYear, period: date, user: User, number: int | None = None, request=None
) -> Bulletin:
    """Write the month's bulletin and keep it: a draft for a reviewer to publish, or
    for a leader a private draft. Raises BulletinError or PermissionDenied."""
    access.require_generate(user)
    check_number(number)
    try:
        data = bulletin_data(plan_year=plan_year, period=period)
    except NotClosed as error:
        raise BulletinError(str(error)) from error
    content = bulletin.build(data, number=number)
    row = Bulletin(
        plan_year=plan_year,
        period=period,
        number=number,
        private=not access.can_publish(user),
        generated_by=user,
        generated_at=timezone.now(),
        computed_from=data.computed_from,
        computed_to=data.computed_to,
        text_digest=bulletin.text_digest(content),
    )
    row.file.save(f"bulletin-{format_period(period)}.docx", ContentFile(content), save=False)
    row.save()
    audit.record(
        action="supervision.generate_bulletin",
        actor=user,
        request=request,
        target=row,
        detail={"month": format_period(period), "number": number, "private": row.private},
    )
    return row


@transaction.atomic
def publish_bulletin(*, bulletin_row: Bulletin, user: User, request=None) -> Bulletin:
    """Publish a draft: it becomes the month's bulletin, and the leaders are told."""
    access.require_publish(user)
    row = Bulletin.objects.select_for_update().get(pk=bulletin_row.pk)
    if row.private:
        raise BulletinError("领导个人草稿不能发布。")
    if row.is_published:
        raise BulletinError("该通报已发布。")
    if row.number is None:
        raise BulletinError("请先填写文号再发布：发布后的通报不再修改。")
    row.state = Bulletin.State.PUBLISHED
    row.published_by = user
    row.published_at = timezone.now()
    try:
        with transaction.atomic():
            row.save(update_fields=["state", "published_by", "published_at"])
    except IntegrityError as error:
        raise BulletinError("该月已有发布的通报。") from error
    outbound.notify(
        OutboundEvent.BULLETIN,
        recipients=roles.active_with_role(Role.LEADER),
        subject=f"{row}已发布",
        body=f"{row}（{bulletin.number_text(row.period.year, row.number)}）已发布，请查阅。",
        link=reverse("supervision:bulletin_download", args=[row.pk]),
        actor=user,
    )
    audit.record(
        action="supervision.publish_bulletin",
        actor=user,
        request=request,
        target=row,
        detail={"month": format_period(row.period), "number": row.number},
    )
    return row
