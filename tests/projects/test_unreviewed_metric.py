"""A derived figure summing project progress not yet approved is marked 未审核, and the
plan year's 计入口径 applies to it too (the fixture of test_metrics.py: A's January 1
and February 2 are submitted, B's March 4 approved, the rest draft or returned)."""

from datetime import date
from decimal import Decimal as D

import pytest

from projects import metrics
from projects.models import ProjectProgress
from targets import snapshots
from targets.metrics import registry
from targets.models import Counting, TargetSnapshot
from tests import factories as f
from tests.projects.test_metrics import year  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

MONTHS = [date(2025, m, 1) for m in (1, 2, 3, 6)]
INVESTED = "key_project_investment_completed"


def test_unreviewed_rows_each_month_sums(year):  # noqa: F811
    metric = registry.get(INVESTED)
    # A's January, then January and February: unapproved; B's March is approved
    values, unreviewed = metric.figures(year, MONTHS)
    assert unreviewed == dict(zip(MONTHS, [1, 2, 2, 2], strict=True))
    assert values == metric.series(year, MONTHS)
    # metrics that sum no reports have nothing to review
    assert registry.get("signed_amount").figures(year, MONTHS)[1] == {}


def test_approved_only_counts_approved_progress(year):  # noqa: F811
    year.counting = Counting.APPROVED
    assert [metrics.key_project_investment_completed(year, m) for m in MONTHS] == [
        D(0),
        D(0),
        D(4),  # B's approved March only
        D(4),
    ]
    assert registry.get(INVESTED).figures(year, MONTHS)[1] == dict.fromkeys(MONTHS, 0)


def test_derived_snapshot_is_provisional_until_the_progress_is_approved(year):  # noqa: F811
    target = f.target(
        year.programmes.get(number=3),
        code="3.3",
        source=INVESTED,
        target_value=D(30),
        lead_department=f.department("fgw"),
    )
    today = date(2025, 7, 10)
    snapshots.recompute_plan_year(plan_year=year, today=today)

    def june() -> TargetSnapshot:
        return TargetSnapshot.objects.get(target=target, period=date(2025, 6, 1))

    assert (june().actual, june().provisional) == (D(7), True)
    ProjectProgress.objects.filter(state="submitted").update(state="approved")
    snapshots.recompute_plan_year(plan_year=year, today=today)
    assert (june().actual, june().provisional) == (D(7), False)
