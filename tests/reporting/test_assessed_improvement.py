"""An assessed target can report an improvement (issue 9, item 6): a new assessment,
provisional until approved, is what the preview and the status use, not the previous
approved one. Through the entry form as a department's staff user."""

from datetime import date

import pytest
from django.urls import reverse

from targets import completion, snapshots
from targets.models import EntryState, ProgressEntry, TargetSnapshot
from tests import factories as f
from tests.reporting.conftest import JUNE, MAY, TODAY
from tests.reporting.test_excel import DATA_SHEET, as_upload, download, fill, upload


def post(world, data: dict):
    target = world.target("assessed")
    payload = {"version": "0", "narrative": "营商环境持续改善。", **data}
    return world.client("own_staff").post(
        reverse("reporting:target_entry", args=[target.pk, JUNE]), payload
    )


@pytest.fixture
def lagging_in_may(world, django_capture_on_commit_callbacks):
    target = world.target("assessed")
    f.entry(
        target,
        MAY,
        assessment=completion.LAGGING,
        state=EntryState.APPROVED,
        problems="排名下滑。",
        next_steps="对标提升。",
    )
    return target


def test_preview_follows_the_new_assessment(world, lagging_in_may):
    response = post(world, {"action": "preview", "assessment": completion.ON_TRACK})
    assert response.status_code == 200
    assert response.context["form"].preview.status == completion.ON_TRACK


def test_an_improvement_is_submitted_without_problems_and_counts_at_once(
    world, lagging_in_may, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(world, {"action": "submit", "assessment": completion.ON_TRACK})
    assert response.status_code == 302, response.context["form"].errors
    entry = ProgressEntry.objects.get(target=lagging_in_may, period=JUNE)
    assert (entry.state, entry.assessment) == (EntryState.SUBMITTED, completion.ON_TRACK)
    snapshots.recompute_target(target_id=lagging_in_may.pk, today=TODAY)
    june = TargetSnapshot.objects.get(target=lagging_in_may, period=JUNE)
    may = TargetSnapshot.objects.get(target=lagging_in_may, period=MAY)
    assert (may.status, june.status) == (completion.LAGGING, completion.ON_TRACK)
    assert june.last_period == date(2025, 6, 1)


def test_an_improvement_through_the_excel_upload_needs_no_problems_and_counts(
    world, lagging_in_may, django_capture_on_commit_callbacks
):
    book = download(world)
    fill(book[DATA_SHEET], lagging_in_may.code, choice="正常推进", narrative="营商环境持续改善。")
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(world, as_upload(book))
    # Accepted whole: the new assessment is judged, not May's 进度滞后，so 存在问题 and
    # 下步计划 are not demanded.
    assert response.status_code == 302, response.context and response.context.get("row_errors")
    entry = ProgressEntry.objects.get(target=lagging_in_may, period=JUNE)
    assert (entry.state, entry.assessment) == (EntryState.SUBMITTED, completion.ON_TRACK)
    snapshots.recompute_target(target_id=lagging_in_may.pk, today=TODAY)
    june = TargetSnapshot.objects.get(target=lagging_in_may, period=JUNE)
    assert june.status == completion.ON_TRACK
