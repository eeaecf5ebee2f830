"""领导批示 in headless Chromium: the demo's leader writes an instruction on 8.2 from
its page, the clerk of 区教育局 sees it at the top of /report/ and answers it through
the monthly workflow, and the leader sees the answer under the instruction."""

import re

import pytest

from projects.demo import DEMO_PASSWORD
from supervision.models import Instruction, InstructionAnswer
from targets.models import EntryState, Target
from tests.browser.conftest import assert_clean, login, logout

pytestmark = pytest.mark.browser

TEXT = "请区教育局月底前报告新建学校招生准备情况。"
ANSWER = "已完成新建学校师资配备，11月底前全部具备招生条件。"


def test_a_leader_instructs_and_the_clerk_answers(page, demo, settings):
    settings.DEMO_MODE = True
    target = Target.objects.get(code="8.2", programme__plan_year=demo)

    login(page, "leader", DEMO_PASSWORD)
    page.goto(f"/targets/{target.pk}/")
    page.fill("#id_instruction-text", TEXT)
    page.get_by_role("button", name="作出批示").click()
    page.wait_for_load_state("networkidle")
    assert "批示已送达责任单位。" in page.locator(".messages").inner_text()
    instruction = Instruction.objects.get()
    assert instruction.lead_department == target.lead_department
    assert_clean(page)

    logout(page)
    login(page, "staff-jyj", DEMO_PASSWORD)
    page.goto("/report/")
    panel = page.locator('[data-testid="supervision-report"]')
    assert TEXT in panel.inner_text()
    panel.get_by_role("link", name="办理批示").click()
    page.wait_for_url(re.compile(rf"/report/instruction/{instruction.pk}/\d{{4}}-\d{{2}}/$"))
    page.fill("#id_answer", ANSWER)
    page.click('button[value="submit"]')
    page.wait_for_load_state("networkidle")
    answer = InstructionAnswer.objects.get()
    assert (answer.state, answer.answer) == (EntryState.SUBMITTED, ANSWER)
    assert_clean(page)

    logout(page)
    login(page, "leader", DEMO_PASSWORD)
    page.goto("/supervision/instructions/")
    shown = page.locator('[data-testid="instruction-answer"]').first.inner_text()
    assert ANSWER in shown
    assert_clean(page)
