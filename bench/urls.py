"""The benchmark's URLconf: every product URL, and ``/bench/reference/``.

The reference is what a page would cost with nothing of its own: a login-required view
that returns a fixed body of the overview's size (``BENCH_REFERENCE_BYTES``) through the
same middleware, gunicorn and session. Each page's requests per second are read against
it, measured in the same run (bench/run.py). Never part of the product's URLs.
"""

import os

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

BODY = ("<!doctype html><title>reference</title>" + "x" * 200_000).encode()


@login_required
def reference(request: HttpRequest) -> HttpResponse:
    size = int(os.environ.get("BENCH_REFERENCE_BYTES", "40000"))
    return HttpResponse(BODY[:size], content_type="text/html; charset=utf-8")


urlpatterns = [
    path("bench/reference/", reference, name="bench_reference"),
    path("", include("zhongyuan.urls")),
]
