"""The review queue's tools: filters by 异常, 迟报 and 滞后 (hand-made fixtures), the
plausibility warning and 迟报 shown in the row, and a month filter without future
months. The site's today is 2025-07-20; June's reports were due on July 5."""

from datetime import date, datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from reporting.filters import filter_params, late_q, page_link
from targets.models import EntryState, ProgressEntry, Status, TargetSnapshot
from targets.periods import report_due_date
from tests import factories as f
from tests.reporting.conftest import JUNE, MAY
from workflow import timeliness

SHANGHAI = ZoneInfo("Asia/Shanghai")
WARNING = "数值约为上月的 11,583 倍，是否把平方米误填为万平方米？"


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=SHANGHAI)


def snapshot(target, period, status) -> TargetSnapshot:
    return TargetSnapshot.objects.create(
        target=target, period=period, as_of=period, status=status, computed_at=timezone.now()
    )


@pytest.fixture
def queue_world(world):
    clerk = world.users["own_staff"]
    submitted = {"submitted_by": clerk}
    # 8.1: unusual (confirmed by the clerk), on time; its target is 严重滞后 now
    f.entry(
        world.cumulative,
        JUNE,
        value=D(2780000),
        unusual=True,
        unusual_warning=WARNING,
        unusual_reason="统计口径调整，已核实。",
        first_submitted_at=at(7, 3),
        **submitted,
    )
    snapshot(world.cumulative, JUNE, Status.BEHIND)
    # 1.2: first submitted 3 days late; its target is 进度滞后 now
    f.entry(world.level, JUNE, value=D(9), first_submitted_at=at(7, 8), **submitted)
    snapshot(world.level, JUNE, Status.LAGGING)
    # 8.3: in on the due day's last minute (on time); behind in May, on track now
    f.entry(world.ceiling, JUNE, value=D(1), first_submitted_at=at(7, 5, 23, 59), **submitted)
    snapshot(world.ceiling, MAY, Status.BEHIND)
    snapshot(world.ceiling, JUNE, Status.ON_TRACK)
    # 1.3: in a minute after the due day ended：迟报 1 天
    f.entry(world.milestone, JUNE, percent=D(50), first_submitted_at=at(7, 6, 0, 1), **submitted)
    # a project report: unusual, late
    f.progress(
        world.project,
        JUNE,
        investment=D(900),
        unusual=True,
        unusual_warning="本月完成投资超过年度计划剩余额。",
        unusual_reason="一次性结算。",
        first_submitted_at=at(7, 10),
        **submitted,
    )
    return world


def codes(response, kind: str) -> list[str]:
    rows = next(s.rows for s in response.context["sections"] if s.kind == kind)
    return [row.subject.code for row in rows]


def get(world, query: str):
    response = world.client("reviewer").get(reverse("reporting:review") + query)
    assert response.status_code == 200
    return response


def test_the_queue_filters_the_unusual(queue_world):
    response = get(queue_world, "?flag=unusual")
    assert codes(response, "target") == ["8.1"]
    assert codes(response, "project") == ["P-OWN"]
    html = response.content.decode()
    # the plausibility reason and the clerk's explanation, in the row
    assert WARNING in html
    assert "统计口径调整，已核实。" in html
    assert "本月完成投资超过年度计划剩余额。" in html


def test_the_queue_filters_the_late_by_their_first_submission(queue_world):
    response = get(queue_world, "?flag=late")
    assert sorted(codes(response, "target")) == ["1.2", "1.3"]
    assert codes(response, "project") == ["P-OWN"]
    late = {
        row.subject.code: row.late
        for section in response.context["sections"]
        for row in section.rows
    }
    assert late == {"1.2": "迟报 3 天", "1.3": "迟报 1 天", "P-OWN": "迟报 5 天"}


def test_every_row_says_whether_it_came_in_late(queue_world):
    response = get(queue_world, "")
    late = {row.subject.code: row.late for row in response.context["sections"][0].rows}
    assert late == {"8.1": "", "1.2": "迟报 3 天", "8.3": "", "1.3": "迟报 1 天"}
    assert response.content.decode().count('data-testid="late-flag"') == 3  # and P-OWN


def test_the_queue_filters_targets_now_behind_their_schedule(queue_world):
    response = get(queue_world, "?flag=lagging")
    assert sorted(codes(response, "target")) == ["1.2", "8.1"]  # 8.3: on track now
    assert codes(response, "project") == []  # P-OWN has no annual plan: never behind


