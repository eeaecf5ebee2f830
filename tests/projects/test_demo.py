"""The demo year: deterministic, kept apart, refused in production."""

import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.test import RequestFactory

from org.models import Department
from projects.demo import DEMO_PASSWORD, seed_demo
from projects.models import KeyProject, ProjectProgress
from targets.models import PlanYear, ProgressEntry, Target, TargetSnapshot

pytestmark = pytest.mark.django_db


def login_request():
    """The request a login form posts (django-axes checks who is logging in, from where)."""
    return RequestFactory().post("/login/")


def rows() -> dict[str, list]:
    return {
        "entries": list(
            ProgressEntry.objects.order_by("target__code", "period").values_list(
                "target__code",
                "period",
                "state",
                "value",
                "percent",
                "done_on",
                "assessment",
                "narrative",
                "problems",
                "return_reason",
                "submitted_by__username",
                "submitted_at",
            )
        ),
        "projects": list(
            KeyProject.objects.order_by("code").values_list(
                "code",
                "name",
                "programme__number",
                "lead_department__code",
                "stage",
                "total_investment",
                "annual_plan",
                "signed_amount",
                "signed_on",
                "leading_industry",
                "national_reserve_on",
                "is_demo",
            )
        ),
        "progress": list(
            ProjectProgress.objects.order_by("project__code", "period").values_list(
                "project__code", "period", "state", "investment"
            )
        ),
        "snapshots": list(
            TargetSnapshot.objects.order_by("target__code", "period").values_list(
                "target__code", "period", "status", "actual", "ratio"
            )
        ),
    }


def test_demo_is_deterministic(demo, django_capture_on_commit_callbacks):
    first = rows()
    with django_capture_on_commit_callbacks(execute=True):
        seed_demo(demo)
    assert rows() == first


def test_demo_reaches_the_reports_project_totals(demo):
    projects = KeyProject.objects.filter(plan_year=demo)
    assert projects.count() == 356
    assert projects.aggregate(s=Sum("total_investment"))["s"] == D("2409.2")
    assert projects.aggregate(s=Sum("annual_plan"))["s"] == D("335.3")


def test_demo_shows_a_year_in_progress(demo):
    october = {
        s.target.code: s.status
        for s in TargetSnapshot.objects.filter(period=date(2025, 10, 1)).select_related("target")
    }
    statuses = set(october.values())
    assert {"on_track", "lagging", "behind", "overdue", "completed", "not_reported"} <= statuses
    assert october["5.2"] == "overdue"
    assert not TargetSnapshot.objects.filter(period__gte=date(2025, 11, 1)).exists()
    manual = Target.objects.manual().count()
    reported = (
        ProgressEntry.objects.filter(period__lte=date(2025, 10, 1))
        .values("target")
        .distinct()
        .count()
    )
    assert reported == manual
    assert ProgressEntry.objects.filter(period=date(2025, 11, 1), state="draft").count() >= 2
    assert ProgressEntry.objects.filter(state="returned").count() == 1


def test_demo_accounts_exist_for_every_role_and_department(demo, settings):
    settings.DEMO_MODE = True
    usernames = {"admin", "security", "auditor", "leader", "reviewer"} | {
        f"staff-{code}" for code in Department.objects.values_list("code", flat=True)
    }
    for username in usernames:
        assert authenticate(login_request(), username=username, password=DEMO_PASSWORD), username


def test_demo_accounts_are_refused_without_the_demo_switch(demo, settings):
    settings.DEMO_MODE = False
    settings.DEBUG = True  # DEBUG alone does not let them in
    assert authenticate(login_request(), username="leader", password=DEMO_PASSWORD) is None


def test_demo_command_refuses_without_the_demo_switch(report, settings):
    settings.DEMO_MODE = False
    settings.DEBUG = True
    with pytest.raises(CommandError, match="DEMO_MODE"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not KeyProject.objects.filter(is_demo=True).exists()


def test_demo_command_is_quick_the_second_time(
    report, settings, django_capture_on_commit_callbacks
):
    settings.DEMO_MODE = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "已载入" in out.getvalue()
    assert PlanYear.objects.get().has_demo_data


def test_demo_can_be_removed_leaving_the_report(demo, settings):
    settings.DEMO_MODE = True
    call_command("seed_demo", "--remove", stdout=io.StringIO())
    assert not KeyProject.objects.filter(is_demo=True).exists()
    assert KeyProject.objects.filter(named_in_report=True).count() == 19
    assert not ProgressEntry.objects.exists()
    assert not PlanYear.objects.get().has_demo_data
    assert not User.objects.filter(profile__is_demo=True).exists()
