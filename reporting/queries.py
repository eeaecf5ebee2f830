"""Page reads for the reporting pages, for every kind of report: each loops over the
adapters (workflow.registry) and runs a fixed number of queries per kind, however
many targets and projects a department leads (pinned by query-count tests).

Which reports are owed for a month is each kind's pure rule (targets/owed.py,
projects/owed.py), asked through its adapter on rows loaded here. A report counts
once it is submitted or approved; drafts and returned ones do not.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.http import QueryDict
from django.utils import timezone

from org.glossary import display_name
from org.models import (
    Department,
    OutboundChannel,
    OutboundEvent,
    OutboundMessage,
    Profile,
    Role,
)
from reporting.filters import filter_params, page_link, page_parameter, queue_filter
from targets.models import PlanYear
from targets.owed import is_due
from targets.periods import add_months, months_between, report_due_date
from workflow import timeliness
from workflow.models import WorkflowEntry
from workflow.registry import Cells, ReportAdapter, registry
from workflow.states import EntryState

# Returned first (someone must act on the reviewer's reason), then what is still to
# do, then what waits for the reviewer, then what is done.
STATE_ORDER = {EntryState.RETURNED: 0, None: 1, EntryState.DRAFT: 2, EntryState.SUBMITTED: 3}
DONE_ORDER = 4


def _state_order(state: str | None) -> int:
    return STATE_ORDER.get(state, DONE_ORDER)


def _by_subject(adapter: ReportAdapter, reports: Iterable[WorkflowEntry]) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for report in reports:
        grouped[adapter.subject_of_id(report)].append(report)
    return grouped


def _at(reports: list, period: date) -> WorkflowEntry | None:
    return next((r for r in reports if r.period == period), None)


def _reported(reports: list, period: date) -> bool:
    return any(r.period == period and r.counts for r in reports)


# --- 填报: a department's month ------------------------------------------------------


@dataclass
class MonthRow:
    """One report of the month: what it is on, this month's and last month's report,
    whether one is owed, and a word when it is more than missing (逾期未完成)."""

    kind: str
    subject: Any
    entry: WorkflowEntry | None
    previous: WorkflowEntry | None
    owes: bool
    note: str = ""
    url: str = ""
    cells: Cells | None = None

    @property
    def state(self) -> str | None:
        return self.entry.state if self.entry else None

    @property
    def return_reason(self) -> str:
        """The reviewer's reason, while the report stays returned."""
        return self.entry.return_reason if self.state == EntryState.RETURNED else ""

    @property
    def action(self) -> str:
        """The row's button: 查看 what is in, 修改 what came back, 填报 the rest."""
        if self.state in (EntryState.SUBMITTED, EntryState.APPROVED):
            return "查看"
        return "修改" if self.state == EntryState.RETURNED else "填报"

    @property
    def pressing(self) -> bool:
        """Waiting on the department: returned, a draft, or owed and not started."""
        return self.state in (EntryState.RETURNED, EntryState.DRAFT) or (
            self.state is None and self.owes
        )

    @property
    def shows_state(self) -> bool:
        """Rows that owe nothing and have no report read 无需填报, not 未填."""
        return self.entry is not None or self.owes


@dataclass
class Tally:
    total: int = 0
    returned: int = 0
    todo: int = 0
    submitted: int = 0
    approved: int = 0


def _tally(rows: Iterable[MonthRow]) -> Tally:
    tally = Tally()
    for row in rows:
        tally.total += 1
        if row.state == EntryState.RETURNED:
            tally.returned += 1
        elif row.state == EntryState.SUBMITTED:
            tally.submitted += 1
        elif row.state == EntryState.APPROVED:
            tally.approved += 1
        elif row.owes:
            tally.todo += 1
    return tally


@dataclass
class MonthSection:
    """One kind's rows of the month (指标, 重点项目 …), in the adapters' order."""

    kind: str
    label: str
    heading: str
    rows: list[MonthRow]
    tally: Tally
    empty: str
    derived: list = field(default_factory=list)  # figures the system derives: no report


@dataclass
class Missing:
    """One report owed and not in."""

    kind: str
    subject: Any
    note: str = ""
    url: str = ""


