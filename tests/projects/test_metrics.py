"""Every derived metric against projects counted by hand."""

from datetime import date
from decimal import Decimal as D

import pytest

from projects import metrics
from targets.metrics import registry
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    """Five projects in 2025 and one in 2024, written out so the sums can be checked
    by eye:

    code  total  plan  signed (on)         leading  reserve      progress (counted)
    A     100    10    50 (2025-02-10)     yes      2025-03-01   Jan 1, Feb 2 (draft 9)
    B     200    20    30 (2025-05-31)     no       2024-12-01   Mar 4 (approved)
    C     50     5     20 (2025-06-01)     yes      —            Jun 8 (returned: no)
    D     —      —     40 (2024-12-31)     yes      2025-06-30   —
    E     9.2    0.3   —                   no       —            —
    """
    y2025, y2024 = f.plan_year(2025), f.plan_year(2024)
    p = f.programme(y2025, 3)
    a = f.project(
        y2025,
        p,
        total_investment=D(100),
        annual_plan=D(10),
        signed_amount=D(50),
        signed_on=date(2025, 2, 10),
        leading_industry=True,
        national_reserve_on=date(2025, 3, 1),
    )
    b = f.project(
        y2025,
        p,
        total_investment=D(200),
        annual_plan=D(20),
        signed_amount=D(30),
        signed_on=date(2025, 5, 31),
        national_reserve_on=date(2024, 12, 1),
    )
    c = f.project(
        y2025,
        p,
        total_investment=D(50),
        annual_plan=D(5),
        signed_amount=D(20),
        signed_on=date(2025, 6, 1),
        leading_industry=True,
    )
    f.project(
        y2025,
        p,
        signed_amount=D(40),
        signed_on=date(2024, 12, 31),
        leading_industry=True,
        national_reserve_on=date(2025, 6, 30),
    )
    f.project(y2025, p, total_investment=D("9.2"), annual_plan=D("0.3"))
    f.project(
        y2024,
        f.programme(y2024, 3),
        total_investment=D(999),
        signed_amount=D(999),
        signed_on=date(2025, 1, 5),
        national_reserve_on=date(2025, 1, 1),
    )
    f.progress(a, date(2025, 1, 1), investment=D(1))
    f.progress(a, date(2025, 2, 1), investment=D(2))
    f.progress(a, date(2025, 3, 1), investment=D(9), state="draft")
    f.progress(b, date(2025, 3, 1), investment=D(4), state="approved")
    f.progress(c, date(2025, 6, 1), investment=D(8), state="returned", return_reason="重填")
    return y2025


@pytest.mark.parametrize(
    ("as_of", "signed", "leading"),
    [
        (date(2025, 1, 31), D(0), D(0)),
        (date(2025, 2, 28), D(50), D(50)),
        (date(2025, 5, 31), D(80), D(50)),  # signed on the last day counts
        (date(2025, 6, 30), D(100), D(70)),  # D signed in 2024: not this year's
    ],
)
def test_signed_amounts(year, as_of, signed, leading):
    assert metrics.signed_amount(year, as_of) == signed
    assert metrics.leading_signed_amount(year, as_of) == leading


def test_project_count_and_total_investment(year):
    assert metrics.key_project_count(year, date(2025, 6, 30)) == D(5)
    assert metrics.key_project_total_investment(year, date(2025, 6, 30)) == D("359.2")


@pytest.mark.parametrize(
    ("as_of", "invested"),
    [
        (date(2025, 1, 31), D(1)),
        (date(2025, 2, 28), D(3)),
        (date(2025, 3, 31), D(7)),
        (date(2025, 6, 30), D(7)),
    ],
)
def test_investment_completed_counts_submitted_and_approved_only(year, as_of, invested):
    assert metrics.key_project_investment_completed(year, as_of) == invested


@pytest.mark.parametrize(
    ("as_of", "count"),
    [
        (date(2025, 1, 31), D(1)),
        (date(2025, 3, 1), D(2)),
        (date(2025, 6, 29), D(2)),
        (date(2025, 6, 30), D(3)),
    ],
)
def test_national_reserve_count(year, as_of, count):
    assert metrics.national_reserve_count(year, as_of) == count


def test_every_metric_the_report_names_is_registered():
    assert {m.name for m in registry} == {
        "signed_amount",
        "leading_signed_amount",
        "key_project_count",
        "key_project_total_investment",
        "key_project_investment_completed",
        "key_project_annual_plan",
        "national_reserve_count",
    }


def test_an_empty_year_gives_zero(db):
    empty = f.plan_year(2030)
    for metric in registry:
        assert metric(empty, date(2030, 6, 30)) == D(0)
