"""及时性: per department, 应报 / 按时 / 迟报 / 漏报 / 退回次数 and 按时率 for a month
and for the year to date, figures computed by hand; sortable, exportable, in a fixed
number of queries.

The fixture (today 2025-04-20, due day 5; March is due April 5):

| dept | report   | Jan (due 2-05) | Feb (due 3-05)             | Mar (due 4-05)          |
|------|----------|----------------|----------------------------|-------------------------|
| east | target E1| 2-03 on time   | 3-08 3 days late, 2 returns| 4-05 23:30 on time      |
| east | target E2| 2-06 1 day late| none: missing              | a draft only: missing   |
| west | target W1| (starts March) | (starts March)             | 4-01 on time, 1 return  |
| west | project  | 2-05 on time   | 3-10 5 days late           | none: missing           |

east, year: owed 6, on time 2, late 2 (4 days), missing 2, returns 2, rate 2/6.
east, March: owed 2, on time 1, missing 1, returns 0, rate 1/2.
west, year: owed 4, on time 2, late 1 (5 days), missing 1, returns 1, rate 2/4.
west, March: owed 2, on time 1, missing 1, returns 1, rate 1/2.
"""

import csv
import io
from datetime import date, datetime
from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from org.models import Role
from reporting.timeliness import timeliness_by_department
from targets.exports import HEADER_ROW
from targets.models import EntryState
from tests import factories as f

TODAY = date(2025, 4, 20)
JAN, FEB, MAR = date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """A moment in the site's time zone (Asia/Shanghai)."""
    return timezone.make_aware(datetime(2025, month, day, hour, minute))


def submitted(first: datetime, **kwargs) -> dict:
    return {
        "state": EntryState.SUBMITTED,
        "submitted_at": first,
        "first_submitted_at": first,
        **kwargs,
    }


@pytest.fixture
def ranked(db, settings):
    settings.SITE_TODAY = TODAY
    year = f.plan_year()
    east = f.department("east", name="中原区东区局", short_name="东区局", sort_order=1)
    west = f.department("west", name="中原区西区局", short_name="西区局", sort_order=2)
    f.department("idle", name="无任务局", sort_order=3)  # owes nothing: not listed
    programme = f.programme(year, 8)
    e1 = f.target(programme, code="8.1", lead_department=east)
    e2 = f.target(programme, code="8.2", lead_department=east)
    w1 = f.target(programme, code="8.3", lead_department=west, starts_on=MAR)
    project = f.project(year, programme, code="P-W", lead_department=west)
    f.entry(e1, JAN, value=D(1), **submitted(at(2, 3)))
    f.entry(e1, FEB, value=D(2), **submitted(at(3, 8), return_count=2))
    # 23:30 in Zhengzhou on the due day is still the due day (15:30 UTC).
    f.entry(e1, MAR, value=D(3), **submitted(at(4, 5, 23, 30)))
    f.entry(e2, JAN, value=D(1), **submitted(at(2, 6)))
    f.entry(e2, MAR, value=D(1), state=EntryState.DRAFT)
    f.entry(w1, MAR, value=D(1), **submitted(at(4, 1), return_count=1))
    f.progress(project, JAN, investment=D(1), **submitted(at(2, 5, 18)))
    f.progress(project, FEB, investment=D(1), **submitted(at(3, 10)))
    users = {
        role: f.user(role, role_code, east if role_code == Role.STAFF else None)
        for role, role_code in [
            ("staff", Role.STAFF),
            ("reviewer", Role.REVIEWER),
            ("leader", Role.LEADER),
        ]
    }
    return year, users


def figures(rows) -> dict[str, tuple]:
    return {
        r.department.code: (
            r.owed,
            r.on_time,
            r.late,
            r.days_late,
            r.missing,
            r.pending,
            r.returns,
            r.rate,
        )
        for r in rows
    }


def test_figures_for_two_departments_computed_by_hand(ranked):
    year, _ = ranked
    data = timeliness_by_department(plan_year=year, period=MAR, today=TODAY)
    assert data.due_on == date(2025, 4, 5)
    assert figures(data.month) == {
        "east": (2, 1, 0, 0, 1, 0, 0, D("0.5")),
        "west": (2, 1, 0, 0, 1, 0, 1, D("0.5")),
    }
    assert figures(data.year) == {
        "east": (6, 2, 2, 4, 2, 0, 2, D(2) / D(6)),
        "west": (4, 2, 1, 5, 1, 0, 1, D("0.5")),
    }


