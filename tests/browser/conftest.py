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


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1366, "height": 900}
    )
    page = context.new_page()
    page.console_errors = []
    page.external_requests = []

    def on_console(message):
        if message.type == "error":
            page.console_errors.append(message.text)

    def on_route(route):
        host = urlparse(route.request.url).hostname or ""
        if host in LOCAL_HOSTS or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            page.external_requests.append(route.request.url)
            route.abort()

    page.on("console", on_console)
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    page.route("**/*", on_route)
    page.set_default_timeout(15_000)
    yield page
    context.close()


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
