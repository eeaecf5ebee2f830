"""未报送: what each department owes and has not reported, the reminder e-mails, and
the beat task that sends them on the due day."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from org.models import Role
from reporting.tasks import send_due_reminders
from targets.models import EntryState
from tests import factories as f
from tests.reporting.conftest import JUNE
from zhongyuan.celery import app


def missing_page(world, query=""):
    return world.client("reviewer").get(reverse("reporting:missing") + query)


def rows_of(response) -> dict[str, tuple]:
    return {
        row.department.code: (
            row.kinds["target"].due,
            [item.subject.code for item in row.kinds["target"].missing],
            row.kinds["project"].due,
            len(row.kinds["project"].missing),
            row.recipients,
        )
        for row in response.context["rows"]
    }


def test_missing_defaults_to_the_latest_month_past_its_due_date(world):
    response = missing_page(world)  # today 2025-07-20: June, due July 5
    assert (response.context["period"], response.context["due_on"]) == (JUNE, date(2025, 7, 5))
    assert response.context["not_yet_due"] is False


def test_missing_counts_per_department(world):
    f.entry(world.cumulative, JUNE, value=D(1))
    f.entry(world.level, JUNE, value=D(1), state=EntryState.APPROVED)
    f.entry(world.ceiling, JUNE, value=D(1), state=EntryState.DRAFT)  # not reported yet
    f.entry(world.milestone, JUNE, percent=D(5), state=EntryState.RETURNED, return_reason="补")
    f.progress(world.foreign_project, JUNE, investment=D(1))
    response = missing_page(world, "?month=2025-06")
    assert rows_of(response) == {
        "own": (5, ["1.3", "1.4", "8.3"], 1, 1, 2),
        "other": (1, ["8.2"], 1, 0, 0),
    }
    assert response.context["missing_total"] == 5


@pytest.mark.parametrize("extra", [0, 8])
def test_missing_query_count_is_fixed(world, django_assert_num_queries, extra):
    programme = world.cumulative.programme
    for n in range(extra):
        department = f.department(f"x{n}")
        f.user(f"staff-x{n}", Role.STAFF, department, email=f"x{n}@example.org")
        target = f.target(programme, code=f"8.{70 + n}", lead_department=department)
        f.entry(target, JUNE, value=D(1))
        for _ in range(3):
            project = f.project(world.year, programme, lead_department=department)
            f.progress(project, JUNE, investment=D(1))
    client = world.client("reviewer")
    # session, user, profile, plan year (today's, then June's); departments; targets
    # and their entries up to the month; projects, their reports of the month and
    # each one's latest approved stage; reminder recipients per department; the demo
    # banner.
    # + the supervision kinds (督办单 and 批示 answers): subjects and reports, two each
    with django_assert_num_queries(17):
        response = client.get(reverse("reporting:missing"))
    assert len(response.context["rows"]) == 2 + extra


def test_remind_one_department_emails_its_address_and_staff(world):
    f.entry(world.cumulative, JUNE, value=D(1))
    response = world.client("reviewer").post(
        reverse("reporting:remind"), {"month": "2025-06", "department": "own"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:missing") + "?month=2025-06"
    [message] = mail.outbox
    assert message.to == ["own@example.org", "staff@example.org"]
    assert message.subject == "【催报提醒】区自有局2025年6月目标任务进展尚未报送"
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert "尚有 5 项未报送（报送截止日期为2025年7月5日）" in message.body
    assert "  - 1.2 测试指标" in message.body
    assert "  - 8.1 测试指标" not in message.body  # reported
    assert "  - P-OWN 测试项目" in message.body


def test_remind_all_reports_departments_without_an_address(world):
    response = world.client("admin").post(reverse("reporting:remind"), {"month": "2025-06"})
    assert [m.to for m in mail.outbox] == [["own@example.org", "staff@example.org"]]
    notes = [str(m) for m in response.wsgi_request._messages]
    assert notes == [
        "已向自有局发送催报提醒（共 1 封邮件）。",
        "其他局未设置联系邮箱，也没有登记邮箱的填报员，未能发送提醒。",
    ]


def test_remind_a_department_that_reported_everything_sends_nothing(world):
    for target in (world.cumulative, world.level, world.ceiling):
        f.entry(target, JUNE, value=D(1))
    f.entry(world.milestone, JUNE, percent=D(10))
    f.entry(world.assessed, JUNE, assessment="on_track")
    f.progress(world.project, JUNE, investment=D(1))
    response = world.client("reviewer").post(
        reverse("reporting:remind"), {"month": "2025-06", "department": "own"}
    )
    assert mail.outbox == []
    assert [str(m) for m in response.wsgi_request._messages] == [
        "所选单位本月没有未报送的内容，无需提醒。"
    ]


def test_due_reminder_task_is_scheduled_under_its_name():
    assert (
        settings.CELERY_BEAT_SCHEDULE["send-due-day-reminders"]["task"] == send_due_reminders.name
    )
    assert send_due_reminders.name == "reporting.send_due_reminders"
    assert app.tasks["reporting.send_due_reminders"].name == send_due_reminders.name  # registered


def test_due_reminder_task_sends_on_the_due_day_only(world, settings):
    settings.SITE_TODAY = date(2025, 7, 6)
    assert send_due_reminders.delay().get() == 0
    assert mail.outbox == []
    settings.SITE_TODAY = date(2025, 7, 5)  # June's report is due today
    settings.SITE_URL = "https://mubiao.zhongyuan.example"
    assert send_due_reminders.delay().get() == 1
    [message] = mail.outbox
    assert "（https://mubiao.zhongyuan.example）" in message.body
    assert message.subject == "【催报提醒】区自有局2025年6月目标任务进展尚未报送"


def test_a_finished_project_owes_no_more_reports(world):
    from reporting import queries

    def missing_projects() -> int:
        rows = queries.missing_by_department(plan_year=world.year, period=JUNE)
        return len(next(r for r in rows if r.department == world.own).kinds["project"].missing)

    before = missing_projects()
    world.project.stage = "completed"
    world.project.save()
    assert missing_projects() == before - 1
