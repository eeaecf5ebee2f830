"""The overview, programme and target pages as a leader sees them, on the small year
of test_dashboard_data.py (figures computed by hand there)."""

import json
import re
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import User
from django.db.models import Max
from django.utils import timezone

from org.models import Profile, Role
from projects.models import KeyProject
from targets import charts, snapshots
from targets.models import Kind, PendingRecompute
from tests import factories as f
from tests.targets.test_dashboard_data import (
    TODAY,
    build_small_year,
    html_table,
    programme_cards,
    texts_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(settings):
    settings.SITE_TODAY = TODAY
    return build_small_year()


@pytest.fixture
def leader(client):
    user = f.user("leader-1", Role.LEADER, first_name="区领导")
    client.force_login(user)
    return user


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- overview -------------------------------------------------------------------------


def test_overview_shows_the_latest_month_by_default(client, small, leader):
    html = get(client, "/")
    assert texts_of(html, "overall-ratio") == ["38.9%"]
    assert programme_cards(html) == {"1": "33.3%", "2": "50.0%"}
    assert texts_of(html, "freshness")[0].startswith("数据截至2025年6月末 · 最近计算于 ")
    assert html_table(html, data_testid="attention")["body"] == [
        [
            "1.2 新建中小学、幼儿园",
            "产业集群",
            "严重滞后",
            "落后序时 33.3 个百分点",
            "16.7%",
            "50.0%",
            "区教育局",
        ],
        [
            "2.1 街道改革通过验收",
            "民生保障",
            "未报送",
            "最近报送：2025年3月",
            "50.0%",
            "100.0%",
            "区教育局",
        ],
    ]
    assert html_table(html, data_testid="missing")["body"] == [
        ["区教育局", "1 项", "2.1 街道改革通过验收"]
    ]


def test_overview_as_of_march_shows_march(client, small, leader):
    html = get(client, "/?month=2025-03")
    assert texts_of(html, "overall-ratio") == ["27.8%"]
    assert programme_cards(html) == {"1": "16.7%", "2": "50.0%"}
    assert html_table(html, data_testid="attention")["body"] == [
        [
            "1.2 新建中小学、幼儿园",
            "产业集群",
            "严重滞后",
            "落后序时 16.7 个百分点",
            "8.3%",
            "25.0%",
            "区教育局",
        ]
    ]
    assert 'data-testid="missing"' not in html
    assert "2025年3月各单位均已按时报送。" in html
    # Links keep the month picked.
    assert 'href="/programmes/1/?month=2025-03"' in html


def test_overview_charts_are_json_for_charts_js(client, small, leader):
    response = client.get("/")
    figures = response.context["figures"]
    completion = figures["completion"]["data"]
    assert completion[0]["x"] == ["产业集群", "民生保障"]
    assert completion[0]["y"] == [33.3, 50.0]
    assert completion[1]["y"] == [50.0, 100.0]  # 序时
    statuses = {trace["name"]: trace["y"] for trace in figures["statuses"]["data"]}
    assert statuses == {"严重滞后": [1, 0], "未报送": [0, 1], "正常推进": [1, 0]}
    heatmap = figures["heatmap"]["data"][0]
    assert heatmap["x"] == ["1月", "2月", "3月", "4月", "5月", "6月"]
    assert heatmap["text"][0][2] == "16.7%"  # 产业集群, March
    # Each cell coloured by its gap to that month's 序时, not by its percent: January's
    # 0% against 8.3% is within the tolerance (amber), not red; March's 16.7% against
    # 25.0% likewise; February's 0% against 16.7% is red.
    codes = charts.HEATMAP_STATUSES
    assert [[codes[z] for z in row] for row in heatmap["z"]] == [
        ["lagging", "behind", "lagging", "behind", "behind", "behind"],
        ["behind", "behind", "on_track", "behind", "behind", "behind"],
    ]
    assert heatmap["colorscale"][2] == [0.2, charts.STATUS_COLOURS["lagging"]]
    html = response.content.decode()
    # Each chart container names its json_script; no script runs inline.
    for chart_id in re.findall(r'data-chart="([^"]+)"', html):
        assert f'<script id="{chart_id}" type="application/json">' in html
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert all("src=" in s or 'type="application/json"' in s for s in scripts), scripts
    assert re.search(r"\son[a-z]+=", html) is None


def test_overview_falls_back_on_a_malformed_month(client, small, leader):
    html = get(client, "/?month=2025-13x")
    assert texts_of(html, "overall-ratio") == ["38.9%"]
    assert texts_of(html, "month-message") == [
        "“2025-13x”不是有效的月份（格式为 YYYY-MM，如 2025-06），已显示最新月份。"
    ]


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("2024-05", "2024年没有工作报告目标数据，已显示2025年的最新月份。"),
        ("2025-09", "2025年9月尚无计算结果（每月结束后才计算），已显示最新月份。"),
    ],
)
def test_overview_falls_back_on_a_month_without_snapshots(client, small, leader, month, message):
    html = get(client, f"/?month={month}")
    assert texts_of(html, "overall-ratio") == ["38.9%"]
    assert texts_of(html, "month-message") == [message]


