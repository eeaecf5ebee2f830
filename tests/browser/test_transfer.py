"""What the overview costs a leader's browser, in bytes (stable, unlike timings), with
static files served as in production (whitenoise: hashed names, compressed, cached for
good), and what the plotly.js bundle on the page holds.

Budget (issue 13): the first visit downloads at most 500 KB in all (HTML, CSS, JS,
fonts, icons), compressed; a repeat visit at most 50 KB, the static files coming from
the browser's cache. Browsers ask for Brotli only over HTTPS (and from localhost, which
they count as secure), so the budget is gzip's, as over the district's plain-HTTP
intranet: Chromium is told to accept gzip only. The figures go to
test-artifacts/overview-transfer.json.
"""

import json
import re

import plotly.offline
import pytest

from projects.demo import DEMO_PASSWORD
from tests.browser.conftest import ARTIFACTS, assert_clean, login, open_page
from tests.browser.test_overview import EVERY_CHART_DRAWN

pytestmark = pytest.mark.browser

FIRST_VISIT_BUDGET = 500_000
REPEAT_VISIT_BUDGET = 50_000
# What targets/charts.py and projects/charts.py draw (tests/test_static.py checks the
# list against their source).
TRACES = ["bar", "heatmap", "scatter"]


class Transfers:
    """Bytes received per request as Chromium's network panel counts them (CDP
    encodedDataLength: headers and the body as sent, i.e. compressed), with each
    response's URL, status and Content-Encoding."""

    def __init__(self, page):
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.responses: dict[str, dict] = {}
        self.sizes: dict[str, int] = {}
        self.cdp.on("Network.responseReceived", self._on_response)
        self.cdp.on("Network.loadingFinished", self._on_finished)

    def _on_response(self, event):
        response = event["response"]
        headers = {k.lower(): v for k, v in response["headers"].items()}
        self.responses[event["requestId"]] = {
            "url": response["url"],
            "status": response["status"],
            "encoding": headers.get("content-encoding", ""),
            "cache_control": headers.get("cache-control", ""),
            "from_cache": response.get("fromDiskCache", False)
            or response.get("fromMemoryCache", False),
        }

    def _on_finished(self, event):
        self.sizes[event["requestId"]] = int(event["encodedDataLength"])

    def visit(self, page, url: str) -> list[dict]:
        self.responses.clear()
        self.sizes.clear()
        page.goto(url)
        page.wait_for_function(EVERY_CHART_DRAWN)
        page.wait_for_load_state("networkidle")
        return [
            {**response, "bytes": self.sizes.get(request_id, 0)}
            for request_id, response in self.responses.items()
        ]


def total(rows: list[dict]) -> int:
    return sum(row["bytes"] for row in rows)


@pytest.fixture
def production_page(browser, production_server):
    # Not routed: Playwright turns the HTTP cache off for a page it routes.
    page = open_page(browser, production_server.url, intercept=False)
    yield page
    page.context.close()  # before the server stops, or its threads outlive it


def test_overview_first_and_repeat_visit_stay_within_the_byte_budget(
    demo, settings, production_page
):
    settings.DEMO_MODE = True  # demo accounts log in only under the demo switch
    page = production_page
    login(page, "leader", DEMO_PASSWORD)
    transfers = Transfers(page)
    page.set_extra_http_headers({"Accept-Encoding": "gzip, deflate"})
    # The login page brought the stylesheets: forget them, so that the first visit
    # to the overview starts from an empty cache.
    transfers.cdp.send("Network.clearBrowserCache")

    first = transfers.visit(page, "/")
    repeat = transfers.visit(page, "/")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "overview-transfer.json").write_text(
        json.dumps({"first": first, "repeat": repeat}, ensure_ascii=False, indent=2),
        encoding="utf-8",
    )
    print(f"overview: first visit {total(first)} bytes, repeat visit {total(repeat)} bytes")

    bundle = [
        r
        for r in first
        if re.search(r"/static/vendor/plotly-zhongyuan\.min\.[0-9a-f]{12}\.js$", r["url"])
    ]
    assert len(bundle) == 1, [r["url"] for r in first]
    assert bundle[0]["encoding"] == "gzip"
    statics = [r for r in first if "/static/" in r["url"]]
    assert {r["status"] for r in first} == {200}
    # Every static file has a hashed name and may be kept for a year without asking.
    for row in statics:
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", row["url"]), row["url"]
        assert "immutable" in row["cache_control"], row
        max_age = int(re.search(r"max-age=(\d+)", row["cache_control"]).group(1))
        assert max_age >= 365 * 24 * 60 * 60, row
    assert total(first) <= FIRST_VISIT_BUDGET, first
    # On the repeat visit only the page itself crosses the network.
    assert [r["url"] for r in repeat if r["bytes"] and "/static/" in r["url"]] == []
    assert total(repeat) <= REPEAT_VISIT_BUDGET, repeat
    assert_clean(page)


def test_the_plotly_bundle_holds_our_traces_and_speaks_chinese(demo, settings, page):
    settings.DEMO_MODE = True
    login(page, "leader", DEMO_PASSWORD)
    page.goto("/")
    page.wait_for_function(EVERY_CHART_DRAWN)

    assert page.evaluate("Object.keys(Plotly.PlotSchema.get().traces).sort()") == TRACES
    installed = plotly.offline.get_plotlyjs_version()
    assert page.evaluate("Plotly.version").split(".")[0] == installed.split(".")[0]
    # The toolbar's tooltips come from the zh-CN locale, and none offers to send the
    # chart to Plotly's cloud.
    chart = page.locator("[data-chart]").first
    chart.hover()
    assert chart.locator('.modebar-btn[data-title="下载图表为PNG格式"]').count() == 1
    titles = chart.locator(".modebar-btn").evaluate_all(
        "buttons => buttons.map(b => b.getAttribute('data-title'))"
    )
    assert len(titles) >= 5
    assert [t for t in titles if not re.search(r"[\u4e00-\u9fff]", t)] == [], titles
    assert_clean(page)
