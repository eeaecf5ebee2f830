"""The key-project list (filters, totals of the filtered set, pages, charts, exports)
and a project's page, on the small year of tests/targets/test_dashboard_data.py.

Three projects, hand-computed (only submitted and approved reports count):

- P-1 智能装备产业园, programme 1, 在建, total 10, plan 2; reports Jan 0.2 approved,
  Feb 0.3 submitted, Mar 0.5 draft, Apr 0.4 returned, May 0.6 approved: 0.5 by March,
  1.1 by June.
- P-2 须水河道路提升工程, programme 1, 开工, total 5.5, plan 1.5; reports Jan 0.1 and
  Jun 0.9, submitted: 0.1 by March, 1 by June.
- P-3 (a formula-like name), programme 2, 谋划, no amounts, no reports.

All three: 15.5 total, 3.5 planned, 0.6 completed by March and 2.1 by June (60.0%).
"""

import csv
import io
from datetime import date
from decimal import Decimal as D

import openpyxl
import pytest

from org.models import Role
from projects.models import Category, Stage
from targets.exports import HEADER_ROW
from targets.models import EntryState
from tests import factories as f
from tests.targets.test_dashboard_data import TODAY, build_small_year, html_table, texts_of

pytestmark = pytest.mark.django_db

FORMULA_NAME = "=cmd|' /C calc'!A0"


@pytest.fixture
def year(settings, client):
    settings.SITE_TODAY = TODAY
    client.force_login(f.user("leader-1", Role.LEADER))
    small = build_small_year()
    industry, livelihood = small.signing.programme, small.acceptance.programme
    p1 = f.project(
        small.year,
        industry,
        code="P-1",
        name="智能装备产业园",
        lead_department=small.fgw,
        stage=Stage.UNDER_CONSTRUCTION,
        category=Category.INDUSTRY,
        total_investment=D(10),
        annual_plan=D(2),
        leading_industry=True,
        national_reserve_on=date(2025, 3, 1),
    )
    for month, amount, state in [
        (1, "0.2", EntryState.APPROVED),
        (2, "0.3", EntryState.SUBMITTED),
        (3, "0.5", EntryState.DRAFT),
        (5, "0.6", EntryState.APPROVED),
    ]:
        f.progress(p1, date(2025, month, 1), investment=D(amount), state=state, notes=f"{month}月")
    f.progress(
        p1,
        date(2025, 4, 1),
        investment=D("0.4"),
        state=EntryState.RETURNED,
        return_reason="金额与统计不符。",
    )
    p2 = f.project(
        small.year,
        industry,
        code="P-2",
        name="须水河道路提升工程",
        lead_department=small.jyj,
        stage=Stage.STARTED,
        category=Category.INFRASTRUCTURE,
        total_investment=D("5.5"),
        annual_plan=D("1.5"),
    )
    f.progress(p2, date(2025, 1, 1), investment=D("0.1"))
    f.progress(p2, date(2025, 6, 1), investment=D("0.9"))
    p3 = f.project(
        small.year,
        livelihood,
        code="P-3",
        name=FORMULA_NAME,
        lead_department=small.jyj,
        stage=Stage.PLANNING,
        category=Category.PUBLIC_SERVICE,
    )
    return {"small": small, "p1": p1, "p2": p2, "p3": p3}


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def totals(html: str) -> list[str]:
    return [
        *texts_of(html, "total-count"),
        *texts_of(html, "total-investment"),
        *texts_of(html, "total-annual-plan"),
        *texts_of(html, "total-invested"),
    ]


def codes(html: str) -> list[str]:
    return [row[0] for row in html_table(html, **{"class": "data"})["body"]]


