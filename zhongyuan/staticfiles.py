"""Serve plotly.js from the copy inside the installed plotly package.

The figures are built as plain dicts in the shape plotly's Python package writes, so
the browser library must be the very version that package ships. Taking the file
from there (instead of a copy in static/) keeps the two in step on every upgrade,
and nothing is ever fetched from a CDN.
"""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_JS_PATH = "vendor/plotly.min.js"
_PACKAGE_DATA = Path(plotly.__file__).resolve().parent / "package_data"


class _PlotlyStorage(FileSystemStorage):
    prefix = "vendor"


class PlotlyJsFinder(BaseFinder):
    """Expose exactly one file, ``vendor/plotly.min.js``."""

    def __init__(self, *args, **kwargs):
        self.storage = _PlotlyStorage(location=_PACKAGE_DATA)
        super().__init__(*args, **kwargs)

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        if path != PLOTLY_JS_PATH:
            return [] if find_all else None
        found = str(_PACKAGE_DATA / "plotly.min.js")
        return [found] if find_all else found

    def list(self, ignore_patterns):
        yield "plotly.min.js", self.storage
