"""Nothing a clerk does is lost: an evidence file chosen on a form that fails is kept
(a pending upload of that user and form), shown as attached when the form comes
back, attached on the corrected save, and cleaned up after a day."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from targets.models import EntryState, Evidence, ProgressEntry
from tests.reporting.conftest import JUNE
from tests.reporting.helpers import media_files, pdf_bytes, png_bytes
from workflow import pending
from workflow.models import PendingUpload


def url(world, subject=None, kind="target") -> str:
    subject = subject or world.cumulative
    return reverse(f"reporting:{kind}_entry", args=[subject.pk, JUNE])


def post(world, data: dict, *, files=None, who="own_staff", kind="target", subject=None):
    payload = {"version": "0", "action": "save", **data, **(files or {})}
    return world.client(who).post(url(world, subject, kind), payload)


def pdf(name="验收报告.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def test_evidence_survives_a_validation_error_and_is_attached_after_the_corrected_submit(
    world, django_capture_on_commit_callbacks
):
    response = post(
        world,
        {"value": "四百", "narrative": "已交付。", "action": "submit"},
        files={"evidence": [pdf()]},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["value"]
    page = response.content.decode()
    assert 'data-testid="pending-uploads"' in page and "验收报告.pdf" in page
    assert "已交付。" in page  # typed text survives too
    [kept] = PendingUpload.objects.all()
    assert (kept.owner, kept.form_key) == (
        world.users["own_staff"],
        f"target:{world.cumulative.pk}:2025-06",
    )
    assert not ProgressEntry.objects.exists() and not Evidence.objects.exists()
    # The page shown again (a GET) still has it attached.
    again = world.client("own_staff").get(url(world)).content.decode()
    assert "验收报告.pdf" in again and f'value="{kept.pk}" checked' in again

    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            world,
            {
                "value": "400",
                "narrative": "已交付。",
                "action": "submit",
                "keep_pending": [kept.pk],
            },
        )
    assert response.status_code == 302
    entry = ProgressEntry.objects.get(target=world.cumulative, period=JUNE)
    assert entry.state == EntryState.SUBMITTED
    [evidence] = entry.evidence.all()
    assert (evidence.original_name, evidence.content_type) == ("验收报告.pdf", "application/pdf")
    with evidence.file.open("rb") as handle:
        assert handle.read() == pdf_bytes()
    assert not PendingUpload.objects.exists()
    assert [name for name in media_files() if name.startswith("pending/")] == []


def test_a_pending_file_unticked_is_removed_and_not_attached(
    world, django_capture_on_commit_callbacks
):
    post(world, {"value": "x"}, files={"evidence": [pdf()]})
    assert PendingUpload.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = post(world, {"value": "400"})  # the box left unticked
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert not PendingUpload.objects.exists()
    assert [name for name in media_files() if name.startswith("pending/")] == []


def test_a_refused_file_is_named_and_the_good_one_beside_it_kept(world):
    bad = SimpleUploadedFile("病毒.exe", b"MZ\x90\x00")
    response = post(world, {"value": "400"}, files={"evidence": [pdf(), bad]})
    assert response.status_code == 200
    assert response.context["form"].errors["evidence"] == [
        "未能上传佐证材料：“病毒.exe”的类型不支持。"
        "佐证材料只接受 PDF、JPG、PNG、Excel（xlsx）、Word（docx）文件。"
    ]
    assert "病毒.exe" in response.content.decode()
    assert [p.original_name for p in PendingUpload.objects.all()] == ["验收报告.pdf"]
    assert not ProgressEntry.objects.exists()


def test_a_workflow_refusal_keeps_the_files_too(world):
    # An unconfirmed unusual figure is refused by the form; the file waits.
    response = post(world, {"value": "100000"}, files={"evidence": [pdf()]}, who="own_staff")
    assert response.status_code == 200
    assert [p.original_name for p in PendingUpload.objects.all()] == ["验收报告.pdf"]


def test_the_preview_keeps_the_chosen_files(world):
    response = post(world, {"value": "100", "action": "preview"}, files={"evidence": [pdf()]})
    assert response.status_code == 200
    assert [p.original_name for p in PendingUpload.objects.all()] == ["验收报告.pdf"]


def test_nobody_else_can_claim_a_pending_file(world):
    post(world, {"value": "x"}, files={"evidence": [pdf()]})
    [kept] = PendingUpload.objects.all()
    # Another department's clerk names it on their own form: it is not theirs.
    response = post(
        world,
        {"value": "3", "keep_pending": [kept.pk]},
        who="other_staff",
        subject=world.foreign,
    )
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert PendingUpload.objects.filter(pk=kept.pk).exists()


def test_a_project_form_keeps_its_evidence_too(world):
    response = post(
        world,
        {"investment": "abc"},
        files={"evidence": [SimpleUploadedFile("现场.png", png_bytes())]},
        kind="project",
        subject=world.project,
    )
    assert response.status_code == 200
    [kept] = PendingUpload.objects.all()
    assert kept.form_key == f"project:{world.project.pk}:2025-06"
    response = post(
        world,
        {"investment": "0.5", "keep_pending": [kept.pk]},
        kind="project",
        subject=world.project,
    )
    assert response.status_code == 302
    progress = world.project.progress.get(period=JUNE)
    assert [e.original_name for e in progress.evidence.all()] == ["现场.png"]


def test_pending_uploads_are_cleaned_after_a_day(world, django_capture_on_commit_callbacks):
    post(world, {"value": "x"}, files={"evidence": [pdf("旧.pdf")]})
    [first] = PendingUpload.objects.all()
    post(world, {"value": "y", "keep_pending": [first.pk]}, files={"evidence": [pdf("新.pdf")]})
    old, new = PendingUpload.objects.order_by("pk")
    PendingUpload.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=1, minutes=1)
    )
    old_file = old.file.name
    with django_capture_on_commit_callbacks(execute=True):
        assert pending.clean_expired(now=timezone.now()) == 1
    assert [p.original_name for p in PendingUpload.objects.all()] == ["新.pdf"]
    assert old_file not in media_files() and new.file.name in media_files()
    # The expired one is no longer offered on the form either.
    page = world.client("own_staff").get(url(world)).content.decode()
    assert "旧.pdf" not in page


def test_the_clean_command_and_task_remove_expired_uploads(world):
    from workflow.tasks import clean_pending_uploads

    post(world, {"value": "x"}, files={"evidence": [pdf()]})
    PendingUpload.objects.update(created_at=timezone.now() - timedelta(days=2))
    call_command("clean_pending_uploads")
    assert not PendingUpload.objects.exists()
    post(world, {"value": "x"}, files={"evidence": [pdf()]})
    PendingUpload.objects.update(created_at=timezone.now() - timedelta(days=2))
    assert clean_pending_uploads() == 1
