"""及时性: per department, how its owed monthly reports came in, for a month and for
the plan year up to it (the table a 督查室 ranks departments by).

What is owed is each kind's rule, asked through its adapter (targets/owed.py,
projects/owed.py); how a report came in is workflow/timeliness.py, on the day it was
first submitted. A fixed number of queries however many departments and reports:
one for the departments, then two per kind (its subjects, its reports of the year up
to the month).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from org.models import Department
from targets.models import PlanYear
from targets.periods import months_between, report_due_date
from workflow import timeliness
from workflow.registry import ReportAdapter, registry
from workflow.states import COUNTED_STATES


@dataclass
class Tally:
    """应报 / 按时 / 迟报 / 漏报 / 未到期 / 退回次数 of one department over some months."""

    department: Department
    owed: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    pending: int = 0
    returns: int = 0
    days_late: int = 0  # the 迟报 reports' days late, added up

    @property
    def rate(self) -> Decimal | None:
        """按时率 (None while nothing is judged)."""
        return timeliness.on_time_rate(on_time=self.on_time, late=self.late, missing=self.missing)

    def add(self, verdict: timeliness.Timeliness) -> None:
        self.owed += 1
        if verdict.code == timeliness.ON_TIME:
            self.on_time += 1
        elif verdict.code == timeliness.LATE:
            self.late += 1
            self.days_late += verdict.days_late
        elif verdict.code == timeliness.MISSING:
            self.missing += 1
        else:
            self.pending += 1


@dataclass
class TimelinessTables:
    period: date
    due_on: date
    month: list[Tally] = field(default_factory=list)
    year: list[Tally] = field(default_factory=list)


def _reports(adapter: ReportAdapter, plan_year: PlanYear, period: date) -> dict[int, list]:
    """The year's reports up to the month, as light rows grouped by subject: what the
    owed rule reads, and the first submission and the returns."""
    subject_id = f"{adapter.subject_field}_id"
    grouped: dict[int, list] = defaultdict(list)
    columns = ("period", "state", "first_submitted_at", "return_count", *adapter.owed_fields)
    for row in adapter.year_reports(plan_year, up_to=period).values(subject_id, *columns):
        grouped[row.pop(subject_id)].append(
            SimpleNamespace(**row, counts=row["state"] in COUNTED_STATES)
        )
    return grouped


def _first_day(report) -> date | None:
    if report is None or report.first_submitted_at is None:
        return None
    return timezone.localdate(report.first_submitted_at)


def timeliness_by_department(*, plan_year: PlanYear, period: date, today: date) -> TimelinessTables:
    """Per department that owes anything in the year up to ``period``: its tally for
    the month and for the year to date, departments in their usual order."""
    due_day = plan_year.report_due_day
    months = months_between(plan_year.starts_on, period)
    due = {m: report_due_date(m, due_day) for m in months}
    # 1. departments
    departments = list(Department.objects.all())
    month = {d.pk: Tally(d) for d in departments}
    year = {d.pk: Tally(d) for d in departments}
    for adapter in registry:
        # 2. its subjects, 3. their reports of the year up to the month
        subjects = adapter.owed_subjects(plan_year)
        reports = _reports(adapter, plan_year, period)
        for subject in subjects:
            mine = reports[subject.pk]
            department_id = adapter.department_id(subject)
            if department_id not in year:
                continue  # a subject with no lead department is nobody's to rank
            by_month = {r.period: r for r in mine}
            for m in months:
                report = by_month.get(m)
                if report is not None:
                    year[department_id].returns += report.return_count
                    if m == period:
                        month[department_id].returns += report.return_count
                if not adapter.owes(subject, m, mine):
                    continue
                verdict = timeliness.classify(
                    first_submitted_on=_first_day(report), due_on=due[m], today=today
                )
                year[department_id].add(verdict)
                if m == period:
                    month[department_id].add(verdict)
    return TimelinessTables(
        period=period,
        due_on=due[period],
        month=[month[d.pk] for d in departments if year[d.pk].owed],
        year=[year[d.pk] for d in departments if year[d.pk].owed],
    )
