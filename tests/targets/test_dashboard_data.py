"""The small year the dashboard tests read, and its figures computed by hand.

Two programmes, three targets, computed on 2025-07-10 (June's report is due by 5 July,
so January–June have snapshots and June's report is due):

- 1.1 签约额 400亿元 (区发改委), cumulative, reports March 100 and June 100→200.
  March: 100/400 = 25.0% against 序时 3/12 = 25.0%, 正常推进.
  June: 200/400 = 50.0% against 50.0%, 正常推进.
- 1.2 新建学校 12所 (区教育局), cumulative, reports March 1 and June 2.
  March: 1/12 = 8.3% against 25.0%, 16.7 points behind, 严重滞后.
  June: 2/12 = 16.7% against 50.0%, 33.3 points behind, 严重滞后.
- 2.1 验收 by 30 June (区教育局), milestone, reports March 50%.
  March: 50.0% against 序时 3/6 = 50.0%, 正常推进.
  June: 50.0% against 100%; June's report is missing: 未报送.

Programme 1 (产业集群) = mean of 1.1 and 1.2: March (0.25 + 0.0833) / 2 = 16.7% against
25.0%; June (0.5 + 0.1667) / 2 = 33.3% against 50.0%. Programme 2 (民生保障) = 2.1.
The year = mean of all three: March (0.25 + 0.0833 + 0.5) / 3 = 27.8% against
(0.25 + 0.25 + 0.5) / 3 = 33.3%; June (0.5 + 0.1667 + 0.5) / 3 = 38.9% against
(0.5 + 0.5 + 1) / 3 = 66.7%.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal as D
from html.parser import HTMLParser

import pytest

from org.models import Department
from targets import snapshots
from targets.models import Kind, PlanYear, ProgrammeSnapshot, Target, TargetSnapshot
from tests import factories as f

TODAY = date(2025, 7, 10)
MARCH, JUNE = date(2025, 3, 1), date(2025, 6, 1)


@dataclass
class SmallYear:
    year: PlanYear
    fgw: Department
    jyj: Department
    signing: Target
    schools: Target
    acceptance: Target


def build_small_year() -> SmallYear:
    """Build the year above and compute its snapshots as of ``TODAY``."""
    year = f.plan_year()
    fgw = f.department("fgw", name="区发展和改革委员会", short_name="区发改委", sort_order=1)
    jyj = f.department("jyj", name="区教育局", short_name="区教育局", sort_order=2)
    industry = f.programme(year, 1, name="深化现代化产业集群建设工程", short_name="产业集群")
    livelihood = f.programme(year, 2, name="民生保障工程", short_name="民生保障")
    signing = f.target(
        industry,
        code="1.1",
        title="新引进项目签约额",
        unit="亿元",
        target_value=D(400),
        lead_department=fgw,
        sort_order=1,
    )
    schools = f.target(
        industry,
        code="1.2",
        title="新建中小学、幼儿园",
        unit="所",
        target_value=D(12),
        lead_department=jyj,
        sort_order=2,
    )
    acceptance = f.target(
        livelihood,
        code="2.1",
        title="街道改革通过验收",
        kind=Kind.MILESTONE,
        unit="",
        baseline=None,
        target_value=None,
        deadline=date(2025, 6, 30),
        lead_department=jyj,
    )
    f.entry(signing, MARCH, value=D(100), narrative="一季度签约100亿元。")
    f.entry(signing, JUNE, value=D(200), narrative="上半年签约200亿元。")
    f.entry(schools, MARCH, value=D(1), problems="征地滞后。", next_steps="加快征地。")
    f.entry(schools, JUNE, value=D(2))
    f.entry(acceptance, MARCH, percent=D(50))
    snapshots.recompute_plan_year(plan_year=year, today=TODAY)
    return SmallYear(year, fgw, jyj, signing, schools, acceptance)


pytestmark = pytest.mark.django_db


def _target(target: Target, period: date) -> tuple:
    s = TargetSnapshot.objects.get(target=target, period=period)
    return s.status, s.ratio, s.expected


def test_small_year_targets_are_as_computed_by_hand():
    small = build_small_year()
    assert _target(small.signing, MARCH) == ("on_track", D("0.25"), D("0.25"))
    assert _target(small.schools, MARCH) == ("behind", D("0.0833"), D("0.25"))
    assert _target(small.acceptance, MARCH) == ("on_track", D("0.5"), D("0.5"))
    assert _target(small.signing, JUNE) == ("on_track", D("0.5"), D("0.5"))
    assert _target(small.schools, JUNE) == ("behind", D("0.1667"), D("0.5"))
    assert _target(small.acceptance, JUNE) == ("not_reported", D("0.5"), D("1"))


def test_small_year_aggregates_are_as_computed_by_hand():
    small = build_small_year()
    rows = {
        (s.programme.short_name if s.programme else "全年", s.period): (s.ratio, s.expected)
        for s in ProgrammeSnapshot.objects.filter(period__in=[MARCH, JUNE]).select_related(
            "programme"
        )
    }
    assert rows == {
        ("全年", MARCH): (D("0.2778"), D("0.3333")),
        ("全年", JUNE): (D("0.3889"), D("0.6667")),
        ("产业集群", MARCH): (D("0.1667"), D("0.25")),
        ("产业集群", JUNE): (D("0.3334"), D("0.5")),
        ("民生保障", MARCH): (D("0.5"), D("0.5")),
        ("民生保障", JUNE): (D("0.5"), D("1")),
    }
    assert small.year.snapshots.filter(period=JUNE).count() == 3


# --- reading rendered pages ---------------------------------------------------------


class _Tables(HTMLParser):
    """Collects every <table>'s header and body rows as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self._stack: list[dict] = []
        self._section = ""
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            table = {"attrs": dict(attrs), "head": [], "body": [], "foot": []}
            self.tables.append(table)
            self._stack.append(table)
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = {"thead": "head", "tbody": "body", "tfoot": "foot"}[tag]
        elif tag == "tr" and self._stack:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._stack[-1][self._section or "body"].append(self._row)
            self._row = None
        elif tag == "table" and self._stack:
            self._stack.pop()

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def html_tables(html: str) -> list[dict]:
    """Every table of a page: {"attrs", "head", "body", "foot"}, cells as shown."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def html_table(html: str, **attrs: str) -> dict:
    """The one table whose attributes include ``attrs`` (data_testid= for data-testid)."""
    wanted = {k.replace("_", "-"): v for k, v in attrs.items()}
    found = [t for t in html_tables(html) if wanted.items() <= t["attrs"].items()]
    assert len(found) == 1, f"{len(found)} tables match {wanted}"
    return found[0]


def texts_of(html: str, testid: str) -> list[str]:
    """The text of each element carrying ``data-testid="<testid>"`` (no nested tags)."""
    return [" ".join(t.split()) for t in re.findall(rf'data-testid="{testid}"[^>]*>([^<]*)<', html)]


def programme_cards(html: str) -> dict[str, str]:
    """Programme number → the completion its overview card shows."""
    return dict(
        re.findall(r'data-programme="(\d+)".*?data-testid="programme-ratio">([^<]*)<', html, re.S)
    )
