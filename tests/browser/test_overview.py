"""The overview in real headless Chromium: a leader logs in, every chart draws, nothing
errors in the console and no request leaves the machine. Screenshots go to
test-artifacts/overview.png (and overview-phone.png, overview.pdf for print).

Skipped where Chromium is not installed, unless REQUIRE_SERVICES is set (CI): the
fixtures of tests/browser/conftest.py decide.
"""

import pytest

from projects.demo import DEMO_PASSWORD
from targets.models import ProgrammeSnapshot
from targets.templatetags.zy import format_ratio
from tests.browser.conftest import ARTIFACTS, assert_clean, login, screenshot

pytestmark = pytest.mark.browser

EVERY_CHART_DRAWN = """() => {
  const charts = [...document.querySelectorAll('[data-chart]')];
  return charts.length > 0 && charts.every(el => el.querySelector('svg.main-svg'));
}"""


def test_overview_draws_every_chart_for_a_leader(demo, settings, page):
    settings.DEMO_MODE = True  # demo accounts log in only under the demo switch
    login(page, "leader", DEMO_PASSWORD)
    page.goto("/")
    page.wait_for_function(EVERY_CHART_DRAWN)

    assert page.locator("[data-chart]").count() == 3
    assert page.locator("[data-chart] svg.main-svg").first.is_visible()
    total = ProgrammeSnapshot.objects.filter(plan_year=demo, programme=None).latest("period")
    assert page.get_by_test_id("overall-ratio").inner_text() == format_ratio(total.ratio)
    assert page.locator("[data-programme]").count() == 8
    assert page.locator('[data-programme="3"] [data-testid="programme-ratio"]').inner_text() == (
        format_ratio(ProgrammeSnapshot.objects.get(programme__number=3, period=total.period).ratio)
    )
    assert_clean(page)
    assert screenshot(page, "overview.png").stat().st_size > 0

    # A phone: the cards stack and the charts still draw.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.wait_for_function(EVERY_CHART_DRAWN)
    assert_clean(page)
    screenshot(page, "overview-phone.png")

    # Print on A4: charts.js narrows each chart to the page before printing.
    page.set_viewport_size({"width": 1366, "height": 900})
    page.reload()
    page.wait_for_function(EVERY_CHART_DRAWN)
    page.emulate_media(media="print")
    page.pdf(path=str(ARTIFACTS / "overview.pdf"), format="A4", print_background=True)
    assert_clean(page)


def test_programme_and_target_pages_draw_their_charts(demo, settings, page):
    settings.DEMO_MODE = True
    login(page, "leader", DEMO_PASSWORD)
    page.goto("/")
    page.locator('[data-programme="3"] a.programme-name').click()
    page.wait_for_function(EVERY_CHART_DRAWN)
    page.get_by_role("link", name="重点项目年度完成投资", exact=True).click()
    page.wait_for_function(EVERY_CHART_DRAWN)
    assert page.get_by_test_id("target-ratio").inner_text().endswith("%")
    page.goto("/projects/")
    page.wait_for_function(EVERY_CHART_DRAWN)
    assert page.locator("[data-chart]").count() == 2
    assert_clean(page)


def test_leader_sees_the_red_livelihood_card_and_opens_a_count(demo, settings, page):
    """October on the demo: 8.1 安置房 is 严重滞后, so 民生保障 is red whatever its
    average; the headline's counts open the list of exactly those targets."""
    settings.DEMO_MODE = True
    login(page, "leader", DEMO_PASSWORD)
    page.goto("/")
    headline = page.get_by_test_id("headline").inner_text()
    assert "严重滞后 1、逾期未完成 1、进度滞后 3、未报送 2" in headline
    card = page.locator('[data-programme="8"]')
    assert card.locator(".programme-status .badge").inner_text().endswith("严重滞后")
    # one colour per status: the card's edge is the red badge's border, and a 未报送
    # chip is not the amber of 进度滞后
    badge = card.locator(".badge.status-behind")
    assert card.evaluate("el => getComputedStyle(el).borderLeftColor") == badge.evaluate(
        "el => getComputedStyle(el).borderTopColor"
    )
    edge = "el => getComputedStyle(el).borderTopColor"
    headline_chips = page.get_by_test_id("headline")
    assert headline_chips.locator(".status-chip-lagging").evaluate(edge) != (
        headline_chips.locator(".status-chip-not_reported").evaluate(edge)
    )
    page.get_by_test_id("headline").get_by_role("link", name="进度滞后 3").click()
    page.wait_for_url("**/targets/?status=lagging")
    assert page.get_by_test_id("list-title").inner_text() == "进度滞后的指标（3 项）"
    codes = page.locator('[data-testid="target-list"] tbody tr td:first-child').all_inner_texts()
    assert codes == ["3.3", "4.1", "7.1"]
    assert_clean(page)