def test_project_list_shows_every_project_and_the_totals(client, year):
    html = page(client, "/projects/")
    table = html_table(html, **{"class": "data"})
    assert table["head"][0] == [
        "项目编号",
        "项目名称",
        "所属工程",
        "责任单位",
        "类别",
        "阶段",
        "总投资（亿元）",
        "年度计划投资（亿元）",
        "本年完成投资（亿元）",
        "完成年度计划",
        "主导产业",
        "入国家库日期",
    ]
    assert table["body"] == [
        [
            *("P-1", "智能装备产业园", "产业集群", "区发改委", "产业项目", "在建"),
            *("10", "2", "1.1", "55.0%", "是", "2025年3月1日"),
        ],
        [
            *("P-2", "须水河道路提升工程", "产业集群", "区教育局", "基础设施", "开工"),
            *("5.5", "1.5", "1", "66.7%", "否", "—"),
        ],
        [
            *("P-3", FORMULA_NAME, "民生保障", "区教育局", "社会民生", "谋划"),
            *("—", "—", "—", "—", "否", "—"),
        ],
    ]
    assert table["foot"] == [["合计", "3 个项目", "", "", "", "", "15.5", "3.5", "2.1", "", "", ""]]
    assert totals(html) == ["3", "15.5亿元", "3.5亿元", "2.1亿元"]
    assert f'href="/projects/{year["p1"].pk}/"' in html


def test_project_list_as_of_march_counts_to_march(client, year):
    html = page(client, "/projects/?month=2025-03")
    assert totals(html) == ["3", "15.5亿元", "3.5亿元", "0.6亿元"]
    rows = html_table(html, **{"class": "data"})["body"]
    assert [(r[0], r[8], r[9]) for r in rows] == [
        ("P-1", "0.5", "25.0%"),
        ("P-2", "0.1", "6.7%"),
        ("P-3", "—", "—"),
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stage=under_construction", ["P-1"]),
        ("category=infrastructure", ["P-2"]),
        ("leading_industry=yes", ["P-1"]),
        ("leading_industry=no", ["P-2", "P-3"]),
        ("national_reserve=yes", ["P-1"]),
        ("national_reserve=no", ["P-2", "P-3"]),
        ("q=道路", ["P-2"]),
        ("q=p-3", ["P-3"]),
        ("q=  ", ["P-1", "P-2", "P-3"]),
    ],
)
def test_project_list_filters(client, year, query, expected):
    assert codes(page(client, f"/projects/?{query}")) == expected


def test_project_list_filters_by_programme_and_department(client, year):
    livelihood = year["small"].acceptance.programme
    assert codes(page(client, f"/projects/?programme={livelihood.pk}")) == ["P-3"]
    jyj = year["small"].jyj
    assert codes(page(client, f"/projects/?lead_department={jyj.pk}")) == ["P-2", "P-3"]


def test_project_list_totals_cover_the_filtered_set_not_the_page(client, year):
    html = page(client, "/projects/?stage=&national_reserve=&q=&per_page=1&page=2&sort=code")
    assert codes(html) == ["P-2"]
    assert totals(html) == ["3", "15.5亿元", "3.5亿元", "2.1亿元"]
    foot = html_table(html, **{"class": "data"})["foot"][0]
    assert (foot[1], foot[6], foot[7], foot[8]) == ("3 个项目", "15.5", "3.5", "2.1")
    html = page(client, "/projects/?programme=&leading_industry=no&per_page=1&page=1")
    assert codes(html) == ["P-2"]
    assert totals(html) == ["2", "5.5亿元", "1.5亿元", "1亿元"]


def test_project_list_charts_follow_the_filters(client, year):
    figures = client.get("/projects/?stage=under_construction").context["figures"]
    monthly, cumulative, plan, annual = figures["investment"]["data"]
    assert monthly["x"] == ["1月", "2月", "3月", "4月", "5月", "6月"]
    assert monthly["y"] == [0.2, 0.3, 0, 0, 0.6, 0]
    assert cumulative["y"] == [0.2, 0.5, 0.5, 0.5, 1.1, 1.1]
    # The plan line spreads the annual plan (2) evenly over twelve months.
    assert (plan["y"][0], plan["y"][5], plan["y"][11], annual["y"]) == (0.17, 1.0, 2.0, [2.0, 2.0])
    stages = figures["stages"]["data"][0]
    assert (stages["x"], stages["y"]) == (
        ["谋划", "签约", "开工", "在建", "竣工投产"],
        [0, 0, 0, 1, 0],
    )


