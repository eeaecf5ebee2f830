"""Unreviewed figures are marked (issue 10, item 2), on the small year of
test_dashboard_data.py with every report approved but two: 1.1's and 1.2's June.

At June: 1.1 shows June's submitted 200亿元 and 1.2 June's submitted 2所, both 未审核;
2.1 shows March's approved 50%. So the year has 2 unreviewed figures, 产业集群 2 and
民生保障 none. Under 仅计入已审核：1.1 falls back to March's 100亿元 (25% against a 序时
of 50%: 严重滞后), 1.2 to March's 1所; June stays reported (never 未报送).
"""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from org import glossary
from org.models import Role
from targets import snapshots
from targets.models import Counting, EntryState, PlanYear, ProgrammeSnapshot, TargetSnapshot
from tests import factories as f
from tests.targets.test_dashboard_data import (
    JUNE,
    MARCH,
    TODAY,
    build_small_year,
    html_table,
    texts_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(settings):
    settings.SITE_TODAY = TODAY
    year = build_small_year()
    year.signing.entries.filter(period=MARCH).update(state=EntryState.APPROVED)
    year.schools.entries.filter(period=MARCH).update(state=EntryState.APPROVED)
    year.acceptance.entries.update(state=EntryState.APPROVED)
    snapshots.recompute_plan_year(plan_year=year.year, today=TODAY)
    return year


@pytest.fixture
def leader(client):
    user = f.user("leader-1", Role.LEADER, first_name="区领导")
    client.force_login(user)
    return user


def get(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response


def snap(target, period=JUNE) -> TargetSnapshot:
    return TargetSnapshot.objects.get(target=target, period=period)


def test_the_word_comes_from_the_glossary():
    assert glossary.UNREVIEWED == "未审核"
    assert {code: str(label) for code, label in Counting.choices} == glossary.COUNTING


def test_snapshots_record_which_figures_are_unreviewed(small):
    assert [snap(t).provisional for t in (small.signing, small.schools, small.acceptance)] == [
        True,
        True,
        False,
    ]
    # March's figures were approved
    assert snap(small.signing, MARCH).provisional is False
    totals = {
        (s.programme.short_name if s.programme else "全年"): s.provisional_count
        for s in ProgrammeSnapshot.objects.filter(period=JUNE).select_related("programme")
    }
    assert totals == {"全年": 2, "产业集群": 2, "民生保障": 0}


# --- the target page ----------------------------------------------------------------------


def test_target_page_marks_the_unreviewed_value_and_history(client, small, leader):
    html = get(client, f"/targets/{small.signing.pk}/").content.decode()
    assert texts_of(html, "target-actual") == ["200亿元"]
    assert texts_of(html, "unreviewed-mark") == ["未审核", "未审核"]  # the value, June's row
    entries = html_table(html, data_testid="entries")["body"]
    assert [(r[0], r[1], r[6]) for r in entries] == [
        ("2025年6月", "200亿元未审核", "已提交"),
        ("2025年3月", "100亿元", "已通过"),
    ]


def test_target_page_of_a_reviewed_figure_has_no_mark(client, small, leader):
    html = get(client, f"/targets/{small.acceptance.pk}/").content.decode()
    assert texts_of(html, "unreviewed-mark") == []


def test_target_chart_draws_unreviewed_months_open(client, small, leader):
    figure = get(client, f"/targets/{small.signing.pk}/").context["figure"]
    traces = {trace["name"]: trace for trace in figure["data"]}
    actual = traces["实际值"]
    assert actual["x"] == ["1月", "2月", "3月", "4月", "5月", "6月"]
    assert actual["marker"]["symbol"] == ["circle"] * 5 + ["circle-open"]
    assert actual["customdata"][-1] == "正常推进（未审核）"
    assert actual["customdata"][2] == "正常推进"
    legend = traces["未审核（空心点）"]
    assert (legend["x"], legend["y"], legend["marker"]["symbol"]) == (
        ["6月"],
        [200.0],
        "circle-open",
    )


def test_target_chart_without_unreviewed_months_has_no_legend_entry(client, small, leader):
    figure = get(client, f"/targets/{small.acceptance.pk}/").context["figure"]
    assert "未审核（空心点）" not in [trace["name"] for trace in figure["data"]]


# --- overview and programme ---------------------------------------------------------------


def test_overview_says_how_many_figures_are_unreviewed(client, small, leader):
    response = get(client, "/")
    html = response.content.decode()
    # the year's line, then 产业集群's card；民生保障's card says nothing
    assert texts_of(html, "unreviewed-summary") == ["含 2 项未审核数据", "含 2 项未审核数据"]
    bars = response.context["figures"]["completion"]["data"][0]
    assert bars["x"] == ["产业集群", "民生保障"]
    assert bars["marker"]["pattern"]["shape"] == ["/", ""]
    assert bars["customdata"] == ["严重滞后<br>含 2 项未审核数据", "进度滞后"]


def test_programme_page_says_so_too(client, small, leader):
    response = get(client, reverse("targets:programme", args=[1]))
    assert texts_of(response.content.decode(), "unreviewed-summary") == ["含 2 项未审核数据"]
    bars = response.context["figure"]["data"][0]
    assert bars["marker"]["pattern"]["shape"] == ["/", "/"]
    response = get(client, reverse("targets:programme", args=[2]))
    assert texts_of(response.content.decode(), "unreviewed-summary") == []


# --- the plan year's counting rule --------------------------------------------------------


def test_approved_only_changes_the_snapshot_but_june_stays_reported(
    small, django_capture_on_commit_callbacks
):
    before = snap(small.signing)
    assert (before.actual, before.ratio, before.status) == (D(200), D("0.5"), "on_track")
    with django_capture_on_commit_callbacks(execute=True):
        year = PlanYear.objects.get(pk=small.year.pk)
        year.counting = Counting.APPROVED
        year.save()
    after = snap(small.signing)
    # March's approved 100 of 400: 25% against 50% is 严重滞后 — not 未报送
    assert (after.actual, after.ratio, after.status, after.last_period) == (
        D(100),
        D("0.25"),
        "behind",
        MARCH,
    )
    assert (after.provisional, after.awaiting_review) == (False, True)
    schools = snap(small.schools)
    assert (schools.actual, schools.status, schools.awaiting_review) == (D(1), "behind", True)
    total = ProgrammeSnapshot.objects.get(plan_year=small.year, programme=None, period=JUNE)
    assert (total.provisional_count, total.awaiting_count) == (0, 2)
    assert total.status_counts["not_reported"] == 1  # 2.1 only, as before
    # approving June brings its figure back, unmarked
    with django_capture_on_commit_callbacks(execute=True):
        small.signing.entries.filter(period=JUNE).update(state=EntryState.APPROVED)
        snapshots.request_recompute(target_ids=[small.signing.pk], reason="测试")
    again = snap(small.signing)
    assert (again.actual, again.provisional, again.awaiting_review) == (D(200), False, False)


def test_approved_only_pages_say_the_figures_wait(
    client, small, leader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        small.year.counting = Counting.APPROVED
        small.year.save()
    html = get(client, "/").content.decode()
    assert texts_of(html, "unreviewed-summary")[0] == "2 项已报送待审核，暂未计入"
    html = get(client, f"/targets/{small.signing.pk}/").content.decode()
    assert texts_of(html, "target-actual") == ["100亿元"]
    assert texts_of(html, "unreviewed-mark") == ["待审核，暂未计入", "待审核，暂未计入"]


def test_plan_year_admin_offers_the_counting_rule(client, small):
    f.login(client, f.user("boss", Role.ADMIN))
    url = reverse("admin:targets_planyear_change", args=[small.year.pk])
    form = client.get(url).context["adminform"].form
    assert form.initial["counting"] == "submitted"
    assert [str(label) for _, label in form.fields["counting"].choices] == [
        "已报送即计入（默认）",
        "仅计入已审核",
    ]


def test_the_preview_under_approved_only_shows_the_figure_once_approved(small):
    from targets.models import Target
    from targets.services import EntryValues, preview_entry

    target = Target.objects.select_related("programme__plan_year").get(pk=small.signing.pk)
    target.programme.plan_year.counting = Counting.APPROVED
    result = preview_entry(
        target=target, period=JUNE, values=EntryValues(value=D(300)), today=TODAY
    )
    # 300 of 400 once approved, not March's approved 100 it would otherwise repeat
    assert (result.actual, result.ratio, result.status) == (D(300), D("0.75"), "on_track")
