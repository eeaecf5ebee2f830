"""Every admin page opens for an admin and is refused to anonymous users."""

import pytest
from django.urls import reverse

from org.models import Department, Role
from projects.models import KeyProject, ProjectProgress
from targets.models import (
    PendingRecompute,
    PlanYear,
    Programme,
    ProgrammeSnapshot,
    ProgressEntry,
    Target,
    TargetSnapshot,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

DEFINITIONS = [PlanYear, Department, Programme, Target, KeyProject]
READ_ONLY = [ProgressEntry, TargetSnapshot, ProgrammeSnapshot, PendingRecompute, ProjectProgress]


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def admin_client(client, django_user_model):
    f.login(client, f.user("boss", Role.ADMIN))
    return client


@pytest.mark.parametrize("model", DEFINITIONS + READ_ONLY, ids=lambda m: m.__name__)
def test_changelist_opens_for_admin(admin_client, demo, model):
    response = admin_client.get(url(model, "changelist"))
    assert response.status_code == 200
    assert "管理后台" in response.text


@pytest.mark.parametrize("model", DEFINITIONS, ids=lambda m: m.__name__)
def test_add_change_and_history_pages_open_for_admin(admin_client, demo, model):
    obj = model.objects.order_by("pk").first()
    for page in (url(model, "add"), url(model, "change", obj.pk), url(model, "history", obj.pk)):
        assert admin_client.get(page).status_code == 200, page


@pytest.mark.parametrize("model", DEFINITIONS + READ_ONLY, ids=lambda m: m.__name__)
def test_admin_refused_to_anonymous(client, model):
    response = client.get(url(model, "changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_admin_refused_to_non_staff_leader(client, demo, django_user_model):
    client.force_login(django_user_model.objects.get(username="leader"))
    assert client.get(url(Target, "changelist")).status_code == 302


def test_admin_search_and_filters_work(admin_client, demo):
    response = admin_client.get(url(Target, "changelist"), {"q": "签约额", "kind": "cumulative"})
    assert response.status_code == 200
    assert "新引进项目签约额" in response.text
    response = admin_client.get(
        url(KeyProject, "changelist"), {"q": "磨街", "stage": "under_construction"}
    )
    assert "磨街二期" in response.text


def test_admin_edit_of_a_target_is_kept_in_history(admin_client, demo):
    target = Target.objects.get(code="8.1")
    data = {
        "programme": target.programme_id,
        "code": "8.1",
        "title": target.title,
        "sentence": target.sentence,
        "sort_order": 1,
        "kind": target.kind,
        "unit": target.unit,
        "baseline": "0",
        "target_value": "340",
        "direction": "increase",
        "weight": "1",
        "source": "manual",
        "starts_on": "2025-01-01",
        "deadline": "2025-12-31",
        "lead_department": target.lead_department_id,
    }
    pending_before = PendingRecompute.objects.filter(target=target).count()
    response = admin_client.post(url(Target, "change", target.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = target.history.latest()
    assert (latest.history_user.username, latest.target_value) == ("boss", 340)
    assert latest.prev_record.target_value == 335
    # The edit asked for its recompute in the same transaction (the outbox).
    assert PendingRecompute.objects.filter(target=target).count() == pending_before + 1


def test_admin_refuses_an_unknown_metric(admin_client, demo):
    target = Target.objects.get(code="4.1")
    response = admin_client.get(url(Target, "change", target.pk))
    choices = [value for value, _ in response.context["adminform"].form.fields["source"].choices]
    assert "signed_amount" in choices and "manual" in choices and "no_such" not in choices


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda m: m.__name__)
def test_entries_and_snapshots_cannot_be_deleted_or_edited_in_the_admin(admin_client, demo, model):
    if model is PendingRecompute:
        PendingRecompute.objects.create(target=Target.objects.first())
    obj = model.objects.order_by("pk").first()
    assert admin_client.get(url(model, "delete", obj.pk)).status_code == 403
    response = admin_client.post(
        url(model, "changelist"), {"action": "delete_selected", "_selected_action": [obj.pk]}
    )
    assert model.objects.filter(pk=obj.pk).exists()
    assert response.status_code in (200, 302)


def test_plan_year_admin_edits_the_plausibility_thresholds(admin_client, demo):
    year = PlanYear.objects.order_by("pk").first()
    form = admin_client.get(url(PlanYear, "change", year.pk)).context["adminform"].form
    assert {name: form.initial[name] for name in PLAUSIBILITY} == {
        "plausibility_max_multiple": 3,
        "plausibility_max_jump_share": 0.5,
        "plausibility_slip_ratio": 100,
    }
    assert set(PLAUSIBILITY) <= set(form.fields)
    assert year.plausibility.max_multiple == 3


PLAUSIBILITY = (
    "plausibility_max_multiple",
    "plausibility_max_jump_share",
    "plausibility_slip_ratio",
)


def test_the_project_changelist_reconciles_the_register_with_the_report(admin_client, demo):
    response = admin_client.get(url(KeyProject, "changelist"))
    section = response.text[response.text.index('data-testid="register-reconciliation"') :]
    # the demo register holds the report's list: 356 个、2409.2 亿元、annual plan 335.3
    for code in ("3.1", "3.2", "3.3"):
        assert f"<li>{code} " in section
    assert section.count(">一致</span>") == 3


def test_delisting_in_the_admin_dates_the_project_and_moves_the_badge(
    admin_client, demo, django_capture_on_commit_callbacks
):
    project = KeyProject.objects.filter(named_in_report=False).order_by("code").first()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url(KeyProject, "changelist"),
            {"action": "delist_today", "_selected_action": [project.pk]},
            follow=True,
        )
    assert "已移出清单 1 个项目" in response.text
    project.refresh_from_db()
    assert project.delisted_on == demo_today()
    assert KeyProject.objects.filter(pk=project.pk).exists()  # dated, not deleted
    section = response.text[response.text.index('data-testid="register-reconciliation"') :]
    assert ">相差 −1 个</span>" in section
    # the month's snapshot follows (the project left in November: October unchanged)
    count = Target.objects.get(code="3.1")
    snaps = dict(TargetSnapshot.objects.filter(target=count).values_list("period", "actual"))
    assert snaps[max(snaps)] == 356  # October, the last closed month, still had it


def demo_today():
    from projects.demo import DEMO_TODAY

    return DEMO_TODAY
