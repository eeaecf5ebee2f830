"""The 平方米 / 万平方米 slip in headless Chromium, on the demo: 区房屋征收中心's clerk
types 2780000 into 8.1's 万平方米 field, the warning names the likely slip, the clerk
corrects it and submits normally; 区教育局's clerk confirms an unusual but true figure
with an explanation, and the reviewer sees it flagged 异常 in the queue."""

import re

import pytest

from projects.demo import DEMO_PASSWORD
from targets.models import EntryState, ProgressEntry, Target
from tests.browser.conftest import assert_clean, login, logout, screenshot

pytestmark = pytest.mark.browser

SLIP = re.compile(r"数值约为上月的 [\d,]+ 倍，是否把平方米误填为万平方米？")
REASON = "10月新建3所学校同时通过验收并具备招生条件，数据已与区教育局台账核对。"


def test_the_unit_slip_is_caught_corrected_and_an_unusual_value_confirmed(page, demo, settings):
    settings.DEMO_MODE = True  # demo accounts log in only under the demo switch
    housing = Target.objects.get(code="8.1", programme__plan_year=demo)
    schools = Target.objects.get(code="8.2", programme__plan_year=demo)

    # 1. The slip: 2780000 typed into 万平方米，where 262 was meant.
    login(page, "staff-zs", DEMO_PASSWORD)
    page.goto(f"/report/target/{housing.pk}/2025-11/")
    assert "1—11月累计（万平方米）" in page.locator('label[for="id_value"]').inner_text()
    page.fill("#id_value", "2780000")
    page.click('button[value="preview"]')
    warning = page.locator('[data-testid="plausibility"]')
    assert SLIP.search(warning.inner_text()), warning.inner_text()
    page.click('button[value="submit"]')  # submitting it as is is refused
    assert SLIP.search(page.locator('[data-testid="plausibility"]').inner_text())
    november = ProgressEntry.objects.get(target=housing, period__month=11)
    assert (november.state, november.value) == (EntryState.DRAFT, 262)  # nothing written
    screenshot(page, "plausibility-slip-warning.png")

    # The clerk corrects it and submits normally (8.1 is behind: reasons are due).
    page.fill("#id_value", "262")
    page.fill("#id_problems", "部分安置房项目融资未到位，配套工程滞后。")
    page.fill("#id_next_steps", "推动房票安置，四季度集中交付。")
    page.click('button[value="submit"]')
    page.wait_for_url(re.compile(r"/report/\?month=2025-11$"))
    november.refresh_from_db()
    assert (november.state, november.value, november.unusual) == (
        EntryState.SUBMITTED,
        262,
        False,
    )
    assert_clean(page)

    # 2. An unusual but true figure, confirmed with an explanation.
    logout(page)
    login(page, "staff-jyj", DEMO_PASSWORD)
    page.goto(f"/report/target/{schools.pk}/2025-10/")
    page.fill("#id_value", "30")
    page.click('button[value="submit"]')
    warning = page.locator('[data-testid="plausibility"]')
    assert "超过目标值" in warning.inner_text()
    assert not ProgressEntry.objects.filter(target=schools, period__month=10).exists()
    page.check("#id_confirm_unusual")
    page.fill("#id_unusual_reason", REASON)
    page.click('button[value="submit"]')
    page.wait_for_url(re.compile(r"/report/\?month=2025-10$"))
    october = ProgressEntry.objects.get(target=schools, period__month=10)
    assert (october.state, october.unusual, october.unusual_reason) == (
        EntryState.SUBMITTED,
        True,
        REASON,
    )
    assert_clean(page)

    # 3. The reviewer sees it flagged 异常 in the queue, with the explanation.
    logout(page)
    login(page, "reviewer", DEMO_PASSWORD)
    page.goto("/review/?department=jyj")
    row = page.locator('[data-testid="review-target"] tr', has_text="8.2")
    flag = row.locator('[data-testid="unusual-flag"]')
    assert "异常" in flag.inner_text()
    assert REASON in row.inner_text()
    screenshot(page, "plausibility-review-queue.png")
    assert_clean(page)
