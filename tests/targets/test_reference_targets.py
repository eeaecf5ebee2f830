"""Reference figures (规模指标): the report's plan figures are shown beside the
register with a reconciliation badge, counted in no average and no status tally; the
register's annual planned investment is reconciled with 3.3's 335.3亿元."""

from datetime import date
from decimal import Decimal as D

import pytest

from projects.metrics import PROJECT_FIELDS, request_derived_recompute
from targets import snapshots
from targets.models import Kind, ProgrammeSnapshot, Status, TargetSnapshot
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = date(2025, 7, 10)
MARCH, JUNE = date(2025, 3, 1), date(2025, 6, 1)


@pytest.fixture
def year(settings, client):
    settings.SITE_TODAY = TODAY
    y = f.plan_year(2025)
    prog = f.programme(y, 3)
    count = f.target(
        prog,
        code="3.1",
        kind=Kind.REFERENCE,
        source="key_project_count",
        target_value=D(2),
        unit="个",
    )
    total = f.target(
        prog,
        code="3.2",
        kind=Kind.REFERENCE,
        source="key_project_total_investment",
        target_value=D("30.5"),
        unit="亿元",
    )
    invested = f.target(
        prog, code="3.3", source="key_project_investment_completed", target_value=D(3)
    )
    # A typed target at 40% against 序时 50% in June: the programme's only average.
    typed = f.target(prog, code="3.5", target_value=D(100))
    staff = f.user("staff-1", "staff", typed.lead_department)
    f.entry(typed, JUNE, value=D(40), submitted_by=staff)
    client.force_login(f.user("leader-1", "leader"))
    return y, prog, {"count": count, "total": total, "invested": invested, "typed": typed}


def _changed(y, commit, write):
    with commit(execute=True):
        result = write()
        request_derived_recompute(plan_year_id=y.pk, changed=PROJECT_FIELDS, reason="测试")
    return result


def _project(y, prog, listed_on, total, plan):
    return f.project(y, prog, listed_on=listed_on, total_investment=D(total), annual_plan=D(plan))


@pytest.fixture
def listed(year, django_capture_on_commit_callbacks):
    y, prog, _targets = year
    _changed(
        y,
        django_capture_on_commit_callbacks,
        lambda: [
            _project(y, prog, date(2025, 1, 5), "10.5", "1"),
            _project(y, prog, date(2025, 2, 5), "20", "2"),
        ],
    )
    snapshots.recompute_plan_year(plan_year=y, today=TODAY)  # the typed target too
    return year


def _badges(client, target) -> str:
    html = client.get(f"/targets/{target.pk}/?month=2025-06").content.decode()
    start = html.index('data-testid="reconcile"')
    return html[start : html.index("</span>", start)].split(">")[-1]


def test_a_reference_target_is_neither_averaged_nor_tallied(listed):
    _y, prog, targets = listed
    june = TargetSnapshot.objects.get(target=targets["count"], period=JUNE)
    assert (june.status, june.actual, june.ratio, june.expected) == (
        Status.REFERENCE,
        D(2),
        None,
        None,
    )
    programme = ProgrammeSnapshot.objects.get(programme=prog, period=JUNE)
    # 3.3 (0 of 3) and 3.5 (40 of 100) only: (0 + 0.4) / 2; 3.1 and 3.2 in no count
    assert programme.ratio == D("0.2000")
    assert programme.target_count == 2
    assert sum(programme.status_counts.values()) == 2
    assert Status.REFERENCE not in programme.status_counts


def test_the_badge_shows_the_difference_when_a_project_is_added_or_delisted(
    listed, client, django_capture_on_commit_callbacks
):
    y, prog, targets = listed
    assert _badges(client, targets["count"]) == "一致"
    assert _badges(client, targets["total"]) == "一致"
    added = _changed(
        y,
        django_capture_on_commit_callbacks,
        lambda: _project(y, prog, date(2025, 4, 1), "5", "0.5"),
    )
    assert _badges(client, targets["count"]) == "相差 +1 个"
    assert _badges(client, targets["total"]) == "相差 +5 亿元"
    # March, before it was listed, still agrees
    march = client.get(f"/targets/{targets['count'].pk}/?month=2025-03").content.decode()
    assert ">一致</span>" in march

    def delist_both():
        added.delisted_on = date(2025, 5, 20)
        added.save()
        first = y.projects.get(listed_on=date(2025, 1, 5))
        first.delisted_on = date(2025, 6, 30)
        first.save()

    _changed(y, django_capture_on_commit_callbacks, delist_both)
    assert _badges(client, targets["count"]) == "相差 −1 个"
    assert _badges(client, targets["total"]) == "相差 −10.5 亿元"
    may = client.get(f"/targets/{targets['count'].pk}/?month=2025-05").content.decode()
    assert ">一致</span>" in may  # the one added in April is gone by May's end


def test_the_annual_plan_is_reconciled_with_3_3(listed, client, django_capture_on_commit_callbacks):
    y, prog, targets = listed
    html = client.get(f"/targets/{targets['invested'].pk}/?month=2025-06").content.decode()
    assert 'data-testid="plan-reconciliation"' in html
    assert ">一致</span>" in html  # 1 + 2 = 3
    _changed(
        y,
        django_capture_on_commit_callbacks,
        lambda: _project(y, prog, date(2025, 6, 1), "1", "0.3"),
    )
    page = client.get("/programmes/3/?month=2025-06").content.decode()
    section = page[page.index('data-testid="reconciliations"') :]
    assert "3.3" in section and ">相差 +0.3 亿元</span>" in section
    assert ">相差 +1 个</span>" in section  # 3.1 beside it


def test_a_reference_chart_has_no_pace_line(listed, client):
    _, _, targets = listed
    figure = client.get(f"/targets/{targets['count'].pk}/?month=2025-06").context["figure"]
    assert [trace["name"] for trace in figure["data"]] == ["项目清单", "报告所列"]


def test_exports_name_the_reference_status_with_its_reconciliation(listed, client):
    response = client.get("/programmes/3/?month=2025-06&export=csv")
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    assert "规模指标（一致）" in text.decode("utf-8-sig")
