"""Each database constraint rejects the row it exists to keep out."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from org.models import Profile, Role
from projects.models import ProjectProgress
from targets.models import Kind, PlanYear, Programme, ProgrammeSnapshot, Target, TargetSnapshot
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    return f.plan_year()


@pytest.fixture
def prog(year):
    return f.programme(year, 1)


@pytest.fixture
def tgt(prog):
    return f.target(prog)


def rejected(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_plan_year_tolerance_and_due_day_ranges():
    rejected(lambda: f.plan_year(2030, tolerance_points=D(101)))
    rejected(lambda: f.plan_year(2031, tolerance_points=D(-1)))
    rejected(lambda: f.plan_year(2032, report_due_day=0))
    rejected(lambda: f.plan_year(2033, report_due_day=29))
    rejected(lambda: f.plan_year(2034) and f.plan_year(2034))


def test_programme_number_is_1_to_8_and_unique_per_year(year):
    rejected(lambda: f.programme(year, 0))
    rejected(lambda: f.programme(year, 9))
    f.programme(year, 2)
    rejected(lambda: f.programme(year, 2))
    # the same number in another year is fine
    assert f.programme(f.plan_year(2026), 2).number == 2


def test_target_deadline_not_before_start(prog):
    rejected(lambda: f.target(prog, starts_on=date(2025, 6, 1), deadline=date(2025, 5, 31)))


@pytest.mark.parametrize("field", ["baseline", "target_value", "weight"])
def test_target_amounts_not_negative(prog, field):
    rejected(lambda: f.target(prog, **{field: D(-1)}))


def test_target_value_required_for_quantified_kinds(prog):
    rejected(lambda: f.target(prog, kind=Kind.CUMULATIVE, target_value=None))
    assert f.target(prog, kind=Kind.MILESTONE, target_value=None, unit="").pk


def test_target_code_unique_per_programme(prog):
    f.target(prog, code="1.1")
    rejected(lambda: f.target(prog, code="1.1"))


def test_unknown_metric_is_refused_when_saved(prog):
    with pytest.raises(ValidationError) as error:
        f.target(prog, source="no_such_metric")
    assert "未知的派生指标" in str(error.value)
    assert not Target.objects.filter(source="no_such_metric").exists()


def test_cumulative_direction_must_agree_with_baseline_and_target(prog):
    target = Target(
        programme=prog,
        code="x",
        title="t",
        sentence="s",
        kind=Kind.CUMULATIVE,
        baseline=D(100),
        target_value=D(50),
        direction="increase",
        starts_on=date(2025, 1, 1),
        deadline=date(2025, 12, 31),
        lead_department=f.department(),
    )
    with pytest.raises(ValidationError) as error:
        target.full_clean()
    assert "direction" in error.value.message_dict


def test_staff_profile_needs_a_department(django_user_model):
    user = django_user_model.objects.create_user("someone")
    rejected(lambda: Profile.objects.create(user=user, role=Role.STAFF))


def test_one_entry_per_target_and_month(tgt):
    f.entry(tgt, date(2025, 3, 1), value=D(1))
    rejected(lambda: f.entry(tgt, date(2025, 3, 1), value=D(2)))


def test_entry_value_not_negative(tgt):
    rejected(lambda: f.entry(tgt, date(2025, 3, 1), value=D(-1)))


@pytest.mark.parametrize("percent", [D(-1), D("100.01")])
def test_entry_percent_within_0_100(tgt, percent):
    rejected(lambda: f.entry(tgt, date(2025, 3, 1), percent=percent))


def test_entry_period_is_first_of_month(tgt):
    rejected(lambda: f.entry(tgt, date(2025, 3, 2), value=D(1)))


def test_returned_entry_needs_a_reason(tgt):
    rejected(lambda: f.entry(tgt, date(2025, 3, 1), state="returned", return_reason=""))


@pytest.mark.parametrize("field", ["total_investment", "annual_plan", "signed_amount"])
def test_project_amounts_not_negative(year, prog, field):
    rejected(lambda: f.project(year, prog, **{field: D("-0.01")}))


def test_project_signed_on_needs_amount(year, prog):
    rejected(lambda: f.project(year, prog, signed_on=date(2025, 3, 1), signed_amount=None))


def test_project_completion_not_before_start(year, prog):
    rejected(
        lambda: f.project(year, prog, starts_on=date(2025, 3, 1), completes_on=date(2025, 2, 1))
    )


def test_project_code_unique_per_year(year, prog):
    f.project(year, prog, code="P1")
    rejected(lambda: f.project(year, prog, code="P1"))


def test_one_progress_per_project_and_month(year, prog):
    proj = f.project(year, prog)
    f.progress(proj, date(2025, 3, 1), investment=D(1))
    rejected(lambda: f.progress(proj, date(2025, 3, 1), investment=D(2)))
    rejected(
        lambda: ProjectProgress.objects.create(
            project=proj, period=date(2025, 4, 1), investment=D(-1)
        )
    )


def test_one_snapshot_per_target_and_month(tgt):
    def snapshot():
        return TargetSnapshot.objects.create(
            target=tgt,
            period=date(2025, 1, 1),
            as_of=date(2025, 1, 31),
            status="on_track",
            computed_at=timezone.now(),
        )

    snapshot()
    rejected(snapshot)


def test_one_programme_snapshot_per_month_and_one_year_total(year, prog):
    def snapshot(programme: Programme | None):
        return ProgrammeSnapshot.objects.create(
            plan_year=year,
            programme=programme,
            period=date(2025, 1, 1),
            as_of=date(2025, 1, 31),
            status="on_track",
            computed_at=timezone.now(),
        )

    snapshot(prog)
    rejected(lambda: snapshot(prog))
    snapshot(None)
    rejected(lambda: snapshot(None))
    assert PlanYear.objects.count() == 1
