"""Evidence files（佐证材料）on the departments' answers to 督办单（反馈）and to 领导批示
（办理情况），as on a project's monthly report: attached on the answer's form, listed
on its page for the clerk and the reviewer, named in its history, downloaded only by
those who may read the department's reports; a refused file writes nothing; a file
chosen on a form that fails is kept for the corrected one. And the admin's read-only
lists of orders, instructions and answers."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from supervision import orders
from supervision.models import (
    Instruction,
    InstructionAnswer,
    InstructionAnswerEvidence,
    OrderAnswer,
    OrderAnswerEvidence,
    SupervisionOrder,
)
from tests.reporting.conftest import world  # noqa: F401 (the fixture)
from tests.reporting.helpers import media_files, pdf_bytes, png_bytes
from workflow.models import PendingUpload
from workflow.states import EntryState

JULY = date(2025, 7, 1)
REFUSED = (
    "未能上传佐证材料：“病毒.exe”的类型不支持。"
    "佐证材料只接受 PDF、JPG、PNG、Excel（xlsx）、Word（docx）文件。"
)


def pdf(name="整改报告.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


@pytest.fixture
def order(world) -> SupervisionOrder:  # noqa: F811
    return orders.open_order(
        subject=world.cumulative,
        department=None,
        requirement="请于月底前补齐进度",
        deadline=date(2025, 7, 31),
        colour="red",
        actor=world.users["reviewer"],
    )


@pytest.fixture
def instruction(world) -> Instruction:  # noqa: F811
    return orders.write_instruction(
        subject=world.cumulative, text="请加快签约进度。", actor=world.users["leader"]
    )


def order_url(order) -> str:
    return reverse("reporting:order_entry", args=[order.pk, JULY])


def answer(w, order, *, files=None, who="own_staff", **values):
    data = {
        "version": 0,
        "action": "submit",
        "measures": "成立专班",
        "progress": "已签约两项",
        **values,
        **(files or {}),
    }
    return w.client(who).post(order_url(order), data)


def test_a_clerk_attaches_a_file_to_a_feedback_the_reviewer_sees_and_downloads_it(
    world,  # noqa: F811
    order,
):
    w = world
    response = answer(w, order, files={"evidence": [pdf()]})
    assert response.status_code == 302
    entry = OrderAnswer.objects.get()
    assert entry.state == EntryState.SUBMITTED
    [evidence] = entry.evidence.all()
    assert (evidence.original_name, evidence.content_type, evidence.size) == (
        "整改报告.pdf",
        "application/pdf",
        len(pdf_bytes()),
    )
    assert evidence.uploaded_by == w.users["own_staff"]
    # Stored under a random name in the orders' folder, never the uploader's name.
    assert evidence.file.name.startswith("evidence/orders/2025/07/")
    assert "整改报告" not in evidence.file.name
    download = reverse("reporting:order_evidence", args=[evidence.pk])

    # The reviewer's page lists it, with its download link, and the history names it.
    page = w.client("reviewer").get(order_url(order))
    assert page.status_code == 200
    text = page.content.decode()
    assert "整改报告.pdf" in text and download in text
    assert "上传佐证材料：整改报告.pdf" in text
    # The clerk's own page lists it too, with a delete button while not locked.
    own = w.client("own_staff").get(order_url(order)).content.decode()
    assert download in own
    assert reverse("reporting:order_evidence_delete", args=[evidence.pk]) in own

    for who in ("reviewer", "own_staff", "leader"):
        response = w.client(who).get(download)
        assert response.status_code == 200, who
        assert b"".join(response.streaming_content) == pdf_bytes()
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
    # Another department's clerk may not.
    assert w.client("other_staff").get(download).status_code == 403
    # An id of the other kind is not this kind's evidence.
    missing = reverse("reporting:instruction_evidence", args=[evidence.pk])
    assert w.client("reviewer").get(missing).status_code == 404


def test_an_instruction_answer_takes_evidence_too(world, instruction):  # noqa: F811
    w = world
    url = reverse("reporting:instruction_entry", args=[instruction.pk, JULY])
    response = w.client("own_staff").post(
        url,
        {
            "version": 0,
            "action": "submit",
            "answer": "已与三家企业签约。",
            "evidence": [SimpleUploadedFile("签约现场.png", png_bytes())],
        },
    )
    assert response.status_code == 302
    [evidence] = InstructionAnswer.objects.get().evidence.all()
    assert evidence.file.name.startswith("evidence/instructions/2025/07/")
    assert evidence.content_type == "image/png"
    download = reverse("reporting:instruction_evidence", args=[evidence.pk])
    assert download in w.client("reviewer").get(url).content.decode()
    assert w.client("leader").get(download).status_code == 200
    assert w.client("other_staff").get(download).status_code == 403
    assert not OrderAnswerEvidence.objects.exists()


def test_a_refused_file_type_says_why_in_chinese_and_writes_nothing(world, order):  # noqa: F811
    w = world
    before = media_files()
    response = answer(w, order, files={"evidence": [SimpleUploadedFile("病毒.exe", b"MZ\x90")]})
    assert response.status_code == 200
    assert response.context["form"].errors["evidence"] == [REFUSED]
    assert REFUSED in response.content.decode()
    assert not OrderAnswer.objects.exists() and not OrderAnswer.history.exists()
    assert not OrderAnswerEvidence.objects.exists()
    assert not PendingUpload.objects.exists()
    assert media_files() == before


def test_a_file_with_a_false_extension_is_refused_too(world, instruction):  # noqa: F811
    url = reverse("reporting:instruction_entry", args=[instruction.pk, JULY])
    response = world.client("own_staff").post(
        url,
        {
            "version": 0,
            "action": "save",
            "answer": "已部署。",
            "evidence": [SimpleUploadedFile("照片.pdf", png_bytes())],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["evidence"] == [
        "未能上传佐证材料：“照片.pdf”的扩展名与文件内容（PNG 图片）不符，请检查后重新上传。"
    ]
    assert not InstructionAnswer.objects.exists()
    assert not InstructionAnswerEvidence.objects.exists()


def test_the_pending_upload_is_kept_when_the_answer_form_fails(
    world,  # noqa: F811
    order,
    django_capture_on_commit_callbacks,
):
    w = world
    # Submitting without measures fails the form: the file waits.
    response = answer(w, order, measures="", files={"evidence": [pdf()]})
    assert response.status_code == 200
    assert response.context["form"].errors["measures"] == ["提交前请填写整改措施。"]
    [kept] = PendingUpload.objects.all()
    assert (kept.owner, kept.form_key) == (w.users["own_staff"], f"order:{order.pk}:2025-07")
    page = response.content.decode()
    assert 'data-testid="pending-uploads"' in page and "整改报告.pdf" in page
    assert not OrderAnswer.objects.exists()
    # Shown again on a later visit of the same form.
    again = w.client("own_staff").get(order_url(order)).content.decode()
    assert f'value="{kept.pk}" checked' in again

    with django_capture_on_commit_callbacks(execute=True):
        response = answer(w, order, keep_pending=[kept.pk])
    assert response.status_code == 302
    entry = OrderAnswer.objects.get()
    [evidence] = entry.evidence.all()
    assert evidence.original_name == "整改报告.pdf"
    with evidence.file.open("rb") as handle:
        assert handle.read() == pdf_bytes()
    assert not PendingUpload.objects.exists()
    assert [name for name in media_files() if name.startswith("pending/")] == []


def test_evidence_is_locked_with_the_approved_answer(world, order):  # noqa: F811
    w = world
    answer(w, order, files={"evidence": [pdf()]})
    entry = OrderAnswer.objects.get()
    w.client("reviewer").post(
        reverse("reporting:review_order", args=[entry.pk]),
        {"action": "approve", "reason": "", "version": entry.version},
    )
    entry.refresh_from_db()
    assert entry.state == EntryState.APPROVED
    [evidence] = entry.evidence.all()
    # No delete button any more, and a delete is refused.
    own = w.client("own_staff").get(order_url(order)).content.decode()
    assert reverse("reporting:order_evidence_delete", args=[evidence.pk]) not in own
    w.client("own_staff").post(
        reverse("reporting:order_evidence_delete", args=[evidence.pk]),
        {"version": entry.version},
    )
    assert entry.evidence.count() == 1


ADMIN_LISTS = [
    "supervisionorder",
    "instruction",
    "orderanswer",
    "instructionanswer",
]


@pytest.mark.parametrize("model", ADMIN_LISTS)
def test_the_admin_lists_open_read_only(world, order, instruction, model):  # noqa: F811
    w = world
    answer(w, order, files={"evidence": [pdf()]})
    InstructionAnswer.objects.create(instruction=instruction, period=JULY, answer="已部署")
    client = w.client("admin")
    url = reverse(f"admin:supervision_{model}_changelist")
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    # No add button (the sidebar's add links of other models may show).
    assert reverse(f"admin:supervision_{model}_add") not in text
    assert client.get(reverse(f"admin:supervision_{model}_add")).status_code == 403
    # Filtered and searched lists open too.
    assert client.get(url, {"q": "专班"}).status_code == 200
    obj = {
        "supervisionorder": order,
        "instruction": instruction,
        "orderanswer": OrderAnswer.objects.first(),
        "instructionanswer": InstructionAnswer.objects.first(),
    }[model]
    page = client.get(reverse(f"admin:supervision_{model}_change", args=[obj.pk]))
    assert page.status_code == 200
    # Nothing to save on the page: it only shows.
    assert 'name="_save"' not in page.content.decode()


def test_the_order_list_filters_by_state_colour_and_department(world, order):  # noqa: F811
    w = world
    client = w.client("admin")
    url = reverse("admin:supervision_supervisionorder_changelist")
    shown = client.get(url, {"state__exact": "open", "colour__exact": "red"})
    assert order.code in shown.content.decode()
    assert shown.context["cl"].result_count == 1
    hidden = client.get(url, {"lead_department__id__exact": w.other.pk})
    assert hidden.context["cl"].result_count == 0
    found = client.get(url, {"q": "补齐进度"})
    assert found.context["cl"].result_count == 1


def test_the_instruction_list_filters_open_and_answered(world, instruction):  # noqa: F811
    client = world.client("admin")
    url = reverse("admin:supervision_instruction_changelist")
    assert client.get(url, {"state": "open"}).context["cl"].result_count == 1
    assert client.get(url, {"state": "answered"}).context["cl"].result_count == 0
    assert client.get(url, {"q": "签约进度"}).context["cl"].result_count == 1
    assert "办理中" in client.get(url).content.decode()
