"""A month's report from end to end in headless Chromium: a department's staff user
fills and submits October's missing report (8.2 of 区教育局, missing in the demo),
the reviewer approves it, and the overview's completion figure moves."""

import re

import pytest

from projects.demo import DEMO_PASSWORD
from targets.models import EntryState, ProgrammeSnapshot, ProgressEntry, Target
from targets.templatetags.zy import format_ratio
from tests.browser.conftest import assert_clean, login, logout, screenshot

pytestmark = pytest.mark.browser


def overall_ratio(page) -> str:
    page.goto("/")
    return page.locator('[data-testid="overall-ratio"]').inner_text().strip()


def test_reporting_flow_staff_submits_reviewer_approves_overview_moves(page, demo, settings):
    settings.DEMO_MODE = True  # demo accounts log in only under the demo switch
    target = Target.objects.get(code="8.2", programme__plan_year=demo)
    assert not ProgressEntry.objects.filter(target=target, period__month=10).exists()

    login(page, "staff-jyj", DEMO_PASSWORD)
    before = overall_ratio(page)

    # The month page warns that October is still missing and links to the form.
    page.goto("/report/")
    warning = page.locator('[data-testid="overdue-months"]')
    assert "2025年10月" in warning.inner_text()
    warning.get_by_role("link", name="8.2").click()
    page.wait_for_url(re.compile(r"/report/target/\d+/2025-10/$"))

    page.fill("#id_value", "９")  # full-width, as an IME types it
    page.fill("#id_narrative", "10月新增1所学校具备招生条件，全年9所全部完成。")
    page.click('button[value="preview"]')
    preview = page.locator('[data-testid="preview"]')
    assert "100.0%" in preview.inner_text()
    assert "已完成" in preview.inner_text()
    assert ProgressEntry.objects.filter(target=target, period__month=10).count() == 0

    page.click('button[value="submit"]')
    page.wait_for_url(re.compile(r"/report/\?month=2025-10$"))
    assert "已提交，等待督查室审核。" in page.locator(".messages").inner_text()
    assert_clean(page)

    logout(page)
    login(page, "reviewer", DEMO_PASSWORD)
    page.goto("/review/?department=jyj")
    row = page.locator('[data-testid="review-target"] tr', has_text="8.2")
    assert "9所" in row.inner_text()
    row.locator('button[value="approve"]').click()
    page.wait_for_load_state("networkidle")
    assert "8.2 2025年10月：已审核通过。" in page.locator(".messages").inner_text()
    entry = ProgressEntry.objects.get(target=target, period__month=10)
    assert (entry.state, entry.value) == (EntryState.APPROVED, 9)

    after = overall_ratio(page)
    total = ProgrammeSnapshot.objects.get(plan_year=demo, programme=None, period=entry.period)
    assert after == format_ratio(total.ratio)
    assert after != before
    screenshot(page, "reporting-flow-overview.png")
    assert_clean(page)
