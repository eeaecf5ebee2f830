"""Browser tests: real headless Chromium (Debian's /usr/bin/chromium) driven by
Playwright for Python against Django's live server.

Skipped where Chromium is not installed, unless REQUIRE_SERVICES is set (CI).
Every page opened through the `page` fixture records console errors and any request
that would leave the machine (those are aborted); `assert_clean(page)` checks both.
"""

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest

from zhongyuan.settings import BASE_DIR

# Playwright's sync API runs an event loop in the test's thread; the ORM calls the
# tests make there (fixtures, assertions) are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = BASE_DIR / "test-artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def _playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture
def browser(chromium_path, _playwright):
    browser = _playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _local(url: str) -> bool:
    return (urlparse(url).hostname or "") in LOCAL_HOSTS or url.startswith(("data:", "blob:"))


def open_page(browser, base_url: str, *, intercept: bool = True):
    """A fresh browser context and page that records console errors and requests
    leaving the machine. With ``intercept`` those requests are aborted; without it they
    are only recorded, because Playwright turns the HTTP cache off for a page it
    routes, and a repeat visit must use the cache."""
    context = browser.new_context(
        base_url=base_url, locale="zh-CN", viewport={"width": 1366, "height": 900}
    )
    page = context.new_page()
    page.console_errors = []
    page.external_requests = []

    def on_console(message):
        if message.type == "error":
            page.console_errors.append(message.text)

    def on_route(route):
        if _local(route.request.url):
            route.continue_()
        else:
            page.external_requests.append(route.request.url)
            route.abort()

    def on_request(request):
        if not _local(request.url):
            page.external_requests.append(request.url)

    page.on("console", on_console)
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    if intercept:
        page.route("**/*", on_route)
    else:
        page.on("request", on_request)
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def page(browser, live_server):
    page = open_page(browser, live_server.url)
    yield page
    page.context.close()


@pytest.fixture
def production_server(collected_static, transactional_db):
    """A live server whose static files whitenoise serves, compressed and cached as in
    production. (pytest-django's live_server answers them itself, from the sources,
    uncompressed and uncached.)"""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("127.0.0.1:0", start=False)
    server.thread.static_handler = lambda handler: handler  # whitenoise answers instead
    server.start()
    yield server
    server.stop()


def login(page, username: str, password: str) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/login/" not in page.url, f"login as {username} failed"


def logout(page) -> None:
    page.context.clear_cookies()


def assert_clean(page) -> None:
    assert page.console_errors == [], page.console_errors
    assert page.external_requests == [], page.external_requests


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path
