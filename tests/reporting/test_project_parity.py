"""Project reports as complete as target reports: the preview of what the submission
changes (the derived targets it moves, its pace against the year's plan), evidence
files, 存在问题 / 下步计划 required when the project is behind its plan, and the stage
started from last month's."""

from decimal import Decimal as D

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.models import ProjectEvidence, ProjectProgress, Stage
from targets.models import EntryState
from tests import factories as f
from tests.reporting.conftest import JUNE, MAY
from tests.reporting.helpers import footprint, pdf_bytes
from tests.reporting.test_excel import download, rows_by_code

BEHIND_PROBLEMS = (
    "按本次填报，本年累计完成投资 4.5亿元，低于年度计划按序时进度应完成的 6亿元，"
    "将显示为“严重滞后”，提交前请填写存在问题。"
)
BEHIND_NEXT = BEHIND_PROBLEMS.replace("存在问题", "下步计划")


def url(world) -> str:
    return reverse("reporting:project_entry", args=[world.project.pk, JUNE])


def post(world, data: dict, files=None):
    payload = {"version": "0", "action": "submit", "stage": Stage.UNDER_CONSTRUCTION, **data}
    return world.client("own_staff").post(url(world), {**payload, **(files or {})})


def planned(world, before=D(4)):
    """A plan of 12亿元 for the year, 4亿元 reported in May (序时 in June: 6亿元)."""
    project = world.project
    project.annual_plan, project.total_investment = D(12), D(100)
    project.save()
    f.progress(project, MAY, investment=before, state=EntryState.APPROVED)
    return project


def test_problems_and_next_steps_are_required_when_the_project_is_behind_its_plan(world):
    planned(world)
    before = footprint()
    response = post(world, {"investment": "0.5"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert (errors["problems"], errors["next_steps"]) == ([BEHIND_PROBLEMS], [BEHIND_NEXT])
    assert footprint() == before
    # A draft may be saved without them; a submission with them goes through.
    assert post(world, {"investment": "0.5", "action": "save"}).status_code == 302
    response = post(
        world,
        {
            "investment": "0.5",
            "version": "1",
            "problems": "征迁滞后。",
            "next_steps": "7月完成征迁。",
        },
    )
    assert response.status_code == 302
    progress = ProjectProgress.objects.get(project=world.project, period=JUNE)
    assert (progress.state, progress.problems, progress.next_steps) == (
        EntryState.SUBMITTED,
        "征迁滞后。",
        "7月完成征迁。",
    )


def test_a_project_on_its_plan_needs_no_reasons(world):
    planned(world, before=D(5))
    assert post(world, {"investment": "1"}).status_code == 302


def test_the_preview_lists_the_derived_targets_the_report_moves(world):
    project = planned(world)
    moved = f.target(
        project.programme,
        code="3.9",
        title="重点项目年度完成投资",
        source="key_project_investment_completed",
        unit="亿元",
        target_value=D(12),
        lead_department=world.own,
    )
    before = footprint()
    response = post(world, {"investment": "2", "action": "preview"})
    assert response.status_code == 200
    preview = response.context["form"].preview
    # 4亿元 counted (May) + 2亿元 this month = 6 of 12: on 序时.
    assert (preview.pace.invested, preview.pace.ratio, preview.pace.status) == (
        D(6),
        D("0.5"),
        "on_track",
    )
    # The signing total (world.derived) does not read investment: not listed.
    [move] = preview.moves
    assert (move.target, move.before, move.after) == (moved, D(4), D(6))
    assert (move.result.ratio, move.result.status) == (D("0.5"), "on_track")
    page = response.content.decode()
    assert 'data-testid="derived-moves"' in page and "3.9 重点项目年度完成投资" in page
    assert footprint() == before


def test_the_preview_counts_a_resubmission_once(world):
    project = planned(world)
    moved = f.target(
        project.programme, code="3.9", source="key_project_investment_completed", unit="亿元"
    )
    f.progress(project, JUNE, investment=D(1), state=EntryState.SUBMITTED)
    response = post(world, {"investment": "3", "version": "1", "action": "preview"})
    [move] = response.context["form"].preview.moves
    assert (move.target, move.before, move.after) == (moved, D(5), D(7))


def test_the_stage_starts_from_last_months(world):
    f.progress(world.project, MAY, investment=D(1), stage=Stage.STARTED)
    assert world.project.stage == Stage.UNDER_CONSTRUCTION
    response = world.client("own_staff").get(url(world))
    assert response.context["form"].initial["stage"] == Stage.STARTED
    sheet = download(world).active
    from reporting.excel.layout import INDEX

    row = rows_by_code(sheet)["P-OWN"]
    assert sheet.cell(row=row, column=INDEX["choice"]).value == "开工"


def test_without_last_month_the_stage_is_the_projects(world):
    response = world.client("own_staff").get(url(world))
    assert response.context["form"].initial["stage"] == Stage.UNDER_CONSTRUCTION


def test_a_project_report_takes_evidence_files(world):
    upload = SimpleUploadedFile("现场照片.pdf", pdf_bytes())
    response = post(world, {"investment": "0.5"}, files={"evidence": [upload]})
    assert response.status_code == 302
    [evidence] = ProjectEvidence.objects.all()
    assert evidence.original_name == "现场照片.pdf"
    assert evidence.file.name.startswith("evidence/projects/2025/06/")
    page = world.client("reviewer").get(url(world)).content.decode()
    download_url = reverse("reporting:project_evidence", args=[evidence.pk])
    assert download_url in page
    response = world.client("reviewer").get(download_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_the_saved_figure_is_previewed_when_the_page_opens(world):
    project = planned(world)
    f.target(project.programme, code="3.9", source="key_project_investment_completed", unit="亿元")
    f.progress(project, JUNE, investment=D("0.5"), state=EntryState.DRAFT)
    response = world.client("own_staff").get(url(world))
    preview = response.context["form"].preview
    assert (preview.pace.invested, preview.pace.status) == (D("4.5"), "behind")
    [move] = preview.moves
    assert (move.before, move.after) == (D(4), D("4.5"))
    assert 'data-testid="preview"' in response.content.decode()