def test_a_month_not_yet_due_is_pending_not_missing(ranked):
    year, _ = ranked
    data = timeliness_by_department(plan_year=year, period=date(2025, 4, 1), today=TODAY)
    # April (due May 5): nothing in yet, nothing judged, no rate.
    assert figures(data.month) == {
        "east": (2, 0, 0, 0, 0, 2, 0, None),
        "west": (2, 0, 0, 0, 0, 2, 0, None),
    }


def client_of(user) -> Client:
    client = Client()
    f.login(client, user)
    return client


def test_the_page_shows_both_tables_sorted_as_asked(ranked):
    _, users = ranked
    url = reverse("reporting:timeliness")
    response = client_of(users["leader"]).get(url + "?month=2025-03&y-sort=-rate")
    assert response.status_code == 200
    year_rows = [row.record.department.code for row in response.context["year_table"].rows]
    assert year_rows == ["west", "east"]  # 50% before 33.3%
    month_rows = [row.record.department.code for row in response.context["month_table"].rows]
    assert month_rows == ["east", "west"]
    html = response.content.decode()
    assert "33.3%" in html and "50.0%" in html
    assert 'href="/review/timeliness/"' in html  # in the navigation


def test_the_page_defaults_to_the_latest_month_past_its_due_date(ranked):
    _, users = ranked
    response = client_of(users["reviewer"]).get(reverse("reporting:timeliness"))
    assert response.context["period"] == MAR  # today April 20: March was due April 5


def test_staff_may_not_see_the_ranking(ranked):
    _, users = ranked
    response = client_of(users["staff"]).get(reverse("reporting:timeliness"))
    assert response.status_code == 403
    assert "及时性" in response.content.decode()


def test_export_xlsx_and_csv(ranked):
    _, users = ranked
    client = client_of(users["reviewer"])
    url = reverse("reporting:timeliness") + "?month=2025-03"
    response = client.get(url + "&export=xlsx&scope=year")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    # Above the table: its title and the 数据截至 line (targets/exports.py).
    assert sheet.cell(row=1, column=1).value == "报送及时性年度累计"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=HEADER_ROW)]
    assert rows[0] == [
        "责任单位",
        "应报",
        "按时",
        "迟报",
        "迟报天数合计",
        "漏报",
        "未到期",
        "退回次数",
        "按时率",
    ]
    assert rows[1] == ["东区局", 6, 2, 2, 4, 2, 0, 2, 0.333]
    assert rows[2] == ["西区局", 4, 2, 1, 5, 1, 0, 1, 0.5]
    response = client.get(url + "&export=csv&scope=month")
    text = response.content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1:] == [
        ["东区局", "2", "1", "0", "0", "1", "0", "0", "50.0%"],
        ["西区局", "2", "1", "0", "0", "1", "0", "1", "50.0%"],
    ]


@pytest.mark.parametrize("extra", [0, 10])
def test_query_count_is_fixed(ranked, django_assert_num_queries, extra):
    year, _ = ranked
    programme = year.programmes.first()
    for n in range(extra):
        department = f.department(f"x{n}")
        target = f.target(programme, code=f"8.{70 + n}", lead_department=department)
        f.entry(target, JAN, value=D(1), **submitted(at(2, 1), return_count=1))
        project = f.project(year, programme, lead_department=department)
        f.progress(project, FEB, investment=D(1), **submitted(at(3, 9)))
    # departments; targets, their reports of the year up to the month; projects,
    # their reports of the year up to the month; the same two for each supervision
    # kind（督办单 and 批示 answers）
    with django_assert_num_queries(5 + 4):
        data = timeliness_by_department(plan_year=year, period=MAR, today=TODAY)
    assert len(data.year) == 2 + extra


@pytest.mark.parametrize("extra", [0, 10])
def test_page_query_count_is_fixed(ranked, django_assert_num_queries, extra):
    year, users = ranked
    programme = year.programmes.first()
    for n in range(extra):
        department = f.department(f"x{n}")
        target = f.target(programme, code=f"8.{70 + n}", lead_department=department)
        f.entry(target, JAN, value=D(1), **submitted(at(2, 1)))
    client = client_of(users["reviewer"])
    # session, user, profile; plan year (today's, then the month's); departments;
    # the targets' reports and the targets; the projects' reports and the projects;
    # the demo banner; the header's unread notices
    # the demo banner; the supervision kinds' subjects and reports (two each)
    with django_assert_num_queries(12 + 4):
        response = client.get(reverse("reporting:timeliness"))
    assert len(response.context["year_table"].rows) == 2 + extra
