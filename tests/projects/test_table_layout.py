"""How the tables lay out, on the project list of test_project_pages.py: numbers in
right-aligned cells with the unit in the header, long names in one cut line with the
whole name on hover, projects without figures after those with, and department names
linked only for a user who may open the department's page."""

import re
from html.parser import HTMLParser

import pytest

from org.models import Role
from projects.models import Stage
from tests import factories as f
from tests.projects.test_project_pages import year  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


class _Cells(HTMLParser):
    """The first table.data: each row as [(tag, classes, text)]."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[list]] = []
        self.depth = 0
        self.done = False
        self.cell = None

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if tag == "table" and "data" in (attrs.get("class") or "").split() and not self.done:
            self.depth = 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = [tag, set((attrs.get("class") or "").split()), ""]
            self.rows[-1].append(self.cell)
        elif self.cell is not None and attrs.get("title"):
            self.cell.append(attrs["title"])

    def handle_endtag(self, tag) -> None:
        if tag == "table" and self.depth:
            self.depth, self.done = 0, True
        elif tag in ("td", "th"):
            self.cell = None

    def handle_data(self, data) -> None:
        if self.cell is not None:
            self.cell[2] += data.strip()


def rows(html: str) -> list[list[list]]:
    parser = _Cells()
    parser.feed(html)
    return parser.rows


def codes(html: str) -> list[str]:
    return [row[0][2] for row in rows(html)[1:] if row[0][0] == "td" and row[0][2] != "合计"]


def test_numbers_are_right_aligned_under_a_header_with_the_unit(client, year):  # noqa: F811
    table = rows(client.get("/projects/").content.decode())
    head = table[0]
    numeric = [i for i, (_, classes, *_) in enumerate(head) if "num" in classes]
    assert [head[i][2] for i in numeric] == [
        "总投资（亿元）",
        "年度计划投资（亿元）",
        "本年完成投资（亿元）",
        "完成年度计划",
    ]
    for row in table[1:]:
        assert [i for i, (_, classes, *_) in enumerate(row) if "num" in classes] == numeric
        for i in numeric:  # a number or the dash, nothing else (the totals row may be empty)
            if row[0][2] == "合计" and not row[i][2]:
                continue
            assert re.fullmatch(r"—|-?\d+(\.\d+)?%?", row[i][2]), row[i]


def test_a_long_name_is_one_cut_line_with_the_whole_name_on_hover(client, year):  # noqa: F811
    html = client.get("/projects/").content.decode()
    assert (
        f'<td class="cell-name"><a class="trunc" href="/projects/{year["p1"].pk}/" '
        'title="智能装备产业园">智能装备产业园</a></td>'
    ) in html
    # 牵头单位 is the glossary's short name, never cut, the full name on hover.
    dept = next(row[3] for row in rows(html)[1:] if row[0][2] == "P-1")
    assert dept[:3] == ["td", {"nowrap"}, "区发改委"]
    assert dept[3] == year["small"].fgw.name


def test_a_phone_drops_the_low_priority_columns_only(client, year):  # noqa: F811
    head = rows(client.get("/projects/").content.decode())[0]
    assert [cell[2] for cell in head if "col-low" in cell[1]] == [
        "所属工程",
        "类别",
        "总投资（亿元）",
        "主导产业",
        "入国家库日期",
    ]


@pytest.fixture
def unfigured(year):  # noqa: F811
    """P-0: named in the report, no figures yet; its code sorts before every other."""
    small = year["small"]
    return f.project(
        small.year,
        small.signing.programme,
        code="P-0",
        name="仅列名项目",
        lead_department=small.jyj,
        stage=Stage.PLANNING,
    )


def test_projects_without_figures_come_after_those_with(client, year, unfigured):  # noqa: F811
    html = client.get("/projects/").content.decode()
    assert codes(html) == ["P-1", "P-2", "P-0", "P-3"]
    # Sorting by an amount puts empty cells last either way.
    for sort in ("annual_plan", "-annual_plan", "invested", "-invested"):
        found = codes(client.get(f"/projects/?sort={sort}").content.decode())
        assert found[2:] == ["P-0", "P-3"], sort


def test_the_department_page_lists_projects_with_figures_first(client, year, unfigured):  # noqa: F811
    jyj = year["small"].jyj
    html = client.get(f"/departments/{jyj.pk}/").content.decode()
    section = html[html.index('data-testid="department-projects"') :]
    found = re.findall(r'title="(P-\d) ', section)
    assert found == ["P-2", "P-0", "P-3"]


def test_staff_meet_no_link_to_another_departments_page(client, year):  # noqa: F811
    small = year["small"]
    client.force_login(f.user("staff-jyj", Role.STAFF, dept=small.jyj))
    html = client.get("/projects/").content.decode()
    own = f'<a class="department" href="/departments/{small.jyj.pk}/"'
    other = f'href="/departments/{small.fgw.pk}/"'
    assert own in html
    assert other not in html
    assert f'<span class="department" title="{small.fgw.name}">区发改委</span>' in html
    # The overview's tables too.
    overview = client.get("/?month=2025-06").content.decode()
    assert other not in overview
    assert client.get(f"/departments/{small.fgw.pk}/").status_code == 403
