"""The demo's October bulletin, end to end: January–October closed as `make run`
closes them, generated from the overview's button by a reviewer, opened with
python-docx and checked against figures worked out here from the snapshots."""

import io
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from org.models import Department, Role
from supervision import bulletin
from supervision.models import Bulletin, EscalationStep
from targets.models import ClosedMonth, ProgressEntry, TargetSnapshot
from tests import factories as f

pytestmark = pytest.mark.django_db
OCTOBER = date(2025, 10, 1)
SHORT = {
    "completed": "已完成",
    "on_track": "正常推进",
    "behind": "严重滞后",
    "overdue": "逾期未完成",
}


def pct(value: Decimal) -> str:
    return f"{(value * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):f}%"


def hand_year_figures() -> tuple[int, Decimal, Decimal, dict]:
    """The year's count, average completion and 序时 at October, from the target
    snapshots (DESIGN.md §3: weighted, ratios capped at 1, assessed and reference
    figures out of the mean, reference figures out of the count)."""
    rows = TargetSnapshot.objects.filter(period=OCTOBER).select_related("target")
    counted = [r for r in rows if r.target.kind != "reference"]
    weighted = [
        r
        for r in counted
        if r.target.kind != "assessed" and r.ratio is not None and r.expected is not None
    ]
    weight = sum(r.target.weight for r in weighted)
    ratio = sum(r.target.weight * min(r.ratio, Decimal(1)) for r in weighted) / weight
    expected = sum(r.target.weight * r.expected for r in weighted) / weight
    statuses: dict[str, int] = {}
    for r in counted:
        statuses[r.status] = statuses.get(r.status, 0) + 1
    return len(counted), ratio, expected, statuses


def paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def test_the_october_bulletin_of_the_demo(demo, settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    out = io.StringIO()
    call_command("close_months", through="2025-10", stdout=out)
    assert ClosedMonth.objects.closed().count() == 10
    assert EscalationStep.objects.exists()

    reviewer = f.user("duchashi", Role.REVIEWER)
    f.login(client, reviewer)
    overview = client.get("/").content.decode()
    assert "生成本月通报" in overview and 'value="2025-10"' in overview
    response = client.post("/supervision/bulletins/generate/", {"month": "2025-10", "number": "7"})
    assert response.status_code == 302
    row = Bulletin.objects.get()
    response = client.get(f"/supervision/bulletins/{row.pk}/download/")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    document = Document(io.BytesIO(content))
    text = paragraphs(document)

    # Layout: A4, GB/T 9704 margins, the red 红头，the 文号，the title's font.
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(Mm(m).mm) for m in (37, 35, 28, 26)] == [
        round(section.top_margin.mm),
        round(section.bottom_margin.mm),
        round(section.left_margin.mm),
        round(section.right_margin.mm),
    ]
    assert text[0] == "中原区人民政府督查室文件"
    assert str(document.paragraphs[0].runs[0].font.color.rgb) == "FF0000"
    assert "中督通〔2025〕7号" in text
    title = "关于2025年1—10月“八大工程”目标任务推进情况的通报"
    title_paragraph = document.paragraphs[text.index(title)]
    fonts = title_paragraph.runs[0]._element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = document.paragraphs[text.index(title) + 3]
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert body.runs[0].font.size.pt == 16
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "— " in section.footer.paragraphs[0].text

    # The year paragraph, with the figures worked out here.
    count, ratio, expected, statuses = hand_year_figures()
    gap = ((expected - ratio) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    word = "低于" if gap > 0 else "高于"
    year_paragraph = text[text.index("一、总体情况") + 1]
    assert year_paragraph.startswith(
        f"1—10月，全区“八大工程”纳入监测的目标任务共{count}项，平均完成率{pct(ratio)}，"
        f"{word}序时进度{abs(gap)}个百分点，总体状态为严重滞后。其中，"
    )
    for code, label in SHORT.items():
        if statuses.get(code):
            assert f"{label}{statuses[code]}项" in year_paragraph
    # The issue's own example, from the 4.1 snapshot (318 of 400 亿元；序时 10/12).
    signing = TargetSnapshot.objects.get(period=OCTOBER, target__code="4.1")
    assert (signing.actual, pct(signing.ratio)) == (Decimal(318), "79.5%")
    assert any(
        "新引进项目签约额318亿元，完成年度目标的79.5%，低于序时进度3.8个百分点" in t for t in text
    )
    # One paragraph per programme.
    programmes = [t for t in text if re.match(r"（[一二三四五六七八]）深化", t)]
    assert len(programmes) == 8

    # The eight-row table.
    table = document.tables[0]
    assert len(table.rows) == 9
    assert table.rows[0].cells[0].text == "工程"
    assert table.rows[1].cells[0].text == "深化现代化产业集群建设工程"

    # The lagging list, with each department's own words from its entry.
    lagging = TargetSnapshot.objects.filter(
        period=OCTOBER, status__in=["behind", "overdue"]
    ).select_related("target__lead_department")
    assert lagging.exists()
    section_three = text[
        text.index("三、严重滞后和逾期未完成事项") : text.index("四、各单位报送及推进情况")
    ]
    for snapshot in lagging:
        entry = (
            ProgressEntry.objects.filter(
                target=snapshot.target, period__lte=OCTOBER, state__in=["submitted", "approved"]
            )
            .order_by("period")
            .last()
        )
        item = next(t for t in section_three if snapshot.target.title in t and "牵头单位" in t)
        assert snapshot.target.lead_department.short_name in item
        assert entry.problems.strip().rstrip("。") in item
        assert entry.next_steps.strip().rstrip("。") in item
    assert "连续滞后、列入通报的事项（红牌）：" in section_three

    # The ranking: every department that owed reports, ranked, with its boards.
    ranking = document.tables[1]
    assert [c.text for c in ranking.rows[0].cells] == [
        "名次", "单位", "按时率", "正常推进比例", "严重滞后及逾期", "榜单",
    ]  # fmt: skip
    names = {d.short_name for d in Department.objects.all()}
    assert {r.cells[1].text for r in ranking.rows[1:]} <= names
    assert ranking.rows[1].cells[0].text == "1"
    assert any(t.startswith("红榜：") for t in text) and any(t.startswith("黑榜：") for t in text)

    # Full-width punctuation in the prose.
    prose_text = "\n".join(text)
    assert not re.search(r"[,:;]", prose_text), re.findall(r".{8}[,:;].{8}", prose_text)

    # Generated twice: the same text.
    client.post("/supervision/bulletins/generate/", {"month": "2025-10", "number": "7"})
    first, second = Bulletin.objects.order_by("pk")
    assert first.text_digest == second.text_digest
    assert bulletin.document_text(first.file.open("rb").read()) == bulletin.document_text(
        second.file.open("rb").read()
    )
