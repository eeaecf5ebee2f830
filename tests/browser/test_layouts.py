"""Every main page on a desktop (1440 px) and a phone (390 px) in headless Chromium:
the overview, a target page, the projects list and a staff user's month (/report/).
Screenshots go to test-artifacts/<page>-<width>.png. On each, no visible table cell is
narrower than two CJK characters, no text wraps one character per line, and the chart
toolbar never covers a chart (hover-only above the plot on a desktop, none on a phone).

Skipped where Chromium is not installed, unless REQUIRE_SERVICES is set (CI).
"""

import pytest
from django.db.models import Count

from org.models import Department
from projects.demo import DEMO_PASSWORD
from targets.models import Target
from tests.browser.conftest import assert_clean, login, logout, screenshot

pytestmark = pytest.mark.browser

WIDTHS = {"1440": {"width": 1440, "height": 900}, "390": {"width": 390, "height": 844}}

# Visible table cells narrower than two characters of their own font.
NARROW_CELLS = """() => {
  const bad = [];
  for (const cell of document.querySelectorAll('table td, table th')) {
    if (!cell.getClientRects().length) continue;  // hidden (a phone's low-priority column)
    const size = parseFloat(getComputedStyle(cell).fontSize);
    if (cell.clientWidth < 2 * size) {
      bad.push(`${cell.textContent.trim().slice(0, 20)} (${cell.clientWidth}px < ${2 * size}px)`);
    }
  }
  return bad;
}"""

# Text laid out one character per line: a text node of three or more characters whose
# line boxes are three or more, each narrower than two characters.
CHARACTER_PER_LINE = """() => {
  const bad = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const parent = node.parentElement;
    if (text.length < 3 || !parent) continue;
    if (parent.closest('svg, script, style, .visually-hidden')) continue;
    range.selectNodeContents(node);
    const lines = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
    if (lines.length < 3) continue;
    const size = parseFloat(getComputedStyle(parent).fontSize);
    if (Math.max(...lines.map(r => r.width)) < 2 * size) {
      bad.push(`${text.slice(0, 20)} (${lines.length} lines)`);
    }
  }
  return bad;
}"""

# Each drawn chart's toolbar: absent, or entirely above its plot area.
TOOLBAR_OVER_PLOT = """() => {
  const bad = [];
  for (const chart of document.querySelectorAll('[data-chart]')) {
    const bar = chart.querySelector('.modebar');
    const plot = chart.querySelector('.nsewdrag');
    if (!bar || !plot) continue;
    const b = bar.getBoundingClientRect(), p = plot.getBoundingClientRect();
    const across = b.left < p.right && b.right > p.left;
    const name = chart.getAttribute('data-chart');
    if (across && b.bottom > p.top + 1 && b.top < p.bottom) bad.push(name);
  }
  return bad;
}"""

# Number cells (and their headers) not right-aligned.
LEFT_NUMBERS = """() => [...document.querySelectorAll('table .num')]
  .filter(el => el.getClientRects().length && getComputedStyle(el).textAlign !== 'right')
  .map(el => el.textContent.trim().slice(0, 20))"""

CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-chart]')]
  .every(el => el.getAttribute('data-drawn') === 'true')"""


def check_page(page, url: str, name: str) -> dict[str, list[str]]:
    """Open ``url`` at each width, screenshot it, and return what is wrong."""
    problems = {}
    for width, size in WIDTHS.items():
        page.set_viewport_size(size)
        page.goto(url)
        page.wait_for_load_state("networkidle")
        page.wait_for_function(CHARTS_DRAWN)
        assert page.locator("table").count() > 0, url
        screenshot(page, f"{name}-{width}.png")
        for check, script in [
            ("narrow cells", NARROW_CELLS),
            ("one character per line", CHARACTER_PER_LINE),
            ("toolbar over chart", TOOLBAR_OVER_PLOT),
            ("numbers not right-aligned", LEFT_NUMBERS),
        ]:
            found = page.evaluate(script)
            if found:
                problems[f"{name} {width}px {check}"] = found
        if width == "390":
            # A phone: no toolbar at all, and the page itself does not scroll sideways
            # (wide tables scroll inside their own box).
            assert page.locator("[data-chart] .modebar").count() == 0, name
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
    assert_clean(page)
    return problems


def test_main_pages_read_on_a_desktop_and_a_phone(demo, settings, page):
    settings.DEMO_MODE = True  # demo accounts log in only under the demo switch
    # 4.1 sums the project register (its contributors' table); 8.1 is reported by its
    # department (the entries' table, with long narratives).
    derived = Target.objects.get(code="4.1", programme__plan_year=demo)
    reported = Target.objects.get(code="8.1", programme__plan_year=demo)
    busiest = (
        Department.objects.annotate(n=Count("projects", distinct=True))
        .filter(members__role="staff")
        .order_by("-n", "code")
        .first()
    )
    problems = {}
    login(page, "leader", DEMO_PASSWORD)
    problems |= check_page(page, "/", "overview")
    problems |= check_page(page, f"/targets/{derived.pk}/", "target")
    problems |= check_page(page, f"/targets/{reported.pk}/", "target-reported")
    problems |= check_page(page, "/projects/", "projects")
    logout(page)
    login(page, f"staff-{busiest.code}", DEMO_PASSWORD)
    problems |= check_page(page, "/report/", "report")
    assert problems == {}


def test_a_phone_keeps_the_first_column_and_drops_low_priority_ones(demo, settings, page):
    settings.DEMO_MODE = True
    login(page, "leader", DEMO_PASSWORD)
    page.set_viewport_size(WIDTHS["390"])
    page.goto("/projects/")
    table = page.locator(".table-wrap table").first
    assert table.locator("th.col-low").first.is_hidden()
    assert table.locator("th", has_text="项目名称").is_visible()
    # Scrolled sideways, the first column stays where it was.
    first = table.locator("tbody tr td:first-child").first
    before = first.bounding_box()["x"]
    page.locator(".table-wrap").first.evaluate("el => { el.scrollLeft = 400; }")
    assert first.bounding_box()["x"] == before
    # A long name is one line, cut, and whole on hover.
    name = table.locator("td.cell-name a.trunc").first
    assert name.get_attribute("title")
    line = name.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
    assert name.bounding_box()["height"] <= line + 1
