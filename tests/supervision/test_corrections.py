"""A correction after a month closed is shown where figures are read: on the target
page, as a line on the overview and in the next month's bulletin, while the closed
month's snapshot and its published bulletin stay as they were. On the reporting
tests' small world, moved on to December 2025 (October and November have ended)."""

from datetime import date, datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from django.db.models import F

from supervision import bulletin, closing, prose, queries, services
from targets.models import ClosedMonth, ProgressEntry, TargetSnapshot
from targets.snapshots import recompute_plan_year
from tests import factories as f
from tests.reporting.conftest import world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
OCTOBER, NOVEMBER = date(2025, 10, 1), date(2025, 11, 1)
OCTOBER_CLOSED = datetime(2025, 11, 3, 9, 0, tzinfo=SHANGHAI)
CORRECTED = datetime(2025, 11, 5, 10, 30, tzinfo=SHANGHAI)
NOVEMBER_CLOSED = datetime(2025, 12, 3, 9, 0, tzinfo=SHANGHAI)
NOTE = (
    "关账后更正：10月数据于2025年11月5日更正（第2版），已计入11月及以后的累计数；"
    "已发布的10月通报不变。"
)


def _close(world, period, today, closed_at, capture):  # noqa: F811
    with capture(execute=True):
        closing.close_through(
            plan_year=world.year, through=period, user=world.users["reviewer"], today=today
        )
    # The closing's moment, fixed: the bulletin's window is read from it.
    ClosedMonth.objects.filter(plan_year=world.year, period=period).update(closed_at=closed_at)


@pytest.fixture
def october_closed(world, settings, django_capture_on_commit_callbacks):  # noqa: F811
    """8.1 reported January to October (30 a month), computed, closed through October;
    October's bulletin published."""
    settings.SITE_TODAY = date(2025, 12, 10)
    for month in range(1, 11):
        f.entry(
            world.cumulative,
            date(2025, month, 1),
            value=D(30 * month),
            submitted_at=datetime(2025, month, 3, tzinfo=SHANGHAI),
        )
    recompute_plan_year(plan_year=world.year, today=date(2025, 11, 3))
    _close(world, OCTOBER, date(2025, 11, 3), OCTOBER_CLOSED, django_capture_on_commit_callbacks)
    return world


def _correct_october(world):  # noqa: F811
    """The department corrects October's figure after the month closed (a new version)."""
    ProgressEntry.objects.filter(target=world.cumulative, period=OCTOBER).update(
        value=D(330), version=F("version") + 1, submitted_at=CORRECTED
    )
    recompute_plan_year(plan_year=world.year, today=date(2025, 12, 3))
    return ProgressEntry.objects.get(target=world.cumulative, period=OCTOBER)


def _october_snapshot():
    return list(TargetSnapshot.objects.filter(period=OCTOBER).order_by("target_id").values())


def test_a_correction_after_closing_is_shown_where_figures_are_read(
    october_closed, django_capture_on_commit_callbacks
):
    world = october_closed  # noqa: F811 (the world, October closed)
    reviewer = world.users["reviewer"]
    draft = services.generate_bulletin(
        plan_year=world.year, period=OCTOBER, user=reviewer, number=10
    )
    published = services.publish_bulletin(bulletin_row=draft, user=reviewer)
    published_bytes = published.file.open("rb").read()
    frozen = _october_snapshot()
    leader = world.client("leader")
    target_url = f"/targets/{world.cumulative.pk}/"
    assert "关账后更正" not in leader.get(target_url).content.decode()
    assert "项更正" not in leader.get("/").content.decode()

    entry = _correct_october(world)

    # October as closed: its snapshot and its published bulletin unchanged.
    assert _october_snapshot() == frozen
    assert TargetSnapshot.objects.get(target=world.cumulative, period=OCTOBER).actual == D(300)
    assert TargetSnapshot.objects.get(target=world.cumulative, period=NOVEMBER).actual == D(330)
    published.refresh_from_db()
    assert published.file.open("rb").read() == published_bytes
    again = services.generate_bulletin(
        plan_year=world.year, period=OCTOBER, user=reviewer, number=10
    )
    assert again.text_digest == published.text_digest

    # The target page says so, with a link to the entry (its history).
    page = leader.get(target_url).content.decode()
    panel = page.split('data-testid="corrections-panel"')[1].split("</section>")[0]
    assert NOTE in panel
    assert f'href="/report/target/{world.cumulative.pk}/2025-10/"' in panel
    # A department that may not read the entry sees the note without the link.
    other = world.client("other_staff").get(target_url).content.decode()
    assert NOTE in other and "/report/target/" not in other.split("corrections-panel")[1]

    # The overview: one line, to the months page.
    overview = leader.get("/").content.decode()
    line = overview.split('data-testid="corrections-line"')[1].split("</p>")[0]
    assert "已关账月份有 1 项更正" in line and 'href="/supervision/months/"' in line

    # November's bulletin mentions it; October's, regenerated, does not.
    _close(world, NOVEMBER, date(2025, 12, 3), NOVEMBER_CLOSED, django_capture_on_commit_callbacks)
    november = services.generate_bulletin(plan_year=world.year, period=NOVEMBER, user=reviewer)
    text = bulletin.document_text(november.file.open("rb").read())
    assert (
        f"上月通报数据更正：8.1{world.cumulative.title}，10月数据于2025年11月5日更正（第2版）。"
        "更正后的数据已计入本月累计数，已发布的通报不变。"
    ) in text
    assert "上月通报数据更正" not in bulletin.document_text(again.file.open("rb").read())
    # The month is corrected once: it is the entry the note and the bulletin name.
    fixes = queries.corrections(plan_year=world.year, periods=[OCTOBER], target=world.cumulative)
    assert [(c.entry_id, c.version) for c in fixes[OCTOBER]] == [(entry.pk, entry.version)]


