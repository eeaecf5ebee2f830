"""The reviewer generates the October 通报 from the overview and downloads it, in
real headless Chromium (skipped where Chromium is not installed, unless
REQUIRE_SERVICES is set)."""

import io

import pytest
from django.core.management import call_command
from docx import Document

from projects.demo import DEMO_PASSWORD
from supervision.models import Bulletin
from tests.browser.conftest import assert_clean, login

pytestmark = pytest.mark.browser


def test_reviewer_generates_and_downloads_the_october_bulletin(demo, settings, page, tmp_path):
    settings.DEMO_MODE = True
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("close_months", through="2025-10", stdout=io.StringIO())
    login(page, "reviewer", DEMO_PASSWORD)
    page.goto("/")
    panel = page.get_by_test_id("bulletin-panel")
    panel.locator("input[name=number]").fill("7")
    panel.get_by_test_id("generate-bulletin").click()
    page.wait_for_url("**/supervision/bulletins/")
    assert "已生成" in page.locator(".messages").inner_text()
    row = Bulletin.objects.get()
    with page.expect_download() as info:
        page.locator(f'[data-bulletin="{row.pk}"] [data-testid="download"]').click()
    download = info.value
    assert download.suggested_filename == "中原区2025年10月督查通报.docx"
    path = tmp_path / "bulletin.docx"
    download.save_as(path)
    text = [p.text for p in Document(str(path)).paragraphs]
    assert "关于2025年1—10月“八大工程”目标任务推进情况的通报" in text
    assert "中督通〔2025〕7号" in text

    # Published in its own step.
    page.locator(f'[data-bulletin="{row.pk}"] button', has_text="发布").click()
    page.wait_for_url("**/supervision/bulletins/")
    row.refresh_from_db()
    assert row.is_published
    assert_clean(page)
