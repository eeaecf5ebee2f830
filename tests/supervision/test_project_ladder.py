"""The escalation ladder for key projects: a project's closed months（its report
against the annual plan × 序时，or 未报送）climb the same ladder as a target's, with
the same steps, notices and drafted 督办单；a closed month stays as it closed; the
project page shows the card; the run reads projects in a fixed number of queries.

Figures worked by hand: annual plan 12（亿元），tolerance 10 points, so 序时 is
1/12 = 8.33% at January's end, 2/12 = 16.67% at February's, 25% at March's, 33.33% at
April's, 41.67% at May's; a project more than 10 points short is 严重滞后。"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from org.models import OutboundEvent, OutboundMessage, Role
from projects.models import KeyProject
from supervision import closing, escalation
from supervision.ladder import LISTED, NONE, RED, YELLOW
from supervision.models import (
    DepartmentLeader,
    EscalationStep,
    OrderColour,
    OrderState,
    SupervisionOrder,
)
from targets.models import ClosedMonth, PlanYear
from tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = date(2025, 7, 20)


def month(n: int, year: int = 2025) -> date:
    return date(year, n, 1)


@dataclass
class Setting:
    year: PlanYear
    project: KeyProject
    clerk: User
    reviewer: User

    def close(self, *months: int) -> list[EscalationStep]:
        """Close the months in order and run the ladder for each (as the worker
        would once the closing commits)."""
        steps = []
        for n in months:
            period = month(n, self.year.year)
            closing.close_month(plan_year=self.year, period=period, user=self.reviewer, today=TODAY)
            steps += escalation.run_escalation(plan_year=self.year, period=period)
        return steps

    def steps(self) -> list[tuple[date, int, int, str]]:
        return list(
            EscalationStep.objects.filter(project=self.project)
            .order_by("period")
            .values_list("period", "previous_level", "level", "status")
        )


def build(year: int = 2025, *, extra: int = 0, suffix: str = "") -> Setting:
    """A plan year with one project (plan 12, under construction) that reports
    nothing unless a test says so, and ``extra`` projects reporting January on
    序时（1 of 12）in the same department."""
    plan_year = f.plan_year(year)
    programme = f.programme(plan_year, 3)
    department = f.department(name=f"区住建局{suffix}", short_name=f"住建局{suffix}")
    project = f.project(
        plan_year,
        programme,
        code="P-1",
        name="中原新城安置房",
        annual_plan=D(12),
        lead_department=department,
    )
    for n in range(extra):
        other = f.project(
            plan_year, programme, code=f"P-X{n}", annual_plan=D(12), lead_department=department
        )
        f.progress(other, month(1, year), investment=D(1))
    return Setting(
        year=plan_year,
        project=project,
        clerk=f.user(f"clerk{suffix}", Role.STAFF, department),
        reviewer=f.user(f"reviewer{suffix}", Role.REVIEWER),
    )


@pytest.fixture
def setting(settings) -> Setting:
    settings.SITE_TODAY = TODAY
    return build()


def test_one_two_three_months_behind_climb_and_a_good_month_steps_down(setting):
    project = setting.project
    leader = f.user("leader-zjj", Role.LEADER)
    f.user("leader-other", Role.LEADER)  # not the overseer: told nothing
    DepartmentLeader.objects.create(department=project.lead_department, leader=leader)
    # January 1 of 12 = 8.33%: on 序时. February: no report（未报送 counts as behind）.
    # March 0: 1 of 12 = 8.33% against 25%, 16.67 points short. April 0: 8.33% against
    # 33.33%. May 5: 6 of 12 = 50% against 41.67%, ahead.
    f.progress(project, month(1), investment=D(1))
    f.progress(project, month(3), investment=D(0))
    f.progress(project, month(4), investment=D(0))
    f.progress(project, month(5), investment=D(5))
    setting.close(1, 2, 3, 4, 5)
    assert setting.steps() == [
        (month(2), NONE, YELLOW, "not_reported"),
        (month(3), YELLOW, RED, "behind"),
        (month(4), RED, LISTED, "behind"),
        (month(5), LISTED, RED, "on_track"),
    ]
    yellow, red, listed, down = EscalationStep.objects.filter(project=project).order_by("period")
    # 黄牌：the department's clerks；红牌 and 列入通报：they and the 分管区领导.
    assert set(yellow.notified.all()) == {setting.clerk}
    assert set(red.notified.all()) == {setting.clerk, leader}
    assert set(listed.notified.all()) == {setting.clerk, leader}
    assert not down.notified.exists() and down.notified_at is None
    notice = OutboundMessage.objects.filter(
        event=OutboundEvent.ESCALATION, recipient=leader
    ).first()
    assert notice is not None
    # The red card drafts one 督办单 on the project (not again when listed).
    [order] = SupervisionOrder.objects.filter(project=project)
    assert (order.state, order.colour, order.deadline, order.lead_department) == (
        OrderState.DRAFT,
        OrderColour.RED,
        date(2025, 4, 30),
        project.lead_department,
    )
    assert "P-1" in order.requirement and "2025年3月" in order.requirement
    assert project in [s.project for s in escalation.red_steps(month(3), setting.year)]
    # Running a month again records nothing and tells nobody twice.
    count = OutboundMessage.objects.count()
    assert escalation.run_escalation(plan_year=setting.year, period=month(4)) == []
    assert OutboundMessage.objects.count() == count


def test_recovery_in_between_restarts_the_run(setting):
    project = setting.project
    # January missing：黄牌. February 2 of 12 = 16.67%: on 序时，the card goes.
    # March missing：黄牌 again, not 红牌（the run was broken）.
    f.progress(project, month(2), investment=D(2))
    setting.close(1, 2, 3)
    assert setting.steps() == [
        (month(1), NONE, YELLOW, "not_reported"),
        (month(2), YELLOW, NONE, "on_track"),
        (month(3), NONE, YELLOW, "not_reported"),
    ]
    assert not SupervisionOrder.objects.filter(project=project).exists()


def test_lagging_within_the_tolerance_does_not_climb(setting):
    project = setting.project
    # February 1 of 12 = 8.33% against 16.67%: 8.33 points short, within 10（进度滞后）.
    f.progress(project, month(1), investment=D(1))
    f.progress(project, month(2), investment=D(0))
    setting.close(1, 2)
    assert setting.steps() == []


def test_a_project_owing_nothing_is_not_behind_for_silence(setting):
    KeyProject.objects.filter(pk=setting.project.pk).update(stage="planning")
    setting.close(1, 2)
    assert setting.steps() == []


def test_a_report_entered_after_closing_does_not_change_the_closed_month(setting):
    project = setting.project
    setting.close(1)
    # January's report comes in after January closed, on 序时：January stays 未报送.
    f.progress(project, month(1), investment=D(1), first_submitted_at=timezone.now())
    f.progress(project, month(2), investment=D(1))
    assert escalation.closed_project_statuses(plan_year=setting.year, through=month(1)) == {
        project.pk: ["not_reported"]
    }
    setting.close(2)
    # February counts January's late 1: 2 of 12 = 16.67%, on 序时；the card steps down.
    assert setting.steps() == [
        (month(1), NONE, YELLOW, "not_reported"),
        (month(2), YELLOW, NONE, "on_track"),
    ]
    statuses = escalation.closed_project_statuses(plan_year=setting.year, through=month(2))
    assert statuses == {project.pk: ["not_reported", "on_track"]}


def test_a_report_returned_after_closing_does_not_change_the_closed_month(setting):
    # January's 1 of 12 was in at closing （on 序时）; returned afterwards, January
    # stays as it closed: closing kept its status, the reports are not read again.
    report = f.progress(setting.project, month(1), investment=D(1))
    setting.close(1)
    report.state, report.return_reason = "returned", "数字有误，请核实。"
    report.save()
    assert escalation.closed_project_statuses(plan_year=setting.year, through=month(1)) == {
        setting.project.pk: ["on_track"]
    }
    assert setting.steps() == []


def test_a_month_closed_without_a_record_reads_reports_in_by_its_close(setting):
    """Months closed before closing kept the projects' statuses: the reports first
    submitted by the month's close count, later ones do not."""
    project, other = (
        setting.project,
        f.project(
            setting.year,
            setting.project.programme,
            code="P-2",
            annual_plan=D(12),
            lead_department=setting.project.lead_department,
        ),
    )
    setting.close(1)
    row = ClosedMonth.objects.get(plan_year=setting.year, period=month(1))
    row.frozen.pop(escalation.PROJECT_STATUSES)
    row.save(update_fields=["frozen"])
    before = row.closed_at - timedelta(days=1)
    after = row.closed_at + timedelta(days=1)
    f.progress(project, month(1), investment=D(1), first_submitted_at=before)
    f.progress(other, month(1), investment=D(1), first_submitted_at=after)
    assert escalation.closed_project_statuses(plan_year=setting.year, through=month(1)) == {
        project.pk: ["on_track"],
        other.pk: ["not_reported"],
    }