def _missing(adapter: ReportAdapter, subject, period: date, reports: list) -> Missing:
    return Missing(
        adapter.kind,
        subject,
        adapter.owed_note(subject, period, reports),
        adapter.entry_url(subject.pk, period),
    )


@dataclass
class OverdueMonth:
    period: date
    due_on: date
    missing: list[Missing]


@dataclass
class Returned:
    """A report the reviewer sent back, of any month: the clerk's first job."""

    kind: str
    entry: WorkflowEntry
    subject: Any
    url: str

    @property
    def title(self) -> str:
        return str(self.subject)

    @property
    def reason(self) -> str:
        return self.entry.return_reason


@dataclass
class MonthPage:
    department: Department
    plan_year: PlanYear
    period: date
    due_on: date
    sections: list[MonthSection]
    overdue: list[OverdueMonth]
    # Every returned report of the department, whatever the month shown, oldest first.
    returned: list[Returned] = field(default_factory=list)

    @property
    def derived(self) -> list:
        return [row for section in self.sections for row in section.derived]

    def rows_of(self, kind: str) -> list[MonthRow]:
        return next((s.rows for s in self.sections if s.kind == kind), [])

    @property
    def rows(self) -> list[MonthRow]:
        """Every report of the month, section by section (the workbook's order)."""
        return [row for section in self.sections for row in section.rows]


def month_page(
    *, department: Department, plan_year: PlanYear, period: date, today: date
) -> MonthPage:
    """Everything the 填报 page shows for one department and month: per kind, its
    subjects, their reports of the year as the owed rule reads them (light rows),
    this month's and last month's reports in full, with every returned report of
    any month (in the same query); and the kinds' automatic rows (the derived
    targets' latest snapshots)."""
    previous_period = add_months(period, -1)
    sections, returned = [], []
    earlier = [
        m
        for m in months_between(plan_year.starts_on, min(period, plan_year.ends_on))
        if m != period and is_due(period=m, today=today, due_day=plan_year.report_due_day)
    ]
    missing_by_month: dict[date, list[Missing]] = defaultdict(list)
    for adapter in registry:
        subjects = list(
            adapter.month_subjects(department=department, plan_year=plan_year, period=period)
        )
        year = adapter.year_reports(plan_year, up_to=period, department=department)
        facts = adapter.report_facts(year)
        loaded = list(
            adapter.entries()
            .filter(**{f"{adapter.subject_field}__{adapter.department_path}": department})
            .filter(
                Q(
                    **{f"{adapter.subject_field}__{adapter.plan_year_path}": plan_year},
                    period__in=[period, previous_period],
                )
                | Q(state=EntryState.RETURNED)
            )
            .select_related("reviewed_by", adapter.subject_field)
            .order_by("period")
        )
        shown = _by_subject(adapter, loaded)
        returned += [
            Returned(
                adapter.kind,
                entry,
                adapter.subject_of(entry),
                adapter.entry_url(adapter.subject_of_id(entry), entry.period),
            )
            for entry in loaded
            if entry.state == EntryState.RETURNED
        ]
        rows = []
        for subject in subjects:
            mine = facts[subject.pk]
            for month in earlier:
                if adapter.owes(subject, month, mine) and not _reported(mine, month):
                    missing_by_month[month].append(_missing(adapter, subject, month, mine))
            if adapter.read_only_reason(subject):
                continue
            entry = _at(shown[subject.pk], period)
            previous = _at(shown[subject.pk], previous_period)
            rows.append(
                MonthRow(
                    kind=adapter.kind,
                    subject=subject,
                    entry=entry,
                    previous=previous,
                    owes=adapter.owes(subject, period, mine),
                    note=adapter.owed_note(subject, period, mine),
                    url=adapter.entry_url(subject.pk, period),
                    cells=adapter.cells(subject, entry, previous),
                )
            )
        rows.sort(key=lambda row: (_state_order(row.state), *adapter.sort_key(row.subject)))
        sections.append(
            MonthSection(
                adapter.kind,
                adapter.label,
                adapter.month_heading,
                rows,
                _tally(rows),
                f"本单位没有需要按月填报的{adapter.label}。",
                adapter.derived_rows(subjects, period),
            )
        )
    due_day = plan_year.report_due_day
    return MonthPage(
        department=department,
        plan_year=plan_year,
        period=period,
        due_on=report_due_date(period, due_day),
        sections=sections,
        overdue=[
            OverdueMonth(month, report_due_date(month, due_day), missing_by_month[month])
            for month in earlier
            if missing_by_month[month]
        ],
        returned=sorted(returned, key=lambda r: r.entry.period),
    )


