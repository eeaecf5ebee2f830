"""The 填报 page (which month, what it lists, what it warns about), the review queue,
and the query counts that keep them fast at any department's size."""

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from org.models import Role
from projects.models import ProjectProgress
from targets.models import EntryState, Kind, Status, TargetSnapshot
from tests import factories as f
from tests.reporting.conftest import JUNE

JULY = date(2025, 7, 1)


def month_of(world, query="", who="own_staff"):
    return world.client(who).get(reverse("reporting:my_month") + query)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2025, 7, 20), JULY),  # past the due day: this month's report, due Aug 5
        (date(2025, 7, 5), JUNE),  # up to the due day: last month's, coming due
        (date(2025, 1, 3), date(2025, 1, 1)),  # December 2024 is outside the plan year
    ],
)
def test_my_month_default_month_follows_the_due_day(world, settings, today, expected):
    settings.SITE_TODAY = today
    response = month_of(world)
    assert response.status_code == 200
    assert response.context["page"].period == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?month=2025-08", "2025年8月尚未到来，不能填报未来的月份。"),
        ("?month=2023-05", "2023年不在任何计划年度内。"),
        ("?month=05/2025", "月份“05/2025”格式不对，应为“年-月”，如 2025-10。"),
    ],
)
def test_my_month_refuses_a_month_it_cannot_show(world, query, message):
    response = month_of(world, query)
    assert response.status_code == 400
    assert response.context["message"] == message


def test_my_month_lists_the_departments_rows_returned_first(world):
    f.entry(world.level, JUNE, value=D(5), state=EntryState.APPROVED)
    f.entry(world.ceiling, JUNE, value=D(3), state=EntryState.RETURNED, return_reason="请附台账。")
    f.entry(world.cumulative, JUNE, value=D(100), state=EntryState.DRAFT)
    response = month_of(world, "?month=2025-06")
    page = response.context["page"]
    assert [(row.subject.code, row.state) for row in page.rows_of("target")] == [
        ("8.3", EntryState.RETURNED),
        ("1.3", None),
        ("1.4", None),
        ("8.1", EntryState.DRAFT),
        ("1.2", EntryState.APPROVED),
    ]
    assert [row.subject.code for row in page.derived] == ["3.3"]
    assert [row.subject.code for row in page.rows_of("project")] == ["P-OWN"]
    assert page.due_on == date(2025, 7, 5)
    html = response.content.decode()
    assert "请附台账。" in html
    assert "自动汇总：新引进项目签约额" in html
    assert "8.2" not in [row.subject.code for row in page.rows_of("target")]  # another department's


def test_my_month_warns_about_earlier_months_still_missing(world):
    for month in range(1, 6):
        period = date(2025, month, 1)
        for target in (world.cumulative, world.level, world.ceiling):
            f.entry(target, period, value=D(month))
        f.entry(world.assessed, period, assessment="on_track")
        f.progress(world.project, period, investment=D(1))
    # The milestone was done in March: nothing to report after that.
    f.entry(world.milestone, date(2025, 1, 1), percent=D(40))
    f.entry(world.milestone, date(2025, 3, 1), percent=D(100), done_on=date(2025, 3, 20))
    # A draft does not count as reported.
    world.cumulative.entries.filter(period=date(2025, 5, 1)).update(state=EntryState.DRAFT)

    page = month_of(world).context["page"]  # July
    assert [
        (m.period, m.due_on, [(item.kind, item.subject) for item in m.missing])
        for m in page.overdue
    ] == [
        (date(2025, 2, 1), date(2025, 3, 5), [("target", world.milestone)]),
        (date(2025, 5, 1), date(2025, 6, 5), [("target", world.cumulative)]),
        (
            JUNE,
            date(2025, 7, 5),
            [
                *[("target", t) for t in (world.level, world.assessed, world.cumulative)],
                ("target", world.ceiling),  # by code
                ("project", world.project),
            ],
        ),
    ]
    # Looking at June itself, June is the list, not a warning.
    page = month_of(world, "?month=2025-06").context["page"]
    assert [m.period for m in page.overdue] == [date(2025, 2, 1), date(2025, 5, 1)]
    milestone_row = next(r for r in page.rows_of("target") if r.subject == world.milestone)
    assert milestone_row.owes is False


