"""未报送: what each department owes and has not reported, the reminder e-mails, and
the beat task that sends them on the due day."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from org.models import OutboundEvent, OutboundMessage, OutboundStatus, Role
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
    # each one's latest approved stage; reminder recipients per department; the
    # month's reminders from the outbound log (one query, however many departments);
    # the demo banner; the header's unread notices.
    # each one's latest approved stage; reminder recipients per department; the demo
    # banner.
    # + the supervision kinds（督办单 and 批示 answers）：subjects and reports, two each
    with django_assert_num_queries(19):
        response = client.get(reverse("reporting:missing"))
    assert len(response.context["rows"]) == 2 + extra


def remind(world, who: str, data: dict, capture):
    with capture(execute=True):  # the e-mails go out once the reminder commits
        return world.client(who).post(reverse("reporting:remind"), data)


def test_remind_one_department_emails_its_address_and_staff(
    world, django_capture_on_commit_callbacks
):
    f.entry(world.cumulative, JUNE, value=D(1))
    response = remind(
        world,
        "reviewer",
        {"month": "2025-06", "department": "own"},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:missing") + "?month=2025-06"
    # one e-mail per address (the outbound log's row each), the same text
    assert sorted(m.to[0] for m in mail.outbox) == ["own@example.org", "staff@example.org"]
    assert all(len(m.to) == 1 for m in mail.outbox)
    [message] = {(m.subject, m.from_email, m.body) for m in mail.outbox}
    subject, from_email, body = message
    assert subject == "【催报提醒】区自有局2025年6月目标任务进展尚未报送"
    assert from_email == settings.DEFAULT_FROM_EMAIL
    assert "尚有 5 项未报送（报送截止日期为2025年7月5日）" in body
    assert "  - 1.2 测试指标" in body
    assert "  - 8.1 测试指标" not in body  # reported
    assert "  - P-OWN 测试项目" in body


def test_remind_all_reports_departments_without_an_address(
    world, django_capture_on_commit_callbacks
):
    response = remind(world, "admin", {"month": "2025-06"}, django_capture_on_commit_callbacks)
    assert sorted(m.to for m in mail.outbox) == [["own@example.org"], ["staff@example.org"]]
    notes = [str(m) for m in response.wsgi_request._messages]
    # 其他局's clerk has no address: the in-app notice reaches them, no e-mail
    assert notes == [
        "已向其他局、自有局发送催报提醒（站内通知 2 条，邮件 2 封）。",
        "其他局未设置联系邮箱，也没有登记邮箱的填报员，未能发送邮件提醒。",
    ]


def outbound_rows(department) -> list[tuple]:
    return sorted(
        (m.channel, m.recipient.username if m.recipient else m.address, m.actor_id)
        for m in OutboundMessage.objects.filter(
            event=OutboundEvent.REMINDER, department=department
        ).select_related("recipient")
    )


def test_a_reminder_by_hand_is_in_the_outbound_log_with_who_sent_it(
    world, django_capture_on_commit_callbacks
):
    reviewer = world.users["reviewer"]
    remind(
        world,
        "reviewer",
        {"month": "2025-06", "department": "own"},
        django_capture_on_commit_callbacks,
    )
    assert outbound_rows(world.own) == [
        ("email", "own@example.org", reviewer.pk),
        ("email", "staff-own", reviewer.pk),
        ("inapp", "staff-own", reviewer.pk),
    ]
    assert outbound_rows(world.other) == []  # only the department asked for
    assert OutboundMessage.objects.filter(status=OutboundStatus.SENT).count() == 3
    # the clerk sees it in the header and the page logs it: who, when, to whom
    header = world.client("own_staff").get(reverse("targets:overview"))
    assert "【催报提醒】区自有局2025年6月" in header.content.decode()
    page = missing_page(world, "?month=2025-06")
    [own] = [row for row in page.context["rows"] if row.department == world.own]
    [act] = own.reminders
    assert (act.actor, act.by_hand, act.notified) == (reviewer, True, ["staff-own"])
    assert sorted(act.mailed) == [("own@example.org", "已发送"), ("staff@example.org", "已发送")]
    log = page.content.decode()
    assert "reviewer催报：站内通知 staff-own；邮件 " in log


def test_the_beat_task_s_reminder_is_logged_without_an_actor(
    world, settings, django_capture_on_commit_callbacks
):
    settings.SITE_TODAY = date(2025, 7, 5)
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders.delay().get()
    assert outbound_rows(world.own) == [
        ("email", "own@example.org", None),
        ("email", "staff-own", None),
        ("inapp", "staff-own", None),
    ]
    assert outbound_rows(world.other) == [("inapp", "staff-other", None)]
    page = missing_page(world, "?month=2025-06")
    rows = {row.department.code: row.reminders for row in page.context["rows"]}
    assert [act.by_hand for act in rows["own"]] == [False]
    assert "系统自动催报" in page.content.decode()


def test_missing_page_lists_the_missing_projects_by_name_per_department(world):
    world.project.name = "中原智造产业园"
    world.project.save()
    world.foreign_project.name = "西区安置房"
    world.foreign_project.save()
    page = missing_page(world, "?month=2025-06")
    rows = {row.department.code: row for row in page.context["rows"]}
    assert [str(m.subject) for m in rows["own"].kinds["project"].missing] == [
        "P-OWN 中原智造产业园"
    ]
    assert [str(m.subject) for m in rows["other"].kinds["project"].missing] == [
        "P-OTHER 西区安置房"
    ]
    html = page.content.decode()
    own_cell = html.split('data-department="own"')[1].split("</tr>")[0]
    other_cell = html.split('data-department="other"')[1].split("</tr>")[0]
    assert "P-OWN 中原智造产业园" in own_cell and "西区安置房" not in own_cell
    assert "P-OTHER 西区安置房" in other_cell
    assert "发送催报" in own_cell


def test_only_reviewers_send_reminders(world):
    for who in ("own_staff", "leader"):
        response = world.client(who).post(
            reverse("reporting:remind"), {"month": "2025-06", "department": "own"}
        )
        assert response.status_code == 403
    assert not OutboundMessage.objects.exists()


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


def test_due_reminder_task_sends_on_the_due_day_only(
    world, settings, django_capture_on_commit_callbacks
):
    settings.SITE_TODAY = date(2025, 7, 6)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders.delay().get() == 0
    assert mail.outbox == []
    settings.SITE_TODAY = date(2025, 7, 5)  # June's report is due today
    settings.SITE_URL = "https://mubiao.zhongyuan.example"
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders.delay().get() == 2  # e-mails: own's address, its clerk
    [(subject, body)] = {(m.subject, m.body) for m in mail.outbox}
    assert "（https://mubiao.zhongyuan.example）" in body
    assert subject == "【催报提醒】区自有局2025年6月目标任务进展尚未报送"


def test_a_finished_project_owes_no_more_reports(world):
    from reporting import queries

    def missing_projects() -> int:
        rows = queries.missing_by_department(plan_year=world.year, period=JUNE)
        return len(next(r for r in rows if r.department == world.own).kinds["project"].missing)

    before = missing_projects()
    world.project.stage = "completed"
    world.project.save()
    assert missing_projects() == before - 1
