"""Writes that span kinds of report: the Excel import (all or nothing), approving
several at once, and the reminders (through org.outbound). The workflow itself is
workflow/services.py; these loop over what it returns and speak plain values: no
spreadsheet types here (the view maps a refusal back to its row and column)."""

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction

from org import outbound
from org.models import Department, OutboundChannel, OutboundEvent
from org.roles import clerks_of
from reporting import emails, queries
from reporting.months import plan_year_for
from targets.models import PlanYear
from targets.periods import add_months, report_due_date
from targets.snapshots import batched_recompute
from workflow import notices
from workflow.machine import WorkflowError
from workflow.registry import registry
from workflow.services import BulkWrite, Refusal, approve_entry, save_entries

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Write:
    """One report an import writes: which kind, on what, with which values, from the
    version the user downloaded. ``key`` is the caller's (a row number) and comes
    back with any refusal."""

    key: Any
    kind: str
    subject: models.Model
    values: Any
    version: int
    submit: bool
    # The subject's reports up to the month, as the row's check loaded them.
    history: list | None = None


class _Refused(Exception):
    """Raised inside the import's transaction to roll every row back."""


def import_month(*, user, period: date, writes: list[Write]) -> list[Refusal]:
    """Write every checked row of an upload in one transaction, or none: a row the
    workflow refuses (someone changed it since the download, it was approved in the
    meantime, a permission) rolls the whole upload back. Each kind's rows are saved
    together (workflow.services.save_entries: a fixed number of queries). Returns
    the refusals."""
    refusals: list[Refusal] = []
    try:
        # One notice per department for the reviewers, however many rows (notices).
        with transaction.atomic(), batched_recompute("Excel 导入"), notices.batched():
            for adapter in registry:
                mine = [w for w in writes if w.kind == adapter.kind]
                for submit in (False, True):
                    batch = [
                        BulkWrite(w.key, w.subject, w.values, w.version, w.history)
                        for w in mine
                        if w.submit is submit
                    ]
                    if batch:
                        refusals += save_entries(
                            adapter=adapter, period=period, user=user, writes=batch, submit=submit
                        )
            if refusals:
                raise _Refused
    except _Refused:
        return sorted(refusals, key=lambda r: r.key)
    return []


@dataclass(frozen=True)
class ReviewItem:
    kind: str  # a registered kind of report: "target", "project" …
    pk: int
    version: int


def _label(item: ReviewItem) -> str:
    adapter = registry.get(item.kind)
    return adapter.entry_label(
        adapter.entries().select_related(adapter.subject_field).get(pk=item.pk)
    )


def approve_many(*, user, items: list[ReviewItem]) -> tuple[int, list[str]]:
    """Approve several submitted reports at once (the reviewer ticked them). Each is
    its own decision: one that cannot be approved (changed since the page was loaded,
    no longer submitted) is reported and skipped, the others go through. One
    transaction, one savepoint per item, one batched recompute."""
    approved, problems = 0, []
    with transaction.atomic(), batched_recompute("批量审核通过"):
        for item in items:
            try:
                approve_entry(
                    adapter=registry.get(item.kind),
                    entry_id=item.pk,
                    user=user,
                    expected_version=item.version,
                )
            except WorkflowError as error:
                problems.append(f"{_label(item)}：{error.message}")
            except ObjectDoesNotExist:
                problems.append("有一条记录已被删除，已跳过。")
            else:
                approved += 1
    return approved, problems


# --- reminders ---------------------------------------------------------------------------


@dataclass
class ReminderResult:
    # Departments reminded (an in-app notice or an e-mail went to someone).
    sent: list[Department] = field(default_factory=list)
    # Departments with no e-mail address at all (their clerks, if any, got the notice).
    no_address: list[Department] = field(default_factory=list)
    messages: int = 0  # e-mails queued
    notices: int = 0  # in-app notices written


@transaction.atomic
def send_reminders(
    *,
    plan_year: PlanYear,
    period: date,
    department_ids: list[int] | None = None,
    site_url: str = "",
    actor: User | None = None,
) -> ReminderResult:
    """Remind each department (all with reports missing, or those given) that still
    owes ``period``: an in-app notice to its clerks, an e-mail to them and to its own
    address, all through the outbound log (org.outbound) with who asked (``actor``;
    None for the beat task). The e-mails go out once the transaction commits."""
    result = ReminderResult()
    rows = [
        row
        for row in queries.missing_by_department(plan_year=plan_year, period=period)
        if row.missing and (department_ids is None or row.department.pk in department_ids)
    ]
    clerks = clerks_of([row.department.pk for row in rows])
    for row in rows:
        department = row.department
        text = emails.reminder(row=row, plan_year=plan_year, period=period, site_url=site_url)
        written = outbound.notify(
            OutboundEvent.REMINDER,
            recipients=clerks.get(department.pk, []),
            subject=text.subject,
            body=text.body,
            link=text.link,
            department=department,
            actor=actor,
            email=True,
            extra_addresses=[department.email] if department.email else [],
        )
        mails = sum(1 for m in written if m.channel == OutboundChannel.EMAIL)
        result.messages += mails
        result.notices += len(written) - mails
        if written:
            result.sent.append(department)
        if not mails:
            result.no_address.append(department)
    logger.info(
        "reminders for %s by %s: %d e-mails, %d notices, %d departments without an address",
        period,
        actor or "the beat task",
        result.messages,
        result.notices,
        len(result.no_address),
    )
    return result


def send_due_day_reminders(*, today: date, site_url: str = "") -> ReminderResult | None:
    """On the due day of last month's report, remind every department still missing
    it; on any other day do nothing (returns None)."""
    period = add_months(today, -1)
    plan_year = plan_year_for(period)
    if plan_year is None or report_due_date(period, plan_year.report_due_day) != today:
        return None
    return send_reminders(plan_year=plan_year, period=period, site_url=site_url)