# --- 未报送: missing reports by department -----------------------------------------


@dataclass
class KindMissing:
    label: str
    due: int = 0
    missing: list[Missing] = field(default_factory=list)


@dataclass
class DepartmentMissing:
    department: Department
    kinds: dict[str, KindMissing]
    recipients: int = 0
    # The reminders sent about the month, newest first (the page fills them in).
    reminders: list = field(default_factory=list)

    @property
    def missing(self) -> int:
        return sum(len(k.missing) for k in self.kinds.values())

    @property
    def due(self) -> int:
        return sum(k.due for k in self.kinds.values())


def missing_by_department(*, plan_year: PlanYear, period: date) -> list[DepartmentMissing]:
    """Per department: reports owed for ``period`` and which are missing. Two
    queries, then two per kind (its subjects, its reports up to the month) and one
    for the reminders' recipients. Departments that owe nothing are left out."""
    # 1. departments
    rows = {
        d.pk: DepartmentMissing(d, {a.kind: KindMissing(a.label) for a in registry})
        for d in Department.objects.all()
    }
    for adapter in registry:
        # 2. its subjects, 3. their reports up to the month (what is owed reads them)
        subjects = adapter.owed_subjects(plan_year)
        reports = adapter.owed_facts(plan_year, period)
        for subject in subjects:
            mine = reports[subject.pk]
            if not adapter.owes(subject, period, mine):
                continue
            row = rows[adapter.department_id(subject)].kinds[adapter.kind]
            row.due += 1
            if not _reported(mine, period):
                row.missing.append(_missing(adapter, subject, period, mine))
    # who would receive a reminder (active staff with an e-mail address)
    recipients = dict(
        Profile.objects.filter(role=Role.STAFF, user__is_active=True)
        .exclude(user__email="")
        .values_list("department")
        .annotate(n=Count("id"))
        .order_by()
    )
    result = []
    for department_id, row in rows.items():
        row.recipients = recipients.get(department_id, 0) + (1 if row.department.email else 0)
        if row.due:
            result.append(row)
    return result


# --- 审核: the review queue -----------------------------------------------------------


@dataclass
class ReviewRow:
    kind: str
    entry: WorkflowEntry
    subject: Any
    previous: WorkflowEntry | None
    cells: Cells
    url: str
    review_url: str
    late: str = ""  # 迟报 N 天, when its first submission was late


def _late_label(entry: WorkflowEntry, plan_year: PlanYear | None, today: date | None) -> str:
    if plan_year is None or today is None or entry.first_submitted_at is None:
        return ""
    verdict = timeliness.classify(
        first_submitted_on=timezone.localdate(entry.first_submitted_at),
        due_on=report_due_date(entry.period, plan_year.report_due_day),
        today=today,
    )
    return verdict.label if verdict.code == timeliness.LATE else ""


def review_rows(
    adapter: ReportAdapter,
    entries: Iterable[WorkflowEntry],
    *,
    plan_year: PlanYear | None = None,
    today: date | None = None,
) -> list[ReviewRow]:
    """Submitted reports of one kind (a page of them), each beside the report before
    it and marked 迟报 when first submitted late (with the plan year's due day): one
    query (none when there are no entries)."""
    entries = list(entries)
    previous = adapter.previous_reports(entries) if entries else {}
    rows = []
    for entry in entries:
        subject = adapter.subject_of(entry)
        before = previous.get(entry.pk)
        rows.append(
            ReviewRow(
                kind=adapter.kind,
                entry=entry,
                subject=subject,
                previous=before,
                cells=adapter.cells(subject, entry, before),
                url=adapter.entry_url(subject.pk, entry.period),
                review_url=adapter.review_url(entry),
                late=_late_label(entry, plan_year, today),
            )
        )
    return rows