def test_my_month_admin_picks_a_department(world):
    response = month_of(world, who="admin")
    assert response.templates[0].name == "reporting/pick_department.html"
    response = month_of(world, "?department=other", who="admin")
    assert response.context["page"].department == world.other
    assert month_of(world, "?department=nope", who="admin").status_code == 404


def grow(world, targets: int, projects: int) -> None:
    """More of everything the month page reads: targets with a year of entries,
    projects with a year of progress, another department's rows."""
    programme = world.cumulative.programme
    for n in range(targets):
        kind = [Kind.CUMULATIVE, Kind.LEVEL][n % 2]
        target = f.target(programme, code=f"8.{50 + n}", kind=kind, lead_department=world.own)
        for month in range(1, 7):
            f.entry(
                target, date(2025, month, 1), value=D(month), reviewed_by=world.users["reviewer"]
            )
    for n in range(projects):
        project = f.project(world.year, programme, code=f"Q{n:03d}", lead_department=world.own)
        for month in range(1, 7):
            f.progress(project, date(2025, month, 1), investment=D("0.5"))
    other = f.target(programme, code="8.99", lead_department=world.other)
    f.entry(other, JUNE, value=D(1))


@pytest.mark.parametrize(("targets", "projects"), [(0, 0), (12, 40)])
def test_my_month_query_count_is_fixed(world, django_assert_num_queries, targets, projects):
    grow(world, targets, projects)
    client = world.client("own_staff")
    # session, user, profile, department, plan year;
    # month_page, per kind: its subjects, their reports of the year as the owed rule
    # reads them, this and last month's reports in full (targets, then projects with
    # invested_before), and the derived targets' snapshots; the demo-data banner; the
    # header's unread notices.
    # invested_before), and the derived targets' snapshots; the demo-data banner;
    # the supervision kinds（督办单 and 批示 answers）：three each; its /report/ panel:
    # the department's open instructions and active orders.
    with django_assert_num_queries(22):
        response = client.get(reverse("reporting:my_month") + "?month=2025-06")
    assert len(response.context["page"].rows_of("target")) == 5 + targets
    assert len(response.context["page"].rows_of("project")) == 1 + projects


def queue(response, kind: str) -> list:
    """The review table's rows of one kind of report."""
    return next(s.rows for s in response.context["sections"] if s.kind == kind)


def fill_queue(world, size: int) -> None:
    programme = world.cumulative.programme
    for n in range(size):
        target = f.target(programme, code=f"8.{60 + n}", lead_department=world.own)
        f.entry(target, date(2025, 5, 1), value=D(1), state=EntryState.APPROVED)
        f.entry(target, JUNE, value=D(2), submitted_by=world.users["own_staff"])
        project = f.project(world.year, programme, code=f"R{n:03d}", lead_department=world.own)
        f.progress(project, date(2025, 5, 1), investment=D(1), state=EntryState.APPROVED)
        f.progress(project, JUNE, investment=D(2), submitted_by=world.users["own_staff"])


@pytest.mark.parametrize("size", [1, 60])
def test_review_queue_query_count_is_fixed(world, django_assert_num_queries, size):
    fill_queue(world, size)
    client = world.client("reviewer")
    # session, user, profile, plan year; per kind, paged on its own: target entries
    # (count, page, their earlier counted entries: the count is the one query paging
    # the targets added, issue 13), project reports (count, page, their previous
    # month); the demo banner; the filter form's departments and programmes; the
    # header's unread notices; the supervision kinds' counts (no rows: no page query).
    with django_assert_num_queries(16):
        response = client.get(reverse("reporting:review"))
    assert len(queue(response, "target")) == min(size, 50)
    assert len(queue(response, "project")) == min(size, 50)
    first = queue(response, "target")[0]
    assert (first.entry.value, first.previous.value) == (D(2), D(1))


