"""The whole workflow through the pages: draft → submitted → returned (with a reason)
→ resubmitted → approved (locked) → reopened → resubmitted, every step recorded and
shown as the entry's history."""

from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.models import ProjectProgress, Stage
from reporting.history import Change, history_of
from targets.adapters import TARGET_ENTRIES
from targets.models import EntryState, Evidence, ProgressEntry
from tests.reporting.conftest import JUNE
from tests.reporting.helpers import footprint, media_files, pdf_bytes

ENTRY_FIELDS = TARGET_ENTRIES.history_fields


def entry_url(world):
    return reverse("reporting:target_entry", args=[world.cumulative.pk, JUNE])


def staff_post(world, version: int, action: str, **data):
    return world.client("own_staff").post(
        entry_url(world), {"version": str(version), "action": action, **data}
    )


def review(world, entry: ProgressEntry, action: str, reason: str = "", who: str = "reviewer"):
    return world.client(who).post(
        reverse("reporting:review_target", args=[entry.pk]),
        {"action": action, "reason": reason, "version": entry.version, "next": "/review/"},
    )


def current(world) -> ProgressEntry:
    return ProgressEntry.objects.get(target=world.cumulative, period=JUNE)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def test_workflow_return_resubmit_approve_lock_reopen_with_history(world):
    ok = {"problems": "无", "next_steps": "继续推进"}
    assert staff_post(world, 0, "save", value="150").status_code == 302
    assert staff_post(world, 1, "submit", value="180", **ok).status_code == 302
    entry = current(world)
    assert (entry.state, entry.version, entry.value) == (EntryState.SUBMITTED, 2, D(180))

    # Returning needs a reason: refused without one, nothing changes.
    before = footprint()
    response = review(world, entry, "return")
    assert messages_of(response) == ["请填写退回原因，以便填报单位修改。"]
    assert footprint() == before

    reason = "累计数与统计局口径不一致，请核实后重新提交。" * 5  # longer than a history reason
    assert review(world, entry, "return", reason).status_code == 302
    entry = current(world)
    assert (entry.state, entry.return_reason) == (EntryState.RETURNED, reason)

    # The department sees it first on its month, with the reason.
    month = world.client("own_staff").get(reverse("reporting:my_month") + "?month=2025-06")
    rows = month.context["page"].rows_of("target")
    assert (rows[0].subject, rows[0].state) == (world.cumulative, EntryState.RETURNED)
    assert reason in month.content.decode()

    assert staff_post(world, 3, "submit", value="190", **ok).status_code == 302
    entry = current(world)
    assert review(world, entry, "approve").status_code == 302
    entry = current(world)
    assert (entry.state, entry.version, entry.reviewed_by) == (
        EntryState.APPROVED,
        5,
        world.users["reviewer"],
    )

    # Approved: locked for the department.
    before = footprint()
    response = staff_post(world, 5, "save", value="1")
    assert response.status_code == 409
    assert (
        response.context["problem"] == "该月进展已审核通过并锁定；如需修改，请联系审核员重新打开。"
    )
    assert footprint() == before
    page = world.client("own_staff").get(entry_url(world))
    assert page.context["can_write"] is False

    # Reopening needs a reason too; then the department may change it again.
    assert messages_of(review(world, entry, "reopen")) == ["请填写重新打开的原因。"]
    assert review(world, entry, "reopen", "统计局更正了6月数据。").status_code == 302
    entry = current(world)
    assert entry.state == EntryState.RETURNED
    assert staff_post(world, 6, "submit", value="185", correction_reason="统计局更正。", **ok)
    entry = current(world)
    assert (entry.state, entry.version, entry.value) == (EntryState.SUBMITTED, 7, D(185))

    items = history_of(entry, ENTRY_FIELDS)[::-1]  # oldest first
    assert [item.action for item in items] == [
        "保存草稿",
        "提交",
        "退回：" + reason,  # kept whole, however long
        "提交",
        "审核通过",
        "重新打开：统计局更正了6月数据。",
        "提交",
    ]
    assert [item.who for item in items] == [
        "staff-own",
        "staff-own",
        "reviewer",
        "staff-own",
        "reviewer",
        "reviewer",
        "staff-own",
    ]
    assert items[0].changes[:2] == [Change("状态", "—", "草稿"), Change("数值", "—", "150")]
    assert items[1].changes[:2] == [Change("状态", "草稿", "已提交"), Change("数值", "150", "180")]
    assert items[4].changes == [Change("状态", "已提交", "已通过")]
    assert items[6].changes[:2] == [
        Change("状态", "已退回", "已提交"),
        Change("数值", "190", "185"),
    ]

    # The entry page shows that history to everyone who may read it.
    for who in ("own_staff", "reviewer", "leader", "admin"):
        response = world.client(who).get(entry_url(world))
        assert response.status_code == 200
        assert response.context["history"] == items[::-1]
        assert "重新打开：统计局更正了6月数据。" in response.content.decode()


