"""Static files: plotly.js comes from the installed plotly package, hashed and
compressed by whitenoise, and nothing in our templates or static files reaches out to
another host (the district intranet may have no internet)."""

import re
from pathlib import Path

import plotly.offline
import pytest
from django.core.management import call_command
from django.templatetags.static import static

from zhongyuan.settings import BASE_DIR

MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
# src= or href= pointing at another host: "//host", "http://", "https://".
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//""", re.I)
SCRIPT_IMPORT = re.compile(r"""(?:import\s*\(|url\()\s*["']?(?:[a-z]+:)?//""", re.I)


def test_collectstatic_hashes_and_compresses_plotly(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}
    call_command("collectstatic", interactive=False, verbosity=0)
    hashed = [
        p
        for p in (tmp_path / "vendor").iterdir()
        if re.fullmatch(r"plotly\.min\.[0-9a-f]{12}\.js", p.name)
    ]
    assert len(hashed) == 1, sorted(p.name for p in (tmp_path / "vendor").iterdir())
    plotly_js = hashed[0]
    assert Path(f"{plotly_js}.gz").is_file()
    banner = plotly_js.read_text(encoding="utf-8")[:200]
    assert re.search(r"plotly\.js v(\S+)", banner).group(1) == (
        plotly.offline.get_plotlyjs_version()
    )
    # Pages ask for the hashed name, which whitenoise serves with a far-future expiry.
    assert static("vendor/plotly.min.js") == f"/static/vendor/{plotly_js.name}"
    assert re.fullmatch(r"/static/js/charts\.[0-9a-f]{12}\.js", static("js/charts.js"))


def _our_files() -> list[Path]:
    roots = [BASE_DIR / "templates", BASE_DIR / "static"]
    return sorted(
        p
        for root in roots
        for p in root.rglob("*")
        if p.is_file() and p.suffix in {".html", ".js", ".css", ".txt", ".svg"}
    )


@pytest.mark.parametrize("path", _our_files(), ids=lambda p: str(p.relative_to(BASE_DIR)))
def test_templates_and_static_files_reference_no_other_host(path):
    text = path.read_text(encoding="utf-8")
    assert EXTERNAL.findall(text) == []
    assert SCRIPT_IMPORT.findall(text) == []


def test_charts_js_runs_no_inline_code_and_turns_off_the_logo():
    source = (BASE_DIR / "static" / "js" / "charts.js").read_text(encoding="utf-8")
    assert "displaylogo: false" in source
    assert "responsive: true" in source
    assert re.search(r"\beval\(|new Function\(|innerHTML", source) is None