def test_overview_fresh_snapshots_carry_no_warning(client, small, leader):
    assert texts_of(get(client, "/"), "stale-warning") == []


def test_overview_warns_when_a_recompute_waits_too_long(client, small, leader, settings):
    waiting = PendingRecompute.objects.create(target=small.signing, reason="测试")
    long_ago = timezone.now() - timedelta(seconds=settings.SNAPSHOT_STALE_AFTER_SECONDS + 1)
    PendingRecompute.objects.filter(pk=waiting.pk).update(requested_at=long_ago)
    html = get(client, "/")
    assert texts_of(html, "stale-warning") == [
        "数据可能不是最新：1 项指标重算失败或等待重算超过 5 分钟。页面显示的是最近一次计算的结果。"
    ]
    since = timezone.localtime(long_ago)
    assert texts_of(html, "stuck-target") == [
        f"指标 {small.signing.code} {small.signing.title}：自 {since:%-m月%-d日 %H:%M} 起等待重算。"
    ]


def test_overview_warns_when_the_closed_month_is_not_computed(client, small, leader, settings):
    settings.SITE_TODAY = date(2025, 8, 2)  # July has ended; the daily recompute has not run
    assert texts_of(get(client, "/"), "stale-warning") == [
        "数据可能不是最新：2025年7月已结束，但尚未生成该月的计算结果。页面显示的是最近一次计算的结果。"
    ]


def test_overview_without_snapshots_says_so(client, leader, settings):
    settings.SITE_TODAY = date(2025, 1, 20)
    f.plan_year()
    html = get(client, "/")
    assert "2025年尚无已结束月份的计算结果" in html
    assert 'data-chart="' not in html


# --- programme -------------------------------------------------------------------------


def test_programme_lists_its_targets_as_of_the_latest_month(client, small, leader):
    html = get(client, "/programmes/1/")
    assert texts_of(html, "programme-ratio") == ["33.3%"]
    table = html_table(html, **{"class": "data"})
    assert table["head"] == [
        [
            "编号",
            "指标",
            "类型",
            "目标值",
            "实际值",
            "单位",
            "完成率",
            "序时进度",
            "落后序时（百分点）",
            "状态",
            "牵头单位",
            "完成时限",
            "最近报送",
        ]
    ]
    assert table["body"] == [
        [
            "1.1",
            "新引进项目签约额",
            "累计型",
            "400",
            "200",
            "亿元",
            "50.0%",
            "50.0%",
            "0",
            "正常推进",
            "区发改委",
            "2025年12月31日",
            "2025年6月",
        ],
        [
            "1.2",
            "新建中小学、幼儿园",
            "累计型",
            "12",
            "2",
            "所",
            "16.7%",
            "50.0%",
            "33.3",
            "严重滞后",
            "区教育局",
            "2025年12月31日",
            "2025年6月",
        ],
    ]
    assert f'href="/targets/{small.signing.pk}/"' in html


def test_programme_as_of_march_shows_march(client, small, leader):
    html = get(client, "/programmes/1/?month=2025-03")
    assert texts_of(html, "programme-ratio") == ["16.7%"]
    rows = html_table(html, **{"class": "data"})["body"]
    assert [(r[0], r[4], r[6], r[7], r[8], r[12]) for r in rows] == [
        ("1.1", "100", "25.0%", "25.0%", "0", "2025年3月"),
        ("1.2", "1", "8.3%", "25.0%", "16.7", "2025年3月"),
    ]


