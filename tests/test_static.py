"""Static files: plotly.js is our partial bundle (static/vendor/plotly-zhongyuan.min.js),
collected with hashed names and gzip and Brotli variants and served by whitenoise with
a far-future expiry; and nothing in our templates or static files reaches out to another
host (the district intranet may have no internet)."""

import importlib.util
import re
from pathlib import Path

import plotly.offline
import pytest
from django.templatetags.static import static
from django.test import Client

from tests.conftest import require
from zhongyuan.settings import BASE_DIR

BUNDLE = BASE_DIR / "static" / "vendor" / "plotly-zhongyuan.min.js"
# The trace types the bundle registers (static/vendor/build/build.mjs, TRACES).
BUNDLED_TRACES = {"scatter", "bar", "heatmap"}
AXIS_TYPES = {"category", "linear", "log", "date", "multicategory"}
YEAR = 365 * 24 * 60 * 60
# src= or href= pointing at another host: "//host", "http://", "https://".
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//""", re.I)
SCRIPT_IMPORT = re.compile(r"""(?:import\s*\(|url\()\s*["']?(?:[a-z]+:)?//""", re.I)


def _brotli_installed() -> None:
    # Brotli is a dependency (pyproject.toml): whitenoise writes .br files with it.
    require(importlib.util.find_spec("brotli") is not None, "the Brotli package")


def test_collectstatic_hashes_and_compresses_the_plotly_bundle(collected_static, settings):
    vendor = collected_static / "vendor"
    (bundle,) = vendor.glob("plotly-zhongyuan.min.*.js")
    assert re.fullmatch(r"plotly-zhongyuan\.min\.[0-9a-f]{12}\.js", bundle.name)
    assert bundle.with_name(f"{bundle.name}.gz").is_file()
    # The build script and its lock file are for rebuilding, not for the pages.
    assert not (vendor / "build").exists()
    assert (vendor / "LICENSE").is_file()
    # Pages ask for the hashed name, which whitenoise serves with a far-future expiry;
    # so does the DEBUG demo of `make run`, which serves collected files too.
    assert static("vendor/plotly-zhongyuan.min.js") == f"/static/vendor/{bundle.name}"
    settings.DEBUG = True
    assert static("vendor/plotly-zhongyuan.min.js") == f"/static/vendor/{bundle.name}"
    assert re.fullmatch(r"/static/js/charts\.[0-9a-f]{12}\.js", static("js/charts.js"))


def test_collectstatic_writes_brotli_variants(collected_static):
    _brotli_installed()
    (bundle,) = (collected_static / "vendor").glob("plotly-zhongyuan.min.*.js")
    assert bundle.with_name(f"{bundle.name}.br").is_file()


@pytest.mark.parametrize(
    ("accept", "encoding"), [("gzip, deflate", "gzip"), ("gzip, deflate, br", "br")]
)
def test_whitenoise_serves_hashed_files_compressed_and_cached_for_good(
    collected_static, accept, encoding
):
    if encoding == "br":
        _brotli_installed()
    client = Client()
    response = client.get(static("vendor/plotly-zhongyuan.min.js"), HTTP_ACCEPT_ENCODING=accept)
    assert response.status_code == 200
    assert response["Content-Encoding"] == encoding
    assert response["Vary"] == "Accept-Encoding"
    cache_control = response["Cache-Control"]
    assert "immutable" in cache_control
    assert int(re.search(r"max-age=(\d+)", cache_control).group(1)) >= YEAR
    # A name without the hash may change under the same URL: not cached for good.
    plain = client.get("/static/js/charts.js", HTTP_ACCEPT_ENCODING=accept)
    assert plain.status_code == 200
    assert "immutable" not in plain["Cache-Control"]


def test_the_bundle_names_its_version_traces_and_licence():
    header = BUNDLE.read_text(encoding="utf-8")[:600]
    version = re.search(r"plotly\.js v(\S+)", header).group(1)
    # The figure dicts are written in the shape the installed plotly package writes:
    # the browser library keeps its major version.
    assert version.split(".")[0] == plotly.offline.get_plotlyjs_version().split(".")[0]
    traces = re.search(r"Traces: ([\w, ]+)\.", header).group(1)
    assert set(traces.split(", ")) == BUNDLED_TRACES
    assert "Locale: zh-CN" in header
    assert "MIT license" in header
    assert "MIT License" in (BUNDLE.parent / "LICENSE").read_text(encoding="utf-8")
    for name in ("build.mjs", "package.json", "package-lock.json"):
        assert (BUNDLE.parent / "build" / name).is_file()


def test_the_bundle_holds_every_trace_type_the_figures_draw():
    """A figure with a new trace type needs the bundle rebuilt (`make plotly-bundle`,
    after adding it to TRACES in static/vendor/build/build.mjs)."""
    used = set()
    for module in ("targets/charts.py", "projects/charts.py"):
        source = (BASE_DIR / module).read_text(encoding="utf-8")
        used |= set(re.findall(r"""["']type["']\s*:\s*["'](\w+)["']""", source)) - AXIS_TYPES
    assert used
    assert used <= BUNDLED_TRACES


def _our_files() -> list[Path]:
    # static/vendor holds third-party code (plotly.js, whose logo link and cloud
    # button charts.js turns off); the browser tests check that no request leaves.
    roots = [BASE_DIR / "templates", BASE_DIR / "static"]
    return sorted(
        p
        for root in roots
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix in {".html", ".js", ".css", ".txt", ".svg"}
        and "vendor" not in p.relative_to(BASE_DIR).parts
    )


@pytest.mark.parametrize("path", _our_files(), ids=lambda p: str(p.relative_to(BASE_DIR)))
def test_templates_and_static_files_reference_no_other_host(path):
    text = path.read_text(encoding="utf-8")
    assert EXTERNAL.findall(text) == []
    assert SCRIPT_IMPORT.findall(text) == []


def test_charts_js_runs_no_inline_code_and_keeps_charts_at_home():
    source = (BASE_DIR / "static" / "js" / "charts.js").read_text(encoding="utf-8")
    assert "displaylogo: false" in source
    assert "showSendToCloud: false" in source
    assert 'locale: "zh-CN"' in source
    assert "responsive: true" in source
    assert re.search(r"\beval\(|new Function\(|innerHTML", source) is None