def test_review_queue_filters_by_department_and_programme(world):
    fill_queue(world, 2)
    f.entry(world.foreign, JUNE, value=D(1))
    client = world.client("reviewer")
    response = client.get(reverse("reporting:review") + "?department=other")
    assert [row.entry.target for row in queue(response, "target")] == [world.foreign]
    assert queue(response, "project") == []
    programme = world.level.programme  # programme 1 has no submitted rows
    response = client.get(reverse("reporting:review") + f"?programme={programme.pk}")
    assert (queue(response, "target"), queue(response, "project")) == ([], [])
    response = client.get(reverse("reporting:review") + "?month=2025-06&department=own")
    assert len(queue(response, "target")) == 2


def test_review_queue_approves_from_the_row_and_comes_back(world):
    fill_queue(world, 1)
    client = world.client("reviewer")
    row = queue(client.get(reverse("reporting:review")), "target")[0]
    here = "/review/?department=own"
    response = client.post(
        reverse("reporting:review_target", args=[row.entry.pk]),
        {"action": "approve", "version": row.entry.version, "next": here},
    )
    assert response["Location"] == here
    row.entry.refresh_from_db()
    assert row.entry.state == EntryState.APPROVED
    # An outside address in "next" is ignored.
    response = client.post(
        reverse("reporting:review_target", args=[row.entry.pk]),
        {
            "action": "reopen",
            "reason": "复核",
            "version": row.entry.version,
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == reverse(
        "reporting:target_entry", args=[row.entry.target_id, JUNE]
    )


def test_reviewer_reads_an_entry_page_with_the_review_actions(world):
    entry = f.entry(world.cumulative, JUNE, value=D(100))
    response = world.client("reviewer").get(
        reverse("reporting:target_entry", args=[world.cumulative.pk, JUNE])
    )
    assert response.status_code == 200
    assert response.context["can_write"] is False
    html = response.content.decode()
    assert 'name="action" value="approve"' in html
    assert f'value="{entry.version}"' in html


def test_leader_reads_but_the_staff_form_is_not_offered(world):
    f.user("leader-2", Role.LEADER)
    response = world.client("leader").get(
        reverse("reporting:target_entry", args=[world.cumulative.pk, JUNE])
    )
    assert response.status_code == 200
    assert response.context["can_write"] is False
    assert 'data-testid="entry-form"' not in response.content.decode()


def test_review_bulk_approves_the_ticked_rows_and_reports_the_stale_one(
    world, django_capture_on_commit_callbacks
):
    fill_queue(world, 3)
    # Approving progress moves the investment figure (the world's derived target sums
    # signings, which an approval cannot move: it is not asked).
    f.target(world.derived.programme, source="key_project_investment_completed")
    client = world.client("reviewer")
    rows = queue(client.get(reverse("reporting:review")), "project")
    items = [f"project:{r.entry.pk}:{r.entry.version}" for r in rows]
    stale = rows[2].entry
    ProjectProgress.objects.filter(pk=stale.pk).update(version=stale.version + 1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("reporting:review_bulk"), {"item": items, "next": "/review/"}
        )
    assert response["Location"] == "/review/"
    states = [ProjectProgress.objects.get(pk=r.entry.pk).state for r in rows]
    assert states == [EntryState.APPROVED, EntryState.APPROVED, EntryState.SUBMITTED]
    notes = [str(m) for m in response.wsgi_request._messages]
    assert notes[0] == "已审核通过 2 条。"
    assert notes[1].startswith(f"{stale.project.code} 2025年6月：这条记录已被")
    assert len(callbacks) == 1  # one recompute request for the whole batch


def section(response, kind: str):
    return next(s for s in response.context["sections"] if s.kind == kind)


def test_review_queue_pages_each_kind_on_its_own(world):
    fill_queue(world, 55)  # 55 submitted target entries and 55 project reports
    client = world.client("reviewer")
    url = reverse("reporting:review")
    first = client.get(url + "?department=own")
    assert [len(queue(first, kind)) for kind in ("target", "project")] == [50, 50]
    response = client.get(url + "?department=own&page_target=2")
    targets, projects = section(response, "target"), section(response, "project")
    assert (targets.page.number, targets.count, len(targets.rows)) == (2, 55, 5)
    # The other section stays on its first page.
    assert (projects.page.number, projects.count, len(projects.rows)) == (1, 55, 50)
    assert [r.entry.pk for r in projects.rows] == [r.entry.pk for r in queue(first, "project")]
    # Page 2 goes on where page 1 stopped: every entry once.
    seen = [r.entry.pk for r in queue(first, "target")] + [r.entry.pk for r in targets.rows]
    assert len(set(seen)) == 55
    # Each pager keeps the filters and the other section's page.
    assert targets.previous_link == "?department=own"
    assert projects.next_link == "?department=own&page_target=2&page_project=2"
    html = response.content.decode()
    assert "指标与节点任务（共 <span" in html
    assert 'href="?department=own&amp;page_target=2&amp;page_project=2#section-project"' in html
    assert "第 2 / 2 页（共 55 条）" in html
    response = client.get(url + "?department=own&page_target=2&page_project=2")
    assert [section(response, k).page.number for k in ("target", "project")] == [2, 2]
    assert len(queue(response, "project")) == 5


def test_review_queue_bulk_approves_the_page_shown(world):
    fill_queue(world, 53)
    client = world.client("reviewer")
    here = reverse("reporting:review") + "?month=2025-06&page_target=2"
    rows = queue(client.get(here), "target")
    assert len(rows) == 3
    items = [f"target:{r.entry.pk}:{r.entry.version}" for r in rows]
    response = client.post(reverse("reporting:review_bulk"), {"item": items, "next": here})
    assert response["Location"] == here  # back to the page it came from
    assert {type(r.entry).objects.get(pk=r.entry.pk).state for r in rows} == {EntryState.APPROVED}
    # Page 2 is empty now: the queue shows the last page there is.
    after = section(client.get(here), "target")
    assert (after.count, after.page.number, len(after.rows)) == (50, 1, 50)


FLAGGED, PLAIN = 53, 4


@pytest.fixture
def flagged_queue(world):
    """57 submitted June entries of the own department: the first 53 unusual, late
    (first in on July 8, due July 5) and behind （进度滞后 now）, the other 4 none of it."""
    programme = world.cumulative.programme
    for n in range(FLAGGED + PLAIN):
        flagged = n < FLAGGED
        target = f.target(programme, code=f"8.{60 + n}", lead_department=world.own)
        f.entry(
            target,
            JUNE,
            value=D(2),
            unusual=flagged,
            first_submitted_at=timezone.make_aware(datetime(2025, 7, 8 if flagged else 3, 10)),
        )
        TargetSnapshot.objects.create(
            target=target,
            period=JUNE,
            as_of=JUNE,
            status=Status.LAGGING if flagged else Status.ON_TRACK,
            computed_at=timezone.now(),
        )
    return world


@pytest.mark.parametrize("flag", ["unusual", "late", "lagging"])
def test_review_queue_filters_before_paging_and_counts_the_filtered(flagged_queue, flag):
    client = flagged_queue.client("reviewer")
    url = reverse("reporting:review") + f"?flag={flag}"
    everything = section(client.get(reverse("reporting:review")), "target")
    assert everything.count == FLAGGED + PLAIN
    first, second = (section(client.get(url + f"&page_target={n}"), "target") for n in (1, 2))
    assert (first.count, len(first.rows), len(second.rows)) == (FLAGGED, 50, FLAGGED - 50)
    shown = [int(r.subject.code.split(".")[1]) for r in first.rows + second.rows]
    assert sorted(shown) == list(range(60, 60 + FLAGGED))  # the flagged ones, each once
    assert second.previous_link == f"?flag={flag}"
    assert first.next_link == f"?flag={flag}&page_target=2"