def test_project_page_shows_the_card_and_its_history(setting):
    setting.close(1, 2)
    client = Client()
    f.login(client, f.user("leader-page", Role.LEADER))
    html = client.get(f"/projects/{setting.project.pk}/").content.decode()
    panel = html.split('data-testid="escalation-panel"')[1].split("</section>")[0]
    assert "红牌" in panel and "黄牌" in panel and "2025年1月" in panel and "2025年2月" in panel
    assert "未报送" in panel


def test_project_page_without_steps_shows_no_card(setting):
    client = Client()
    f.login(client, f.user("leader-page", Role.LEADER))
    html = client.get(f"/projects/{setting.project.pk}/").content.decode()
    assert 'data-testid="escalation-panel"' not in html


def _queries_of_run(setting: Setting) -> int:
    closing.close_month(
        plan_year=setting.year,
        period=month(1, setting.year.year),
        user=setting.reviewer,
        today=TODAY,
    )
    with CaptureQueriesContext(connection) as captured:
        steps = escalation.run_escalation(
            plan_year=setting.year, period=month(1, setting.year.year)
        )
    # One card each time（the silent project's 黄牌）: what grows with the projects
    # would be the reading, not the writing.
    assert [(s.project, s.level) for s in steps] == [(setting.project, YELLOW)]
    return len(captured)


def test_the_run_reads_projects_in_a_fixed_number_of_queries(settings):
    settings.SITE_TODAY = TODAY
    small = _queries_of_run(build(2024, extra=2, suffix="-s"))
    large = _queries_of_run(build(2025, extra=12, suffix="-l"))
    assert small == large


def test_closed_project_statuses_reads_in_a_fixed_number_of_queries(
    settings, django_assert_num_queries
):
    settings.SITE_TODAY = TODAY
    setting = build(extra=5)
    setting.close(1, 2)
    # Frozen at closing: the closed months' row only.
    with django_assert_num_queries(1):
        escalation.closed_project_statuses(plan_year=setting.year, through=month(2))
    ClosedMonth.objects.filter(plan_year=setting.year).update(frozen={})
    # No record: the months, the projects, their reports.
    with django_assert_num_queries(3):
        statuses = escalation.closed_project_statuses(plan_year=setting.year, through=month(2))
    assert len(statuses) == 6
