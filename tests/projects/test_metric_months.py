"""Every derived metric answers "what was true at the end of that month": projects
listed later, or delisted, leave the earlier months' figures as they were; a year of
months costs one query, like one month."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects import metrics
from targets import snapshots
from targets.metrics import registry
from targets.models import TargetSnapshot
from tests import factories as f

pytestmark = pytest.mark.django_db

JAN, APR, JUL = date(2025, 1, 1), date(2025, 4, 1), date(2025, 7, 1)
MONTHS = [JAN, APR, JUL]


def _project(year, prog, listed_on, **kwargs):
    return f.project(
        year,
        prog,
        listed_on=listed_on,
        total_investment=D(kwargs.pop("total", 10)),
        annual_plan=D(1),
        signed_amount=D(kwargs.pop("signed", 5)),
        signed_on=kwargs.pop("signed_on", listed_on),
        leading_industry=True,
        national_reserve_on=listed_on,
        **kwargs,
    )


@pytest.fixture
def year():
    """A listed in January, B in March (so April on), C in June (July on); each
    signed and in the reserve on the day it is listed, with 1亿 progress in its
    listing month:

    month  listed   count  total  signed  reserve  invested
    Jan    A        1      10     5       1        1
    Apr    A B      2      30     12      2        2
    Jul    A B C    3      60     21      3        3
    """
    y = f.plan_year(2025)
    prog = f.programme(y, 3)
    a = _project(y, prog, date(2025, 1, 10))
    b = _project(y, prog, date(2025, 3, 5), total=20, signed=7)
    f.progress(a, JAN, investment=D(1))
    f.progress(b, date(2025, 3, 1), investment=D(1))
    return y, prog


EXPECTED = {
    "key_project_count": [D(1), D(2), D(3)],
    "key_project_total_investment": [D(10), D(30), D(60)],
    "signed_amount": [D(5), D(12), D(21)],
    "leading_signed_amount": [D(5), D(12), D(21)],
    "national_reserve_count": [D(1), D(2), D(3)],
    "key_project_investment_completed": [D(1), D(2), D(3)],
    "key_project_annual_plan": [D(1), D(2), D(3)],
}


def _add_c(y, prog):
    c = _project(y, prog, date(2025, 6, 20), total=30, signed=9)
    f.progress(c, date(2025, 6, 1), investment=D(1))
    return c


def test_every_metric_is_covered():
    assert set(EXPECTED) == {m.name for m in registry}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_earlier_months_do_not_move_when_projects_are_listed_later(year, name):
    y, prog = year
    metric = registry.get(name)
    before = metric.series(y, MONTHS)
    assert [before[m] for m in MONTHS[:2]] == EXPECTED[name][:2]
    _add_c(y, prog)
    after = metric.series(y, MONTHS)
    assert [after[m] for m in MONTHS] == EXPECTED[name]
    # one month alone is the same code and the same figure
    assert [metric(y, snapshots.month_end(m)) for m in MONTHS] == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_delisted_project_leaves_the_months_after_its_delisting_only(year, name):
    y, prog = year
    c = _add_c(y, prog)
    a = y.projects.get(listed_on=date(2025, 1, 10))
    a.delisted_on = date(2025, 7, 31)  # counted through June, gone at the end of July
    a.save()
    after = registry.get(name).series(y, MONTHS)
    first = EXPECTED[name][0]
    assert after[JAN] == first
    assert after[APR] == EXPECTED[name][1]
    assert after[JUL] == EXPECTED[name][2] - first
    assert c.listed_at(date(2025, 7, 31)) and not a.listed_at(date(2025, 7, 31))


def test_listing_a_project_on_the_last_day_counts_that_month(year):
    y, prog = year
    _project(y, prog, date(2025, 4, 30))
    assert metrics.key_project_count(y, date(2025, 4, 29)) == D(2)
    assert metrics.key_project_count(y, date(2025, 4, 30)) == D(3)


def test_a_project_entered_without_a_listing_date_is_listed_from_the_year_start(year):
    y, prog = year
    assert f.project(y, prog).listed_on == date(2025, 1, 1)


def _recompute_queries(target, today) -> list[str]:
    snapshots.recompute_target(target_id=target.pk, today=today)  # rows in place
    with CaptureQueriesContext(connection) as queries:
        snapshots.recompute_target(target_id=target.pk, today=today)
    return [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("source", sorted(EXPECTED))
def test_derived_recompute_costs_the_same_for_one_month_and_twelve(year, source):
    _, prog = year
    target = f.target(prog, code="3.9", source=source, target_value=D(100))
    # Pinned: the same number whether the year has 1 closed month or 11; only the
    # metric's one grouped query reads projects. (One of them reads which months the
    # 督查室 has closed: frozen, not rewritten.)
    one = _recompute_queries(target, date(2025, 2, 10))
    assert TargetSnapshot.objects.filter(target=target).count() == 1
    eleven = _recompute_queries(target, date(2025, 12, 10))
    assert TargetSnapshot.objects.filter(target=target).count() == 11
    assert len(one) == len(eleven) == 16, "\n".join(eleven)
    assert sum("projects_" in sql for sql in eleven) == 1
