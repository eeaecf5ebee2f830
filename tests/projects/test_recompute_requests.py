"""One trigger per change: a change to project records asks, once, for the recompute of
exactly the derived targets whose metric reads a changed field (issue 8, item 4)."""

import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.urls import reverse

from org.models import Role
from projects.metrics import PROJECT_FIELDS, request_derived_recompute
from projects.models import KeyProject
from targets.metrics import registry
from targets.models import PendingRecompute, Target
from tests import factories as f

pytestmark = pytest.mark.django_db

METRICS = [
    "signed_amount",
    "leading_signed_amount",
    "key_project_count",
    "key_project_total_investment",
    "key_project_investment_completed",
    "national_reserve_count",
]


@pytest.fixture
def year_with_targets():
    """A year with one derived target per metric (two for investment completed, as
    the report counts it twice) and a manual one."""
    year = f.plan_year()
    prog = f.programme(year, 3)
    targets = {name: f.target(prog, source=name) for name in METRICS}
    targets["investment_twin"] = f.target(prog, source="key_project_investment_completed")
    targets["manual"] = f.target(prog)
    project = f.project(year, prog, signed_amount=D(10), signed_on=date(2025, 3, 1))
    PendingRecompute.objects.all().delete()  # what the set-up itself asked for
    return year, targets, project


def outbox(targets: dict[str, Target]) -> dict[str, int]:
    """Outbox rows per target, named as in the fixture."""
    return {
        name: PendingRecompute.objects.filter(target=target).count()
        for name, target in targets.items()
    }


def only(targets: dict[str, Target], *asked: str) -> dict[str, int]:
    return {name: int(name in asked) for name in targets}


def test_every_metric_declares_fields_that_exist():
    for metric in registry:
        assert metric.reads, metric.name
        assert metric.reads <= PROJECT_FIELDS, (metric.name, metric.reads - PROJECT_FIELDS)


def test_one_change_of_stage_and_investment_asks_each_affected_target_once(year_with_targets):
    year, targets, _ = year_with_targets
    request_derived_recompute(
        plan_year_id=year.pk,
        changed=["KeyProject.stage", "ProjectProgress.investment"],
        reason="项目月报审核通过",
    )
    assert outbox(targets) == only(targets, "key_project_investment_completed", "investment_twin")


def test_a_change_no_metric_reads_asks_nothing(year_with_targets):
    year, _, _ = year_with_targets
    request_derived_recompute(
        plan_year_id=year.pk, changed=["KeyProject.stage", "KeyProject.name"], reason="改名"
    )
    assert not PendingRecompute.objects.exists()


def test_a_misspelt_field_is_refused(year_with_targets):
    year, _, _ = year_with_targets
    with pytest.raises(ValueError, match=r"KeyProject\.signed"):
        request_derived_recompute(plan_year_id=year.pk, changed=["KeyProject.signed"], reason="")


def test_another_year_is_not_asked(year_with_targets):
    _, targets, _ = year_with_targets
    other = f.plan_year(2026)
    request_derived_recompute(plan_year_id=other.pk, changed=PROJECT_FIELDS, reason="")
    assert outbox(targets) == only(targets)


# --- the admin ----------------------------------------------------------------------


@pytest.fixture
def admin_client(client, django_user_model):
    f.login(client, f.user("boss", Role.ADMIN))
    return client


def form_data(project: KeyProject, **changes) -> dict:
    data = {
        "plan_year": project.plan_year_id,
        "code": project.code,
        "name": project.name,
        "programme": project.programme_id,
        "lead_department": project.lead_department_id,
        "category": project.category,
        "stage": project.stage,
        "description": project.description,
        "total_investment": project.total_investment or "",
        "annual_plan": project.annual_plan or "",
        "signed_amount": project.signed_amount or "",
        "signed_on": project.signed_on or "",
        "national_reserve_on": project.national_reserve_on or "",
        "starts_on": project.starts_on or "",
        "completes_on": project.completes_on or "",
        "started_on": project.started_on or "",
        "listed_on": project.listed_on,
        "delisted_on": project.delisted_on or "",
        # The read-only progress inline: no rows.
        "progress-TOTAL_FORMS": "0",
        "progress-INITIAL_FORMS": "0",
        "progress-MIN_NUM_FORMS": "0",
        "progress-MAX_NUM_FORMS": "1000",
    }
    if project.leading_industry:
        data["leading_industry"] = "on"
    if project.named_in_report:
        data["named_in_report"] = "on"
    data.update(changes)
    return data


def change_url(project: KeyProject) -> str:
    return reverse("admin:projects_keyproject_change", args=[project.pk])


def test_admin_stage_change_asks_nothing(admin_client, year_with_targets):
    _, targets, project = year_with_targets
    response = admin_client.post(change_url(project), form_data(project, stage="completed"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    project.refresh_from_db()
    assert project.stage == "completed"
    assert outbox(targets) == only(targets)


def test_admin_signed_amount_change_asks_the_signing_targets_once(admin_client, year_with_targets):
    _, targets, project = year_with_targets
    response = admin_client.post(change_url(project), form_data(project, signed_amount="25"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert outbox(targets) == only(targets, "signed_amount", "leading_signed_amount")


def test_admin_add_and_delete_ask_every_derived_target_once(admin_client, year_with_targets):
    _, targets, project = year_with_targets
    derived = [name for name in targets if name != "manual"]
    data = form_data(project, code="NEW-1", name="新项目")
    response = admin_client.post(reverse("admin:projects_keyproject_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert outbox(targets) == only(targets, *derived)
    PendingRecompute.objects.all().delete()
    new = KeyProject.objects.get(code="NEW-1")
    delete_url = reverse("admin:projects_keyproject_delete", args=[new.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not KeyProject.objects.filter(pk=new.pk).exists()
    assert outbox(targets) == only(targets, *derived)


def test_admin_bulk_delete_asks_once_per_target(admin_client, year_with_targets):
    year, targets, project = year_with_targets
    second = f.project(year, project.programme)
    PendingRecompute.objects.all().delete()
    response = admin_client.post(
        reverse("admin:projects_keyproject_changelist"),
        {"action": "delete_selected", "_selected_action": [project.pk, second.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not KeyProject.objects.exists()
    assert outbox(targets) == only(targets, *[name for name in targets if name != "manual"])


# --- the work-report loader -----------------------------------------------------------


def test_loading_the_report_again_asks_nothing(report):
    PendingRecompute.objects.all().delete()
    call_command("load_workreport", stdout=io.StringIO())
    assert not PendingRecompute.objects.exists()