def test_a_correction_before_the_last_bulletin_is_not_repeated(
    october_closed, django_capture_on_commit_callbacks
):
    """A correction shows in the first bulletin written after it, not in every later
    one: December's window starts when November closed."""
    world = october_closed  # noqa: F811 (the world, October closed)
    _correct_october(world)
    _close(world, NOVEMBER, date(2025, 12, 3), NOVEMBER_CLOSED, django_capture_on_commit_callbacks)
    november = queries.bulletin_data(plan_year=world.year, period=NOVEMBER)
    assert [(c.code, c.period, c.version) for c in november.corrections] == [("8.1", OCTOBER, 2)]
    # Before the correction was submitted (a window that ends earlier): nothing.
    ClosedMonth.objects.filter(plan_year=world.year, period=NOVEMBER).update(
        closed_at=datetime(2025, 11, 4, 9, 0, tzinfo=SHANGHAI)
    )
    assert queries.bulletin_data(plan_year=world.year, period=NOVEMBER).corrections == []


def test_reopening_and_closing_again_takes_the_correction_in(
    october_closed, django_capture_on_commit_callbacks
):
    """Through an audited reopening the month is recomputed from the corrected entry:
    it is no longer a correction, on the page or the overview."""
    world = october_closed  # noqa: F811 (the world, October closed)
    _correct_october(world)
    row = ClosedMonth.objects.get(plan_year=world.year, period=OCTOBER)
    closing.reopen_month(closed_month=row, user=world.users["reviewer"], reason="补正10月数据")
    recompute_plan_year(plan_year=world.year, today=date(2025, 12, 3))
    _close(world, OCTOBER, date(2025, 12, 3), NOVEMBER_CLOSED, django_capture_on_commit_callbacks)
    assert TargetSnapshot.objects.get(target=world.cumulative, period=OCTOBER).actual == D(330)
    assert queries.corrections(plan_year=world.year, periods=[OCTOBER]) == {}
    leader = world.client("leader")
    assert "关账后更正" not in leader.get(f"/targets/{world.cumulative.pk}/").content.decode()
    assert "项更正" not in leader.get("/").content.decode()


def test_the_overviews_count_of_corrections_follows_with_the_page_cache_on(
    october_closed, page_cache, django_capture_on_commit_callbacks
):
    """The count is kept under the year's generation: the correction's recompute and
    the reopening each retire it, so the overview never shows a stale count."""
    world = october_closed  # noqa: F811 (the world, October closed)
    leader = world.client("leader")
    assert "项更正" not in leader.get("/").content.decode()
    assert "项更正" not in leader.get("/").content.decode()  # from the cache
    with django_capture_on_commit_callbacks(execute=True):
        _correct_october(world)
    assert "已关账月份有 1 项更正" in leader.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        closing.reopen_month(
            closed_month=ClosedMonth.objects.get(plan_year=world.year, period=OCTOBER),
            user=world.users["reviewer"],
            reason="补正10月数据",
        )
    assert "项更正" not in leader.get("/").content.decode()


@pytest.mark.parametrize(
    ("period", "corrected_on", "version", "published", "text"),
    [
        (OCTOBER, date(2025, 11, 5), 2, True, NOTE),
        (
            OCTOBER,
            date(2025, 11, 5),
            3,
            False,
            "关账后更正：10月数据于2025年11月5日更正（第3版），已计入11月及以后的累计数；"
            "10月通报仍以关账时的数据为准。",
        ),
        (
            date(2025, 12, 1),
            date(2026, 1, 6),
            2,
            True,
            "关账后更正：12月数据于2026年1月6日更正（第2版）；已发布的12月通报不变。",
        ),
        (
            OCTOBER,
            None,
            1,
            True,
            "关账后更正：10月数据关账后更正（第1版），已计入11月及以后的累计数；"
            "已发布的10月通报不变。",
        ),
    ],
)
def test_correction_note(period, corrected_on, version, published, text):
    assert prose.correction_note(period, corrected_on, version, published=published) == text


def test_corrections_sentence():
    assert prose.corrections_sentence([]) == ""
    items = [
        prose.CorrectedItem("8.1", "棚户区改造（征收）", OCTOBER, date(2025, 11, 5), 2),
        prose.CorrectedItem("8.10", "新建学校", NOVEMBER, date(2025, 12, 2), 4),
    ]
    assert prose.corrections_sentence(items) == (
        "上月通报数据更正：8.1棚户区改造（征收），10月数据于2025年11月5日更正（第2版）；"
        "8.10新建学校，11月数据于2025年12月2日更正（第4版）。"
        "更正后的数据已计入本月累计数，已发布的通报不变。"
    )
