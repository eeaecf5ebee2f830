"""The notice bell in headless Chromium: a clerk submits October's 8.2, the reviewer's
bell shows it; the reviewer returns it with a reason, the clerk's bell shows the
return, opening it marks it read and lands on the entry."""

import re

import pytest

from org.models import OutboundChannel, OutboundEvent, OutboundMessage
from projects.demo import DEMO_PASSWORD
from targets.models import EntryState, ProgressEntry, Target
from tests.browser.conftest import assert_clean, login, logout, screenshot

pytestmark = pytest.mark.browser


def open_bell(page):
    page.locator('[data-testid="notice-menu"] > summary').click()
    return page.locator('[data-testid="notice-menu"] .notice-dropdown')


def test_the_bell_brings_the_reviewer_and_the_clerk_to_their_work(page, demo, settings):
    settings.DEMO_MODE = True
    target = Target.objects.get(code="8.2", programme__plan_year=demo)
    entry_path = re.compile(rf"/report/target/{target.pk}/2025-10/$")

    login(page, "staff-jyj", DEMO_PASSWORD)
    page.goto(f"/report/target/{target.pk}/2025-10/")
    page.fill("#id_value", "9")
    page.fill("#id_narrative", "全年9所全部完成。")
    page.click('button[value="submit"]')
    page.wait_for_url(re.compile(r"/report/\?month=2025-10$"))

    logout(page)
    login(page, "reviewer", DEMO_PASSWORD)
    unread = OutboundMessage.objects.filter(
        recipient__username="reviewer", event=OutboundEvent.SUBMITTED, read_at=None
    ).count()
    page.goto("/review/?department=jyj")
    assert page.locator('[data-testid="notice-count"]').inner_text() == str(min(unread, 9)) + (
        "+" if unread > 9 else ""
    )
    dropdown = open_bell(page)
    notice = dropdown.get_by_role("link", name=re.compile("区教育局提交了指标“8.2"))
    screenshot(page, "notices-reviewer-bell.png")
    notice.click()
    page.wait_for_url(entry_path)

    page.goto("/review/?department=jyj")
    row = page.locator('[data-testid="review-target"] tr', has_text="8.2")
    row.locator('input[name="reason"]').fill("请补充学校名单。")
    row.locator('button[value="return"]').click()
    page.wait_for_load_state("networkidle")
    entry = ProgressEntry.objects.get(target=target, period__month=10)
    assert entry.state == EntryState.RETURNED

    logout(page)
    login(page, "staff-jyj", DEMO_PASSWORD)
    page.goto("/report/")
    count = page.locator('[data-testid="notice-count"]')
    assert count.is_visible()
    dropdown = open_bell(page)
    assert dropdown.is_visible()
    screenshot(page, "notices-clerk-bell.png")
    dropdown.get_by_role("link", name=re.compile("【退回修改】8.2")).click()
    page.wait_for_url(entry_path)
    assert OutboundMessage.objects.get(
        recipient__username="staff-jyj",
        event=OutboundEvent.RETURNED,
        subject__startswith="【退回修改】8.2",
        channel=OutboundChannel.INAPP,
    ).read_at
    assert_clean(page)
