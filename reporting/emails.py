"""The reminder e-mail (催报提醒) for a department with reports due and missing."""

from datetime import date

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from org.models import Role
from reporting.queries import DepartmentMissing
from targets.models import PlanYear
from targets.periods import report_due_date


def recipients(row: DepartmentMissing) -> list[str]:
    """The department's own address and its active staff users' addresses."""
    addresses = [row.department.email] if row.department.email else []
    addresses += (
        User.objects.filter(
            is_active=True, profile__role=Role.STAFF, profile__department=row.department
        )
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
    )
    return list(dict.fromkeys(addresses))


def reminder_message(
    *,
    row: DepartmentMissing,
    plan_year: PlanYear,
    period: date,
    to: list[str],
    site_url: str = "",
) -> EmailMessage:
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
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to)