def test_workflow_review_with_a_stale_version_is_refused(world):
    staff_post(world, 0, "submit", value="200", problems="无", next_steps="无")
    entry = current(world)
    stale = entry.version
    staff_post(world, stale, "submit", value="210", problems="无", next_steps="无")
    entry.version = stale
    before = footprint()
    response = review(world, entry, "approve")
    assert messages_of(response)[0].startswith("这条记录已被staff-own于")
    assert current(world).state == EntryState.SUBMITTED
    assert footprint() == before


def test_workflow_project_return_resubmit_approve_moves_the_project_stage(world):
    project = world.project
    url = reverse("reporting:project_entry", args=[project.pk, JUNE])
    client = world.client("own_staff")
    data = {"investment": "0.5", "stage": Stage.COMPLETED, "notes": "竣工验收。"}
    assert client.post(url, {"version": "0", "action": "submit", **data}).status_code == 302
    progress = ProjectProgress.objects.get(project=project, period=JUNE)

    def act(action: str, reason: str = ""):
        return world.client("reviewer").post(
            reverse("reporting:review_project", args=[progress.pk]),
            {"action": action, "reason": reason, "version": progress.version},
        )

    assert act("return", "请补充竣工验收备案。").status_code == 302
    progress.refresh_from_db()
    assert progress.state == EntryState.RETURNED
    assert client.post(url, {"version": "2", "action": "submit", **data}).status_code == 302
    progress.refresh_from_db()
    act("approve")
    progress.refresh_from_db()
    project.refresh_from_db()
    assert (progress.state, project.stage) == (EntryState.APPROVED, Stage.COMPLETED)
    response = client.post(url, {"version": str(progress.version), "action": "save", **data})
    assert response.status_code == 409
    act("reopen", "投资额需调整。")
    progress.refresh_from_db()
    assert progress.state == EntryState.RETURNED
    actions = [h.history_change_reason for h in progress.history.order_by("history_date")]
    assert actions == [
        "提交",
        "退回：请补充竣工验收备案。",
        "提交",
        "审核通过",
        "重新打开：投资额需调整。",
    ]


def test_workflow_evidence_removal_is_recorded_and_locked_after_approval(
    world, django_capture_on_commit_callbacks
):
    staff_post(world, 0, "save", value="100", evidence=SimpleUploadedFile("a.pdf", pdf_bytes()))
    evidence = Evidence.objects.get()
    stored = evidence.file.name
    delete = reverse("reporting:target_evidence_delete", args=[evidence.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("own_staff").post(delete, {"version": "1"})
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert stored not in media_files()
    entry = current(world)
    assert (entry.version, entry.history.first().history_change_reason) == (
        2,
        "删除佐证材料：a.pdf",
    )

    ok = {"problems": "无", "next_steps": "无"}
    staff_post(
        world, 2, "submit", value="200", evidence=SimpleUploadedFile("b.pdf", pdf_bytes()), **ok
    )
    review(world, current(world), "approve")
    evidence = Evidence.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("own_staff").post(
            reverse("reporting:target_evidence_delete", args=[evidence.pk]), {"version": "4"}
        )
    assert messages_of(response) == ["该月进展已审核通过并锁定；如需修改，请联系审核员重新打开。"]
    assert evidence.file.name in media_files()


def test_nobody_approves_their_own_submission(world):
    from targets.adapters import TARGET_ENTRIES
    from targets.services import EntryValues
    from workflow.machine import WorkflowError
    from workflow.services import approve_entry, save_entry

    admin = world.users["admin"]
    entry = save_entry(
        adapter=TARGET_ENTRIES,
        subject=world.cumulative,
        period=JUNE,
        user=admin,
        values=EntryValues(value=D(120)),
        expected_version=None,
        submit=True,
    )
    with pytest.raises(WorkflowError, match="不能审核通过自己提交的进展"):
        approve_entry(
            adapter=TARGET_ENTRIES, entry_id=entry.pk, user=admin, expected_version=entry.version
        )
    entry = approve_entry(
        adapter=TARGET_ENTRIES,
        entry_id=entry.pk,
        user=world.users["reviewer"],
        expected_version=entry.version,
    )
    assert entry.state == EntryState.APPROVED


def test_evidence_removal_without_the_pages_version_is_refused(world):
    staff_post(world, 0, "save", value="100", evidence=SimpleUploadedFile("a.pdf", pdf_bytes()))
    evidence = Evidence.objects.get()
    response = world.client("own_staff").post(
        reverse("reporting:target_evidence_delete", args=[evidence.pk]), follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["页面已过期，请刷新后重试。"]
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert current(world).version == 1
