"""Closing and reopening a month (DESIGN.md §4).

Closing freezes the month: ``targets.ClosedMonth`` tells the recompute to leave its
snapshots alone (targets/snapshots.py), and the month's timeliness tally is kept on
the row, so a report that comes in afterwards moves neither the figures nor the
ranking of a closed month (nor the key projects' statuses the ladder climbs on, kept
there too). It shows instead as a correction (supervision/queries.py)
and in the open months after it. Months close in order; only the latest closed month
can be reopened, with a reason, and both are audited. Closing queues the escalation
ladder's run for the month.
"""

import logging
from datetime import date
from functools import partial

from django.db import transaction
from django.utils import timezone

from org import audit
from reporting.timeliness import timeliness_by_department
from supervision import access
from supervision.escalation import PROJECT_STATUSES, freeze_project_statuses
from targets import cache as page_cache
from targets.models import ClosedMonth, PendingRecompute, PlanYear, Target
from targets.periods import add_months, format_period, last_closed_month
from targets.snapshots import request_recompute

logger = logging.getLogger(__name__)


class ClosingError(ValueError):
    """A refusal; the message is for the user."""


def _month_label(period: date) -> str:
    return f"{period.year}年{period.month}月"


def freeze_timeliness(*, plan_year: PlanYear, period: date, today: date) -> dict:
    """The month's and the year-to-date timeliness per department, as plain JSON."""
    tables = timeliness_by_department(plan_year=plan_year, period=period, today=today)

    def rows(tallies) -> list[dict]:
        return [
            {
                "department_id": t.department.pk,
                "owed": t.owed,
                "on_time": t.on_time,
                "late": t.late,
                "missing": t.missing,
                "pending": t.pending,
                "returns": t.returns,
            }
            for t in tallies
        ]

    return {"month": rows(tables.month), "year": rows(tables.year)}


def check_closable(*, plan_year: PlanYear, period: date, today: date) -> None:
    label = _month_label(period)
    if not plan_year.starts_on <= period <= plan_year.ends_on:
        raise ClosingError(f"{label}不在{plan_year.year}年度内。")
    if period > last_closed_month(today):
        raise ClosingError(f"{label}尚未结束，不能关账。")
    closed = ClosedMonth.objects.filter(plan_year=plan_year)
    if closed.closed().filter(period=period).exists():
        raise ClosingError(f"{label}已关账。")
    if period > plan_year.starts_on:
        previous = add_months(period, -1)
        if not closed.closed().filter(period=previous).exists():
            raise ClosingError(f"请先关账{_month_label(previous)}：月份须依次关账。")
    if PendingRecompute.objects.filter(target__programme__plan_year=plan_year).exists():
        raise ClosingError("尚有指标等待重新计算，请稍后再关账，以免冻结过时的数据。")


@transaction.atomic
def close_month(
    *, plan_year: PlanYear, period: date, user, today: date, request=None
) -> ClosedMonth:
    """Close ``period``: freeze its snapshots and timeliness, audit it, and queue the
    escalation ladder's run once committed. Raises ClosingError or PermissionDenied."""
    if user is not None:
        access.require_close(user)
    # The plan year's row lock keeps two closings (and a recompute's aggregate) apart.
    plan_year = PlanYear.objects.select_for_update().get(pk=plan_year.pk)
    check_closable(plan_year=plan_year, period=period, today=today)
    now = timezone.now()
    frozen = {
        "timeliness": freeze_timeliness(plan_year=plan_year, period=period, today=today),
        # The site's day (SITE_TODAY pins it on the demo): the bulletin's date.
        "closed_on": today.isoformat(),
        # The key projects' statuses for the escalation ladder (projects carry no
        # monthly snapshot to freeze, so their month is kept here).
        PROJECT_STATUSES: freeze_project_statuses(plan_year=plan_year, period=period),
    }
    row, _ = ClosedMonth.objects.update_or_create(
        plan_year=plan_year,
        period=period,
        defaults={"closed": True, "closed_at": now, "closed_by": user, "frozen": frozen},
    )
    audit.record(
        action="supervision.close_month",
        actor=user,
        request=request,
        target=row,
        detail={"month": format_period(period)},
    )
    transaction.on_commit(partial(_enqueue_escalation, plan_year.pk, period))
    page_cache.bump(plan_year.pk)  # the overview's count of corrections reads the closings
    return row


def _enqueue_escalation(plan_year_id: int, period: date) -> None:
    from supervision.tasks import run_escalation  # tasks import the services

    try:
        run_escalation.delay(plan_year_id, format_period(period))
    except Exception:
        # The month is closed; the ladder can be run again by hand
        # (manage.py run_escalation), which is idempotent.
        logger.exception("could not queue the escalation run for %s", period)


@transaction.atomic
def reopen_month(*, closed_month: ClosedMonth, user, reason: str, request=None) -> ClosedMonth:
    """Reopen the latest closed month, with a reason; its snapshots are recomputed
    (a published bulletin keeps its file as published)."""
    access.require_close(user)
    reason = (reason or "").strip()
    label = _month_label(closed_month.period)
    if not reason:
        raise ClosingError("请填写重新打开的原因。")
    row = ClosedMonth.objects.select_for_update().get(pk=closed_month.pk)
    if not row.closed:
        raise ClosingError(f"{label}未关账。")
    later = ClosedMonth.objects.closed().filter(plan_year=row.plan_year, period__gt=row.period)
    if later.exists():
        raise ClosingError(f"只能重新打开最近关账的月份：请先重新打开{label}以后的月份。")
    row.closed = False
    row.reopened_at = timezone.now()
    row.reopened_by = user
    row.reopen_reason = reason[:2000]
    row.save(update_fields=["closed", "reopened_at", "reopened_by", "reopen_reason"])
    request_recompute(
        target_ids=Target.objects.for_plan_year(row.plan_year).values_list("pk", flat=True),
        reason=f"重新打开{label}",
    )
    audit.record(
        action="supervision.reopen_month",
        actor=user,
        request=request,
        target=row,
        detail={"month": format_period(row.period), "reason": reason[:500]},
    )
    page_cache.bump(row.plan_year_id)
    return row


def close_through(*, plan_year: PlanYear, through: date, user, today: date) -> list[ClosedMonth]:
    """Close every open month from January to ``through`` in order (the demo's
    setup, and a district starting mid-year); months already closed are skipped."""
    closed = set(
        ClosedMonth.objects.closed().filter(plan_year=plan_year).values_list("period", flat=True)
    )
    done = []
    period = plan_year.starts_on
    while period <= through:
        if period not in closed:
            done.append(close_month(plan_year=plan_year, period=period, user=user, today=today))
        period = add_months(period, 1)
    return done
