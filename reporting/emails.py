"""The reminder (催报提醒) for a department with reports due and missing: its text,
and who receives it. It goes out through the one outbound log (org.outbound), as an
in-app notice to the department's clerks and an e-mail to them and to the
department's own address."""

from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from django.urls import reverse

from reporting.queries import DepartmentMissing
from targets.models import PlanYear
from targets.periods import format_period, report_due_date


def reminder_link(period: date) -> str:
    """Where a reminder sends its reader: their month page for the month owed. The
    missing page finds a month's reminders by it."""
    return f"{reverse('reporting:my_month')}?month={format_period(period)}"


@dataclass(frozen=True)
class Reminder:
    subject: str
    body: str
    link: str


def reminder(
    *, row: DepartmentMissing, plan_year: PlanYear, period: date, site_url: str = ""
) -> Reminder:
    due_on = report_due_date(period, plan_year.report_due_day)
    context = {
        "row": row,
        "department": row.department,
        "period": period,
        "due_on": due_on,
        "site_url": site_url,
    }
    subject = (
        f"【催报提醒】{row.department.name}{period.year}年{period.month}月目标任务进展尚未报送"
    )
    body = render_to_string("reporting/email/reminder.txt", context)
    return Reminder(subject, body, reminder_link(period))