def test_the_queue_filters_projects_behind_their_annual_plan(world):
    """The pace rule (projects/pace.py) at the report's month: the year's counted
    investment before it plus its own, against the annual plan × 序时 (June: 6/12)."""
    p3 = world.project.programme
    own = world.own

    def project_with(code, before, june):
        proj = f.project(world.year, p3, code=code, lead_department=own, annual_plan=D(12))
        for month, amount in enumerate(before, start=1):
            f.progress(proj, date(2025, month, 1), investment=D(amount), state=EntryState.APPROVED)
        f.progress(proj, JUNE, investment=D(june))
        return proj

    # 1+1 = 2 of 12 (16.7%): 33.3 points behind 50% → 严重滞后
    project_with("P-BEHIND", [0, 0, 0, 0, 1], "1")
    # 5 + 0.5 = 5.5 of 12 (45.8%): 4.2 points behind → 进度滞后
    project_with("P-LAG", [1, 1, 1, 1, 1], "0.5")
    # 5 + 1.5 = 6.5 of 12 (54.2%): on pace
    project_with("P-PACE", [1, 1, 1, 1, 1], "1.5")
    # a returned report of an earlier month does not count toward the year
    slow = project_with("P-RET", [1, 1, 1, 1], "2")  # 4 + 2 = 6 of 12: on pace
    f.progress(
        slow, date(2025, 5, 1), investment=D(9), state=EntryState.RETURNED, return_reason="重报。"
    )
    response = get(world, "?flag=lagging&month=2025-06")
    assert sorted(codes(response, "project")) == ["P-BEHIND", "P-LAG"]


def test_the_filters_combine(queue_world):
    response = get(queue_world, "?flag=late&month=2025-06&department=own")
    assert sorted(codes(response, "target")) == ["1.2", "1.3"]
    response = get(queue_world, "?flag=late&department=other")
    assert codes(response, "target") == []


def test_an_unknown_flag_is_a_clear_form_error_not_a_crash(queue_world):
    response = get(queue_world, "?flag=gossip")
    assert response.context["form"].errors["flag"]


def test_the_month_filter_offers_no_month_after_today(queue_world):
    response = get(queue_world, "")
    months = [value for value, _ in response.context["form"].fields["month"].choices]
    assert months == ["", *(f"2025-{m:02d}" for m in range(7, 0, -1))]
    assert 'value="2025-08"' not in response.content.decode()


def test_the_month_filter_follows_the_sites_today(queue_world, settings):
    settings.SITE_TODAY = date(2025, 3, 2)
    response = get(queue_world, "")
    months = [value for value, _ in response.context["form"].fields["month"].choices]
    assert months == ["", "2025-03", "2025-02", "2025-01"]


@pytest.mark.parametrize(
    ("first", "late"),
    [
        (at(7, 5, 0, 0), False),
        (at(7, 5, 23, 59), False),
        (at(7, 6, 0, 0), True),
        (at(8, 1), True),
        (None, False),
    ],
)
def test_the_late_filter_agrees_with_the_timeliness_rule(world, first, late):
    entry = f.entry(world.cumulative, JUNE, value=D(1), first_submitted_at=first)
    selected = ProgressEntry.objects.filter(late_q(world.year)).filter(pk=entry.pk).exists()
    verdict = timeliness.classify(
        first_submitted_on=timezone.localdate(first) if first else None,
        due_on=report_due_date(JUNE, world.year.report_due_day),
        today=date(2025, 7, 20),
    )
    assert selected is late
    assert (verdict.code == timeliness.LATE) is late


@pytest.mark.parametrize(
    ("query", "kind", "number", "link"),
    [
        # The filters stay; this section's page is set, the other's kept.
        ("flag=late&department=own", "target", 2, "?flag=late&department=own&page_target=2"),
        ("page_project=3&page_target=2", "target", 3, "?page_project=3&page_target=3"),
        ("page_project=3&page_target=2", "project", 4, "?page_target=2&page_project=4"),
        # The first page needs no parameter; the old shared page is dropped.
        ("month=2025-06&page_target=2", "target", 1, "?month=2025-06"),
        ("page=4&flag=unusual", "order", 2, "?flag=unusual&page_order=2"),
        ("", "instruction", 1, "?"),
    ],
)
def test_page_link_keeps_the_filters_and_the_other_pages(query, kind, number, link):
    assert page_link(QueryDict(query), kind, number) == link


@pytest.mark.parametrize(
    ("query", "filters"),
    [
        ("flag=late&page_target=2&page_project=3", "flag=late"),
        ("page=2&department=own&month=2025-06", "department=own&month=2025-06"),
        ("page_order=2", ""),
    ],
)
def test_filter_params_leave_out_every_page(query, filters):
    assert filter_params(QueryDict(query)).urlencode() == filters