@dataclass
class ReviewSection:
    """One kind's section of the review queue: a page of its submitted reports after
    the filters, with the count of them all （共 N 条） and its own pager's links."""

    kind: str
    label: str
    rows: list[ReviewRow]
    page: Page
    params: QueryDict = field(repr=False)  # the request's, for the pager's links

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @property
    def previous_link(self) -> str:
        if not self.page.has_previous():
            return ""
        return page_link(self.params, self.kind, self.page.previous_page_number())

    @property
    def next_link(self) -> str:
        if not self.page.has_next():
            return ""
        return page_link(self.params, self.kind, self.page.next_page_number())


def review_queue(
    params: QueryDict, *, plan_year: PlanYear | None, today: date
) -> tuple[Any, list[ReviewSection]]:
    """The review queue: the filter form and, per kind, one page of its submitted
    reports. The filters（单位、工程、月份，异常、迟报、滞后）apply before the
    paging, so the count and the pages are of the filtered reports; each kind pages
    on its own parameter (``page_<kind>``, filters.page_parameter), at its
    ``review_page_size``. Per kind three queries whatever the number of reports (the
    count, the page, the page's previous reports), only the count when none match."""
    filters = filter_params(params)
    form, sections = None, []
    for adapter in registry:
        found = queue_filter(adapter, filters or None, plan_year=plan_year, today=today)
        form = form or found.form
        queryset = found.qs
        # The pk breaks ties, so a row never shows on two pages or on none.
        queryset = queryset.order_by(*queryset.query.order_by, "pk")
        page = Paginator(queryset, adapter.review_page_size).get_page(
            params.get(page_parameter(adapter.kind))
        )
        sections.append(
            ReviewSection(
                adapter.kind,
                adapter.month_heading,
                review_rows(adapter, page.object_list, plan_year=plan_year, today=today),
                page,
                params,
            )
        )
    return form, sections


# --- 催报记录：the reminders sent about a month --------------------------------------


@dataclass
class ReminderAct:
    """One reminder to one department: who asked (None: the beat task), when, and
    what went to whom (the outbound log's rows of one notify call)."""

    department_id: int | None
    actor: Any
    at: Any  # the first row's created_at
    subject: str
    notified: list[str] = field(default_factory=list)  # in-app recipients' names
    mailed: list[tuple[str, str]] = field(default_factory=list)  # (address, result)

    @property
    def by_hand(self) -> bool:
        return self.actor is not None


# Rows of one reminder are written together; a later one is another reminder.
REMINDER_GAP_SECONDS = 60


def group_reminders(rows: Iterable) -> list[ReminderAct]:
    """The outbound log's reminder rows (oldest first, each with department_id,
    actor_id, actor, subject, created_at, channel, recipient, address and status)
    grouped into reminders, newest first. Pure: no queries."""
    acts: list[ReminderAct] = []
    open_acts: dict[tuple, ReminderAct] = {}
    for row in rows:
        key = (row.department_id, row.actor_id, row.subject)
        act = open_acts.get(key)
        if act is None or (row.created_at - act.at).total_seconds() > REMINDER_GAP_SECONDS:
            act = ReminderAct(row.department_id, row.actor, row.created_at, row.subject)
            open_acts[key] = act
            acts.append(act)
        if row.channel == OutboundChannel.INAPP:
            act.notified.append(display_name(row.recipient))
        else:
            act.mailed.append((row.address, row.get_status_display()))
    return sorted(acts, key=lambda act: act.at, reverse=True)


def reminder_log(*, link: str, department_ids: list[int], per_department: int = 5) -> dict:
    """The reminders about one month (found by the link they carry), per department,
    newest first, at most ``per_department`` each: one query."""
    rows = (
        OutboundMessage.objects.filter(
            event=OutboundEvent.REMINDER, link=link, department__in=department_ids
        )
        .select_related("actor", "recipient")
        .order_by("created_at", "pk")
    )
    log: dict[int, list[ReminderAct]] = defaultdict(list)
    for act in group_reminders(rows):
        if len(log[act.department_id]) < per_department:
            log[act.department_id].append(act)
    return log