def test_programme_milestone_shows_done_or_not_and_its_date(client, small, leader):
    html = get(client, "/programmes/2/")
    (row,) = html_table(html, **{"class": "data"})["body"]
    assert row[:10] == [
        "2.1",
        "街道改革通过验收",
        "节点型",
        "2025年6月30日前完成",
        "未完成（50%）",
        "—",
        "50.0%",
        "100.0%",
        "50",
        "未报送",
    ]


def test_programme_overdue_milestone_says_how_many_days(client, small, leader, settings):
    # 31 August: two months past 30 June; July's and August's reports came in.
    settings.SITE_TODAY = date(2025, 9, 10)
    f.entry(small.acceptance, date(2025, 7, 1), percent=D(80))
    f.entry(small.acceptance, date(2025, 8, 1), percent=D(90))
    snapshots.recompute_plan_year(plan_year=small.year, today=date(2025, 9, 10))
    html = get(client, "/programmes/2/")
    (row,) = html_table(html, **{"class": "data"})["body"]
    assert (row[4], row[8], row[9]) == ("未完成（90%）", "逾期 62 天", "逾期未完成")
    html = get(client, "/programmes/2/?month=2025-07")
    (row,) = html_table(html, **{"class": "data"})["body"]
    assert (row[4], row[8], row[9]) == ("未完成（80%）", "逾期 31 天", "逾期未完成")
    page = get(client, f"/targets/{small.acceptance.pk}/")
    assert texts_of(page, "target-gap") == ["逾期 62 天"]
    assert texts_of(page, "target-actual") == ["未完成（90%）"]


def test_programme_table_sorts_by_a_column(client, small, leader):
    html = get(client, "/programmes/1/?sort=ratio")
    assert [r[0] for r in html_table(html, **{"class": "data"})["body"]] == ["1.2", "1.1"]
    html = get(client, "/programmes/1/?sort=-ratio")
    assert [r[0] for r in html_table(html, **{"class": "data"})["body"]] == ["1.1", "1.2"]


def test_programme_table_sorts_empty_cells_last_either_way(client, small, leader):
    f.target(
        small.signing.programme,
        code="1.3",
        title="营商环境评价",
        kind=Kind.ASSESSED,
        unit="",
        target_value=None,
        baseline=None,
        lead_department=small.fgw,
    )
    snapshots.recompute_plan_year(plan_year=small.year, today=TODAY)
    for sort, expected in [("ratio", ["1.2", "1.1", "1.3"]), ("-ratio", ["1.1", "1.2", "1.3"])]:
        html = get(client, f"/programmes/1/?sort={sort}")
        assert [r[0] for r in html_table(html, **{"class": "data"})["body"]] == expected


def test_programme_chart_has_each_ratio_against_its_expected(client, small, leader):
    figure = client.get("/programmes/1/").context["figure"]
    bars, expected = figure["data"]
    assert (bars["y"], bars["x"], expected["x"]) == (
        ["1.1 新引进项目签约额", "1.2 新建中小学、幼儿园"],
        [50.0, 16.7],
        [50.0, 50.0],
    )


def test_programme_unknown_number_is_not_found(client, small, leader):
    assert client.get("/programmes/7/").status_code == 404


# --- target ----------------------------------------------------------------------------


def test_target_shows_its_month_forecast_and_entries(client, small, leader):
    html = get(client, f"/targets/{small.signing.pk}/")
    assert texts_of(html, "target-actual") == ["200亿元"]
    assert texts_of(html, "target-ratio") == ["50.0%"]
    assert small.signing.sentence in html
    # Pace over March–June: (200 − 100) / 3 a month; 6 months left to reach 400.
    assert " ".join(re.sub(r"<[^>]+>", "", inner_html_of(html, "forecast")).split()) == (
        "按近三个月月均进度 33.33亿元 推算，到2025年12月预计达到 400亿元。"
        " 要按期完成，此后每月尚需完成 33.33亿元。"
    )
    entries = html_table(html, data_testid="entries")["body"]
    # submitted, not yet approved: each figure counts provisionally, marked 未审核
    assert [(r[0], r[1], r[2], r[6]) for r in entries] == [
        ("2025年6月", "200亿元未审核", "上半年签约200亿元。", "已提交"),
        ("2025年3月", "100亿元未审核", "一季度签约100亿元。", "已提交"),
    ]


