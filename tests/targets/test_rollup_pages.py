"""Roll-up never hides trouble, on the pages: the headline leads with the counts per
status, every programme card and page agrees with its targets' statuses, and every
count links to a list of exactly those targets (DESIGN.md §3)."""

import re
from collections import Counter
from datetime import date
from decimal import Decimal as D
from html import unescape

import pytest

from targets import completion, snapshots
from targets.models import ProgrammeSnapshot, ProgressEntry, Status, TargetSnapshot
from tests import factories as f
from tests.targets.test_dashboard_data import (
    JUNE,
    TODAY,
    build_small_year,
    html_table,
    texts_of,
)
from tests.targets.test_dashboard_pages import get

pytestmark = pytest.mark.django_db

COUNT_LINK = re.compile(
    r'<a class="chip status-chip-(\w+)" data-status="\w+" href="([^"]+)">([^<]+)</a>'
)


@pytest.fixture
def small(settings):
    settings.SITE_TODAY = TODAY
    return build_small_year()


@pytest.fixture
def leader(client):
    client.force_login(f.user("leader-1", "leader"))


def headline(html: str) -> str:
    """The headline as read: "3 项指标：严重滞后 1、未报送 1、正常推进 1"."""
    match = re.search(r'data-testid="headline">(.*?)</p>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


def count_links(html: str) -> list[tuple[str, str, int]]:
    """(status, url, count) of every count link on a page, in page order."""
    return [
        (status, unescape(url), int(text.split()[-1]))
        for status, url, text in COUNT_LINK.findall(html)
    ]


def listed_codes(client, url: str) -> list[str]:
    table = html_table(get(client, url), **{"class": "data"})
    return [row[0] for row in table["body"] if row[0] != "没有符合条件的指标。"]


def codes_with(period: date, status: str, programme: int | None = None) -> list[str]:
    rows = TargetSnapshot.objects.filter(period=period, status=status)
    if programme is not None:
        rows = rows.filter(target__programme__number=programme)
    return sorted(rows.values_list("target__code", flat=True))


def test_overview_headline_leads_with_every_count(client, small, leader):
    html = get(client, "/")
    assert headline(html) == "3 项指标：严重滞后 1、未报送 1、正常推进 1"
    # the status is the roll-up, the mean is labelled as the average beside it
    assert "平均完成率" in html and "总体完成度" not in html
    total = ProgrammeSnapshot.objects.get(programme=None, period=date(2025, 6, 1))
    assert total.status == completion.BEHIND


def test_every_count_on_the_overview_lists_exactly_those_targets(client, small, leader):
    links = count_links(get(client, "/"))
    # the headline's three, then the cards': 产业集群 (严重滞后 1、正常推进 1), 民生保障 (未报送 1)
    assert [(status, count) for status, _, count in links] == [
        ("behind", 1),
        ("not_reported", 1),
        ("on_track", 1),
        ("behind", 1),
        ("on_track", 1),
        ("not_reported", 1),
    ]
    assert [url for _, url, _ in links[3:]] == [
        "/targets/?status=behind&programme=1",
        "/targets/?status=on_track&programme=1",
        "/targets/?status=not_reported&programme=2",
    ]
    for status, url, count in links:
        programme = re.search(r"programme=(\d+)", url)
        expected = codes_with(
            date(2025, 6, 1), status, int(programme.group(1)) if programme else None
        )
        assert sorted(listed_codes(client, url)) == expected
        assert len(expected) == count


def test_counts_of_a_past_month_link_to_that_month(client, small, leader):
    links = count_links(get(client, "/?month=2025-03"))
    assert links[0] == ("behind", "/targets/?status=behind&month=2025-03", 1)
    html = get(client, links[0][1])
    assert texts_of(html, "list-title") == ["严重滞后的指标（1 项）"]
    assert listed_codes(client, links[0][1]) == ["1.2"]
    # March: 2.1 was on track then, not unreported
    assert listed_codes(client, "/targets/?status=on_track&month=2025-03") == ["1.1", "2.1"]


def test_programme_page_counts_link_to_its_own_targets(client, small, leader):
    html = get(client, "/programmes/1/")
    assert headline(html) == "2 项指标：严重滞后 1、正常推进 1"
    for status, url, _count in count_links(html):
        assert "programme=1" in url
        assert listed_codes(client, url) == codes_with(date(2025, 6, 1), status, 1)


def test_programme_card_is_red_with_one_behind_target_among_on_track_ones(client, small, leader):
    # 1.1 done in June, 1.2 far behind: the mean of 产业集群 is ahead of 序时
    # ((1 + 0.1667) / 2 = 58.3% against 50%), the card is still red.
    ProgressEntry.objects.filter(target=small.signing, period=JUNE).update(value=D(400))
    snapshots.recompute_plan_year(plan_year=small.year, today=TODAY)
    row = ProgrammeSnapshot.objects.get(programme__number=1, period=JUNE)
    assert (row.ratio, row.expected, row.status) == (D("0.5834"), D("0.5"), completion.BEHIND)
    html = get(client, "/")
    card = re.search(r'data-programme="1">(.*?)</div>', html, re.S).group(1)
    assert 'class="badge status-behind">严重滞后<' in card
    assert 'data-testid="programme-ratio">58.3%<' in card


def test_target_list_filters_and_says_what_it_lists(client, small, leader):
    assert sorted(listed_codes(client, "/targets/")) == ["1.1", "1.2", "2.1"]
    assert listed_codes(client, "/targets/?programme=2") == ["2.1"]
    assert listed_codes(client, "/targets/?programme=2&status=behind") == []
    html = get(client, "/targets/?programme=1&status=behind")
    assert texts_of(html, "list-title") == ["1. 产业集群 · 严重滞后的指标（1 项）"]
    # an unknown status is said so, and filters nothing
    html = get(client, "/targets/?status=red")
    assert "red 不在可用的选项中" in html
    assert texts_of(html, "list-title") == ["全部指标（3 项）"]


def test_overview_lists_lagging_and_unreported_targets_with_what_is_missing(client, small, leader):
    body = html_table(get(client, "/"), data_testid="attention")["body"]
    assert [(row[0], row[2], row[3], row[6]) for row in body] == [
        ("1.2 新建中小学、幼儿园", "严重滞后", "落后序时 33.3 个百分点", "区教育局"),
        ("2.1 街道改革通过验收", "未报送", "最近报送：2025年3月", "区教育局"),
    ]


def test_overview_lists_at_most_twenty_departments_with_unreported_targets(
    client, small, leader, monkeypatch
):
    """A city has hundreds of departments: the overview lists the ones with the most
    unreported targets and points to the full list for the rest."""
    from targets import queries

    html = get(client, "/")
    assert [r[0] for r in html_table(html, data_testid="missing")["body"]] == ["区教育局"]
    assert 'data-testid="missing-more"' not in html
    monkeypatch.setattr(queries, "MISSING_DEPARTMENTS_SHOWN", 0)
    html = get(client, "/")
    assert 'data-testid="missing"' not in html
    assert texts_of(html, "missing-more") == ["另有 1 个单位有未报送指标，全部见"]
    assert '<a href="/targets/?status=not_reported">指标清单（未报送）</a>。' in html


# --- the demo, as of October 2025 -------------------------------------------------------


def test_demo_headline_and_cards_agree_with_their_targets(demo, client, leader):
    html = get(client, "/")
    period = ProgrammeSnapshot.objects.filter(programme=None).latest("period").period
    assert period == date(2025, 10, 1)
    rows = list(
        TargetSnapshot.objects.filter(period=period)
        .exclude(target__kind="reference")
        .select_related("target__programme")
    )
    counts = Counter(r.status for r in rows)
    expected = "、".join(
        f"{Status(code).label} {counts[code]}" for code in completion.STATUSES if counts[code]
    )
    assert headline(html) == f"{len(rows)} 项指标：{expected}"
    # the reading of October: the trouble is all in the headline
    assert (
        [counts[s] for s in completion.TROUBLE] == [1, 1, 3, 2]
        if hasattr(completion, "TROUBLE")
        else [counts[s] for s in ("behind", "overdue", "lagging", "not_reported")] == [1, 1, 3, 2]
    )
    for programme in ProgrammeSnapshot.objects.filter(period=period, programme__isnull=False):
        mine = Counter(r.status for r in rows if r.target.programme_id == programme.programme_id)
        assert programme.status == completion.rolled_up_status(mine), programme.programme
    livelihood = ProgrammeSnapshot.objects.get(period=period, programme__number=8)
    assert livelihood.status == completion.BEHIND  # 8.1 安置房 is 严重滞后
    card = re.search(r'data-programme="8">(.*?)</div>', html, re.S).group(1)
    assert 'class="badge status-behind">严重滞后<' in card


@pytest.mark.parametrize("code", ["3.5", "8.3"])
def test_demo_level_and_ceiling_targets_are_on_track_until_december(demo, client, leader, code):
    rows = TargetSnapshot.objects.filter(target__code=code).order_by("period")
    assert {r.status for r in rows if r.ratio >= 1} == {completion.ON_TRACK}
    target = rows[0].target
    html = get(client, f"/targets/{target.pk}/")
    assert texts_of(html, "status-note") == ["当前已达标"]
    programme = get(client, f"/programmes/{target.programme.number}/")
    row = next(r for r in html_table(programme, **{"class": "data"})["body"] if r[0] == code)
    assert row[9] == "正常推进 当前已达标"


def test_the_totals_link_to_every_target_they_count(client, small, leader):
    html = get(client, "/?month=2025-03")
    assert 'href="/targets/?month=2025-03">3 项指标</a>' in html
    assert 'href="/targets/?programme=1&amp;month=2025-03">2 项指标</a>' in html
    assert sorted(listed_codes(client, "/targets/?month=2025-03")) == ["1.1", "1.2", "2.1"]
    html = get(client, "/programmes/2/")
    assert 'href="/targets/?programme=2">1 项指标</a>' in html