def test_project_list_charts_say_there_is_nothing_when_the_filter_matches_nothing(client, year):
    html = page(client, "/projects/?q=没有这个项目")
    # Neither a flat zero line nor bare axis ticks: both charts say so in words.
    assert html.count('data-testid="chart-empty"') == 2
    assert 'data-chart="chart-investment"' not in html


def test_project_list_export_has_every_filtered_row(client, year):
    response = client.get("/projects/?leading_industry=no&per_page=1&export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(min_row=HEADER_ROW, values_only=True)]
    assert rows[0][:3] == ["项目编号", "项目名称", "所属工程"]
    # The rows, then the page's totals row (tests/targets/test_export_layout.py).
    assert rows[1:-1] == [
        [
            *("P-2", "须水河道路提升工程", "产业集群", "区教育局", "基础设施", "开工"),
            *(5.5, 1.5, 1, 0.667, "否", None),
        ],
        [
            *("P-3", "'" + FORMULA_NAME, "民生保障", "区教育局", "社会民生", "谋划"),
            *(None, None, None, None, "否", None),
        ],
    ]
    assert sheet[f"B{HEADER_ROW + 2}"].data_type == "s"


def test_project_list_csv_matches_the_page(client, year):
    html = page(client, "/projects/?month=2025-03&sort=-invested")
    shown = html_table(html, **{"class": "data"})["body"]
    content = client.get("/projects/?month=2025-03&sort=-invested&export=csv").content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    expected = [[cell.replace("—", "") for cell in row] for row in shown]
    expected[-1][1] = "'" + FORMULA_NAME  # the one cell written so it cannot run
    assert rows[1:] == expected
    assert [r[0] for r in rows[1:]] == ["P-1", "P-2", "P-3"]


def test_project_page_shows_its_year(client, year):
    html = page(client, f"/projects/{year['p1'].pk}/")
    assert texts_of(html, "project-invested") == ["1.1亿元"]
    assert texts_of(html, "project-plan-ratio") == ["55.0%"]
    rows = html_table(html, data_testid="progress")["body"]
    assert [(r[0], r[1], r[2], r[7]) for r in rows] == [
        ("2025年5月", "0.6", "1.1", "已通过"),
        ("2025年4月", "0.4", "0.5", "已退回 金额与统计不符。"),
        ("2025年2月", "0.3", "0.5", "已提交"),
        ("2025年1月", "0.2", "0.2", "已通过"),
    ]


def test_project_page_as_of_march_stops_at_march(client, year):
    html = page(client, f"/projects/{year['p1'].pk}/?month=2025-03")
    assert texts_of(html, "project-invested") == ["0.5亿元"]
    rows = html_table(html, data_testid="progress")["body"]
    assert [r[0] for r in rows] == ["2025年2月", "2025年1月"]


def test_project_page_without_reports_says_so(client, year):
    html = page(client, f"/projects/{year['p3'].pk}/")
    assert texts_of(html, "project-invested") == ["—"]
    assert "截至2025年6月尚无已提交的月度进展。" in html


def test_project_pages_need_a_login(client, year):
    client.logout()
    for url in ["/projects/", f"/projects/{year['p1'].pk}/"]:
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, f"/login/?next={url}")


def test_project_page_unknown_is_not_found(client, year):
    assert client.get("/projects/999999/").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=999",
        "per_page=-3",
        "per_page=100000",
        "sort=nonexistent",
        "programme=abc",
        "lead_department=999999",
        "stage=nonsense",
        "month=2025-00",
        "export=exe",
    ],
)
def test_project_list_survives_malformed_parameters(client, year, query):
    assert client.get(f"/projects/?{query}").status_code == 200