def inner_html_of(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</p>', html, re.S)
    return match.group(1) if match else ""


def test_target_chart_plots_actual_plan_and_target(client, small, leader):
    figure = client.get(f"/targets/{small.signing.pk}/").context["figure"]
    traces = {trace["name"]: trace for trace in figure["data"]}
    assert traces["实际值"]["x"] == ["1月", "2月", "3月", "4月", "5月", "6月"]
    assert traces["实际值"]["y"] == [None, None, 100.0, 100.0, 100.0, 200.0]
    # 序时 plan line: expected × (target − baseline) + baseline, for every month, with
    # 序时 as stored (four places: 1/12 → 0.0833).
    assert traces["序时进度计划"]["y"] == [
        33.32,
        66.68,
        100.0,
        133.32,
        166.68,
        200.0,
        233.32,
        266.68,
        300.0,
        333.32,
        366.68,
        400.0,
    ]
    assert traces["目标值"]["y"] == [400.0, 400.0]
    assert (traces["预测"]["x"], traces["预测"]["y"]) == (["6月", "12月"], [200.0, 400.0])


def test_target_as_of_march_shows_march(client, small, leader):
    html = get(client, f"/targets/{small.schools.pk}/?month=2025-03")
    assert texts_of(html, "target-actual") == ["1所"]
    assert texts_of(html, "target-ratio") == ["8.3%"]
    entries = html_table(html, data_testid="entries")["body"]
    assert [(r[0], r[3], r[4]) for r in entries] == [("2025年3月", "征地滞后。", "加快征地。")]


def test_target_milestone_plots_percent_against_100(client, small, leader):
    figure = client.get(f"/targets/{small.acceptance.pk}/").context["figure"]
    traces = {trace["name"]: trace for trace in figure["data"]}
    assert traces["完成进度"]["y"] == [None, None, 50.0, 50.0, 50.0, 50.0]
    assert traces["序时进度计划"]["y"][:6] == [16.7, 33.3, 50.0, 66.7, 83.3, 100.0]
    assert traces["目标值"]["y"] == [100.0, 100.0]


def test_target_assessed_shows_status_history_not_a_chart(client, small, leader):
    assessed = f.target(
        small.signing.programme,
        code="1.3",
        title="营商环境评价",
        kind=Kind.ASSESSED,
        unit="",
        target_value=None,
        baseline=None,
        lead_department=small.fgw,
    )
    f.entry(assessed, date(2025, 5, 1), assessment="lagging", state="approved")
    f.entry(assessed, date(2025, 6, 1), assessment="on_track", state="approved")
    snapshots.recompute_plan_year(plan_year=small.year, today=TODAY)
    response = client.get(f"/targets/{assessed.pk}/")
    assert response.context["figure"] is None
    history = html_table(response.content.decode(), data_testid="status-history")["body"]
    assert history[:3] == [
        ["2025年6月", "正常推进", "正常推进", "已通过"],
        ["2025年5月", "进度滞后", "进度滞后", "已通过"],
        ["2025年4月", "未报送", "—", "未填"],
    ]


def test_target_derived_lists_the_projects_it_sums(client, small, leader):
    signed = f.target(
        small.signing.programme,
        code="1.4",
        title="主导产业签约额",
        source="signed_amount",
        target_value=D(50),
        lead_department=small.fgw,
    )
    big = f.project(
        small.year,
        small.signing.programme,
        code="P-1",
        name="智能装备产业园",
        signed_amount=D("12.5"),
        signed_on=date(2025, 2, 10),
        lead_department=small.fgw,
    )
    f.project(
        small.year,
        small.signing.programme,
        code="P-2",
        name="检验检测中心",
        signed_amount=D("3"),
        signed_on=date(2025, 5, 3),
        lead_department=small.jyj,
    )
    snapshots.recompute_plan_year(plan_year=small.year, today=TODAY)
    html = get(client, f"/targets/{signed.pk}/")
    assert texts_of(html, "target-actual") == ["15.5亿元"]
    assert "由重点项目台账自动汇总：新引进项目签约额（亿元）" in html
    assert html_table(html, data_testid="contributors")["body"] == [
        ["P-1", "智能装备产业园", "区发改委", "12.5"],
        ["P-2", "检验检测中心", "区教育局", "3"],
    ]
    assert f'href="/projects/{big.pk}/"' in html
    # In March only the February signing counts.
    html = get(client, f"/targets/{signed.pk}/?month=2025-03")
    assert html_table(html, data_testid="contributors")["body"] == [
        ["P-1", "智能装备产业园", "区发改委", "12.5"]
    ]
    assert KeyProject.objects.count() == 2


def test_derived_target_lists_the_largest_twenty_and_counts_all(client, demo, leader):
    from targets.models import Target

    target = Target.objects.get(code="3.2")  # the total investment of 356 projects
    html = get(client, f"/targets/{target.pk}/")
    assert "截至2025年10月末共 356 个项目，合计 2409.2亿元。" in html
    rows = html_table(html, data_testid="contributors")["body"]
    amounts = [D(row[3]) for row in rows]
    assert (len(rows), amounts) == (20, sorted(amounts, reverse=True))
    largest = KeyProject.objects.aggregate(m=Max("total_investment"))["m"]
    assert amounts[0] == largest
    assert "仅列出金额最大的 20 个" in html


def test_target_unknown_is_not_found(client, small, leader):
    assert client.get("/targets/999999/").status_code == 404


# --- who may see them -------------------------------------------------------------------


PAGES = ["/", "/programmes/1/", "/projects/"]


@pytest.mark.parametrize("url", PAGES)
def test_dashboards_send_anonymous_users_to_login(client, small, url):
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (302, f"/login/?next={url}")


def test_target_page_sends_anonymous_users_to_login(client, small):
    url = f"/targets/{small.signing.pk}/"
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (302, f"/login/?next={url}")


# (A user without a role has no session at all: tests/org/test_login.py.)
@pytest.mark.parametrize("role", [Role.LEADER, Role.REVIEWER, Role.STAFF])
def test_dashboards_show_staff_users_no_admin_links(client, small, role):
    user = User.objects.create_user("staff-user", password="pw-Zhongyuan-1", is_staff=True)
    Profile.objects.create(
        user=user, role=role, department=small.fgw if role == Role.STAFF else None
    )
    f.login(client, user)
    for url in [*PAGES, f"/targets/{small.signing.pk}/"]:
        html = get(client, url)
        assert re.findall(r'href="/admin[^"]*"', html) == [], url


def test_dashboards_show_admins_the_admin_link(client, small):
    f.login(client, f.user("admin-1", Role.ADMIN))
    assert re.findall(r'href="(/admin[^"]*)"', get(client, "/")) == ["/admin/"]


def test_overview_figures_are_valid_json(client, small, leader):
    html = get(client, "/")
    for payload in re.findall(r'<script id="[^"]+" type="application/json">(.*?)</script>', html):
        assert set(json.loads(payload)) == {"data", "layout"}


@pytest.mark.parametrize(
    "url",
    [
        "/?month=",
        "/?month=2025-00",
        "/?month=99999-01",
        "/?month=-1--1",
        "/programmes/1/?sort=nonexistent",
        "/programmes/1/?month=abcd&export=csv",
    ],
)
def test_dashboards_survive_malformed_parameters(client, small, leader, url):
    assert client.get(url).status_code == 200


def test_programme_table_sorts_by_status_most_urgent_first(client, demo, leader):
    html = get(client, "/programmes/5/?sort=status")
    table = html_table(html)
    column = table["head"][0].index("状态")
    statuses = [row[column] for row in table["body"]]
    # 5.7 KPL常规赛 (a year-end milestone added by the undated-sentence rule) is done too
    assert statuses == ["逾期未完成", "逾期完成", "已完成", "已完成", "已完成", "已完成", "已完成"]


def test_overview_bar_labels_sit_above_the_marks_and_never_under_the_plan_marker(
    client, small, leader
):
    figure = client.get("/").context["figures"]["completion"]
    labels = figure["layout"]["annotations"]
    # 产业集群 33.3% under a 50.0% 序时: its label goes above the marker, not the bar
    assert [(a["x"], a["y"], a["text"]) for a in labels] == [
        ("产业集群", 50.0, "33.3%"),
        ("民生保障", 100.0, "50.0%"),
    ]
    assert all(a["yanchor"] == "bottom" and a["yshift"] > 0 for a in labels)
    assert "text" not in figure["data"][0]
