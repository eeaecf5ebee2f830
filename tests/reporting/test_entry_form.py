"""The entry form as a department's staff user, for every target kind: a valid save,
and every kind of bad input refused with its message and nothing written."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.models import ProjectProgress
from targets.models import EntryState, Evidence, PendingRecompute, ProgressEntry, TargetSnapshot
from tests import factories as f
from tests.reporting.conftest import JUNE, MAY
from tests.reporting.helpers import (
    docx_bytes,
    footprint,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
    xlsx_bytes,
)


def url(target, period=JUNE) -> str:
    return reverse("reporting:target_entry", args=[target.pk, period])


def post(world, kind: str, data: dict, *, period=JUNE, who="own_staff", files=None):
    payload = {"version": "0", "action": "save", **data, **(files or {})}
    return world.client(who).post(url(world.target(kind), period), payload)


VALID = [
    ("cumulative", {"value": "200"}, {"value": D(200)}),
    ("level", {"value": "9.5"}, {"value": D("9.5")}),
    ("ceiling", {"value": "2"}, {"value": D(2)}),
    ("milestone", {"percent": "60"}, {"percent": D(60), "done_on": None}),
    ("milestone", {"done_on": "2025-06-18"}, {"percent": D(100), "done_on": date(2025, 6, 18)}),
    ("assessed", {"assessment": "on_track"}, {"assessment": "on_track"}),
]


@pytest.mark.parametrize(("kind", "data", "expected"), VALID)
def test_entry_form_valid_draft_is_saved_with_history(world, kind, data, expected):
    response = post(world, kind, {**data, "narrative": "按计划推进。"})
    assert response.status_code == 302
    entry = ProgressEntry.objects.get(target=world.target(kind), period=JUNE)
    assert {name: getattr(entry, name) for name in expected} == expected
    assert (entry.state, entry.version, entry.narrative) == (EntryState.DRAFT, 1, "按计划推进。")
    assert entry.created_by == world.users["own_staff"]
    assert [h.history_change_reason for h in entry.history.all()] == ["保存草稿"]


@pytest.mark.parametrize(("kind", "data", "expected"), VALID)
def test_entry_form_submit_queues_the_recompute(
    world, kind, data, expected, django_capture_on_commit_callbacks
):
    target = world.target(kind)
    PendingRecompute.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post(
            world,
            kind,
            {**data, "action": "submit", "problems": "资金未到位。", "next_steps": "加快推进。"},
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:my_month") + "?month=2025-06"
    entry = ProgressEntry.objects.get(target=target, period=JUNE)
    assert entry.state == EntryState.SUBMITTED
    assert entry.submitted_by == world.users["own_staff"]
    assert len(callbacks) == 1  # the recompute, enqueued once the save committed
    assert TargetSnapshot.objects.filter(target=target, period=JUNE).exists()
    assert not PendingRecompute.objects.filter(target=target).exists()  # done, outbox cleared


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("３３５", D(335)),
        # (under 3× the target of 335: a larger figure asks for a confirmation)
        ("1,004.5", D("1004.5")),
        ("1，004.5", D("1004.5")),
        ("１，００４．５", D("1004.5")),
        (" 12 ", D(12)),
        ("335万平方米", D(335)),
    ],
)
def test_entry_form_understands_how_numbers_are_typed(world, typed, stored):
    assert post(world, "cumulative", {"value": typed}).status_code == 302
    assert ProgressEntry.objects.get(target=world.cumulative).value == stored


def with_previous_counted(world):
    f.entry(world.cumulative, MAY, value=D(100))
    f.entry(world.milestone, MAY, percent=D(60))


BAD = [
    (
        "cumulative",
        {"value": "四百"},
        "value",
        "请用阿拉伯数字填写（如 400），不能用汉字数字（如“四百”）。",
    ),
    (
        "cumulative",
        {"value": "三百亿元"},
        "value",
        "请用阿拉伯数字填写（如 400），不能用汉字数字（如“四百”）。",
    ),
    (
        "cumulative",
        {"value": "约200"},
        "value",
        "请只填写数字，如 335 或 1,234.5（不要填写文字、公式或其他符号）。",
    ),
    (
        "cumulative",
        {"value": "=A1+1"},
        "value",
        "请只填写数字，如 335 或 1,234.5（不要填写文字、公式或其他符号）。",
    ),
    (
        "cumulative",
        {"value": "1,23"},
        "value",
        "千分位逗号的位置不对：请写成 1,234.5，或不加逗号写 1234.5。",
    ),
    ("cumulative", {"value": "-5"}, "value", "不能为负数。"),
    ("cumulative", {"value": "1.23456"}, "value", "最多保留 4 位小数。"),
    (
        "cumulative",
        {"value": "1" * 13},
        "value",
        "数值过大：须小于 10000000000，请检查单位是否正确（本项单位为万平方米）。",
    ),
    # the largest value accepted fits every column it flows into (see MAX_MAGNITUDE)
    (
        "cumulative",
        {"value": "10000000000"},
        "value",
        "数值过大：须小于 10000000000，请检查单位是否正确（本项单位为万平方米）。",
    ),
    ("level", {"value": "-0.5"}, "value", "百分比须在 0 到 100 之间。"),
    # a share is at most 100%; a count is whole
    ("level", {"value": "100.5"}, "value", "百分比须在 0 到 100 之间。"),
    ("ceiling", {"value": "1.5"}, "value", "请填写整数（单位为户）。"),
    # May's approved report said 60% done: June's cannot claim it was done in May
    (
        "milestone",
        {"done_on": "2025-05-20", "percent": "100"},
        "done_on",
        "2025年5月已报送的进展为“尚未完成（完成 60%）”，完成日期不能早于5月底。"
        "如该月进展有误，请联系审核员重新打开更正。",
    ),
    ("ceiling", {"value": "-1"}, "value", "不能为负数。"),
    ("milestone", {"percent": "120"}, "percent", "完成进度须在 0 到 100 之间。"),
    ("milestone", {"percent": "-1"}, "percent", "完成进度须在 0 到 100 之间。"),
    ("milestone", {"done_on": "2025-07-25"}, "done_on", "完成日期不能晚于今天（2025-07-20）。"),
    ("milestone", {"done_on": "2024-12-31"}, "done_on", "完成日期须在2025年内。"),
    (
        "milestone",
        {"done_on": "2025-07-10"},
        "done_on",
        "完成日期晚于所报月份（2025年6月），请在完成当月的进展中填报。",
    ),
    (
        "milestone",
        {"done_on": "2025-06-10", "percent": "80"},
        "percent",
        "已填写完成日期，完成进度应为 100。",
    ),
    ("milestone", {"done_on": "上个月"}, "done_on", "日期格式不对，请写成 2025-03-26。"),
    ("assessed", {"assessment": "excellent"}, "assessment", "请从列表中选择评估结论。"),
    (
        "cumulative",
        {"value": "1", "narrative": "进" * 2001},
        "narrative",
        "进展情况不能超过 2000 字（目前为 2001 字），请精简后再保存。",
    ),
    (
        "level",
        {"value": "1", "problems": "问" * 2001},
        "problems",
        "存在问题不能超过 2000 字（目前为 2001 字），请精简后再保存。",
    ),
    (
        "ceiling",
        {"value": "1", "next_steps": "计" * 2001},
        "next_steps",
        "下步计划不能超过 2000 字（目前为 2001 字），请精简后再保存。",
    ),
    (
        "cumulative",
        {"value": "120", "correction_reason": "说" * 501},
        "correction_reason",
        "数值下调说明不能超过 500 字（目前为 501 字），请精简后再保存。",
    ),
    (
        "cumulative",
        {"value": "80"},
        "correction_reason",
        "本月累计数 80万平方米 低于5月已报送的 100万平方米，请说明下调原因。",
    ),
    ("cumulative", {"action": "submit"}, "value", "请填写 1 月至本月的累计数。"),
    ("milestone", {"action": "submit"}, "percent", "请填写完成进度（全部完成时填写完成日期）。"),
    (
        "milestone",
        {"action": "submit", "percent": "100"},
        "done_on",
        "完成进度为 100% 时，请填写完成日期。",
    ),
    ("assessed", {"action": "submit"}, "assessment", "请选择评估结论。"),
    # 序时 at the end of June is 50%; 120 of 335 (35.8%) is more than 10 points behind.
    (
        "cumulative",
        {"action": "submit", "value": "120", "next_steps": "加快。"},
        "problems",
        "按本次填报，该指标将显示为“严重滞后”，提交前请填写存在问题。",
    ),
    (
        "assessed",
        {"action": "submit", "assessment": "lagging", "problems": "资金缺口。"},
        "next_steps",
        "按本次填报，该指标将显示为“进度滞后”，提交前请填写下步计划。",
    ),
]


@pytest.mark.parametrize(("kind", "data", "field", "message"), BAD)
def test_entry_form_bad_input_is_refused_with_its_message_and_nothing_written(
    world, kind, data, field, message
):
    with_previous_counted(world)
    before = footprint()
    response = post(world, kind, data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert footprint() == before


EVIDENCE_BAD = [
    (
        "a.exe",
        b"MZ\x90\x00",
        "未能上传佐证材料：“a.exe”的类型不支持。"
        "佐证材料只接受 PDF、JPG、PNG、Excel（xlsx）、Word（docx）文件。",
    ),
    (
        "photo.pdf",
        png_bytes(),
        "未能上传佐证材料：“photo.pdf”的扩展名与文件内容（PNG 图片）不符，请检查后重新上传。",
    ),
    (
        "notes.pdf",
        "这不是PDF".encode(),
        "未能上传佐证材料：“notes.pdf”的内容不是有效的 PDF、JPG、PNG、xlsx 或 docx 文件。",
    ),
    (
        "fake.docx",
        xlsx_bytes(),
        "未能上传佐证材料：“fake.docx”的扩展名与文件内容（Excel）不符，请检查后重新上传。",
    ),
    ("empty.png", b"", "未能上传佐证材料：“empty.png”是空文件。"),
    (
        "big.pdf",
        pdf_bytes() + b"0" * 9000,
        "未能上传佐证材料：“big.pdf”大小为 9 KB，超过上限 8 KB。",
    ),
]


@pytest.mark.parametrize(("name", "content", "message"), EVIDENCE_BAD)
def test_entry_form_bad_evidence_is_refused_and_nothing_written(
    world, settings, name, content, message
):
    settings.EVIDENCE_MAX_BYTES = 8 * 1024
    before = footprint()
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = post(world, "cumulative", {"value": "100"}, files={"evidence": [upload]})
    assert response.status_code == 200
    assert response.context["form"].errors["evidence"] == [message]
    assert footprint() == before


def test_entry_form_evidence_is_checked_by_content_and_stored_under_random_names(world):
    uploads = [
        SimpleUploadedFile("验收报告.pdf", pdf_bytes()),
        SimpleUploadedFile("现场.PNG", png_bytes()),
        SimpleUploadedFile("现场2.jpg", jpeg_bytes()),
        SimpleUploadedFile("台账.xlsx", xlsx_bytes()),
        SimpleUploadedFile("说明.docx", docx_bytes()),
    ]
    response = post(world, "cumulative", {"value": "100"}, files={"evidence": uploads})
    assert response.status_code == 302
    rows = list(Evidence.objects.order_by("pk"))
    assert [(e.original_name, e.content_type) for e in rows] == [
        ("验收报告.pdf", "application/pdf"),
        ("现场.PNG", "image/png"),
        ("现场2.jpg", "image/jpeg"),
        ("台账.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("说明.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ]
    for row in rows:
        assert row.file.name.startswith("evidence/2025/06/")
        assert row.original_name.rsplit(".", 1)[0] not in row.file.name
        assert row.uploaded_by == world.users["own_staff"]
    entry = rows[0].entry
    assert entry.history.get().history_change_reason.startswith(
        "保存草稿；上传佐证材料：验收报告.pdf"
    )


def test_entry_form_preview_writes_nothing_and_shows_the_would_be_status(world):
    before = footprint()
    response = post(world, "cumulative", {"action": "preview", "value": "160"})
    assert response.status_code == 200
    preview = response.context["form"].preview
    # 序时 at the end of June: 6/12; 160/335 = 47.8%, within 10 points: lagging.
    assert (preview.status, preview.ratio, preview.expected) == ("lagging", D("0.4776"), D("0.5"))
    assert "提交后的效果" in response.content.decode()
    assert footprint() == before


@pytest.mark.parametrize(
    ("period", "message"),
    [
        (date(2025, 8, 1), "2025年8月尚未到来，不能填报未来的月份。"),
        (date(2024, 12, 1), "2024年不在任何计划年度内。"),
    ],
)
def test_entry_form_month_outside_the_allowed_range_is_refused(world, period, message):
    before = footprint()
    response = post(world, "cumulative", {"value": "1"}, period=period)
    assert response.status_code == 400
    assert response.context["message"] == message
    assert footprint() == before


def test_entry_form_for_a_month_of_another_plan_year_is_refused(world):
    f.plan_year(2024)
    response = post(world, "cumulative", {"value": "1"}, period=date(2024, 12, 1))
    assert response.status_code == 400
    assert response.context["message"] == "该指标属于2025年度，不能填报2024年的月份。"


def test_derived_target_page_explains_the_source_and_has_no_form(world):
    response = world.client("own_staff").get(url(world.derived))
    assert response.status_code == 200
    assert "form" not in response.context
    assert "新引进项目签约额" in response.content.decode()
    before = footprint()
    assert post(world, "derived", {"value": "1"}).status_code == 403
    assert footprint() == before


PROJECT_BAD = [
    (
        {"investment": "五亿"},
        "investment",
        "请用阿拉伯数字填写（如 400），不能用汉字数字（如“四百”）。",
    ),
    ({"investment": "-0.1"}, "investment", "不能为负数。"),
    ({"action": "submit"}, "investment", "请填写本月完成投资（没有投资请填 0）。"),
    ({"investment": "1", "stage": "flying"}, "stage", "请从列表中选择项目阶段。"),
    (
        {"investment": "1", "notes": "进" * 2001},
        "notes",
        "进展情况不能超过 2000 字（目前为 2001 字），请精简后再保存。",
    ),
]


@pytest.mark.parametrize(("data", "field", "message"), PROJECT_BAD)
def test_project_form_bad_input_is_refused_and_nothing_written(world, data, field, message):
    before = footprint()
    response = world.client("own_staff").post(
        reverse("reporting:project_entry", args=[world.project.pk, JUNE]),
        {"version": "0", "action": "save", **data},
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert footprint() == before


def test_project_form_valid_submit_is_saved(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("own_staff").post(
            reverse("reporting:project_entry", args=[world.project.pk, JUNE]),
            {
                "version": "0",
                "action": "submit",
                "investment": "１．２５",
                "stage": "under_construction",
                "notes": "主体施工。",
            },
        )
    assert response.status_code == 302
    progress = ProjectProgress.objects.get(project=world.project, period=JUNE)
    assert (progress.investment, progress.stage, progress.state) == (
        D("1.25"),
        "under_construction",
        EntryState.SUBMITTED,
    )
