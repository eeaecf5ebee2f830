"""The department page: what a department leads or supports, who may see it, and
department names shown one way everywhere (short name, full name on hover, linked)."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.template import Context, Template

from org.models import Role
from targets import snapshots
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = date(2025, 7, 10)


@pytest.fixture
def year(settings):
    settings.SITE_TODAY = TODAY
    y = f.plan_year(2025)
    prog = f.programme(y, 4)
    fgw = f.department("fgw", name="中原区发展和改革委员会", short_name="区发改委")
    tcj = f.department("tcj", name="中原区投资促进局", short_name="区投促局")
    led = f.target(prog, code="4.1", title="牵头指标", lead_department=fgw)
    supported = f.target(prog, code="4.2", title="配合指标", lead_department=tcj)
    supported.co_departments.set([fgw])
    other = f.target(prog, code="4.3", title="无关指标", lead_department=tcj)
    f.entry(led, date(2025, 6, 1), value=D(300))  # 75% against 50%: on track
    project = f.project(y, prog, code="ZY-1", name="发改项目", lead_department=fgw)
    f.project(y, prog, code="ZY-2", name="投促项目", lead_department=tcj)
    snapshots.recompute_plan_year(plan_year=y, today=TODAY)
    return {
        "fgw": fgw,
        "tcj": tcj,
        "led": led,
        "supported": supported,
        "other": other,
        "project": project,
    }


def _page(client, dept):
    return client.get(f"/departments/{dept.pk}/?month=2025-06")


@pytest.mark.parametrize("role", [Role.LEADER, Role.REVIEWER, Role.ADMIN])
def test_leaders_reviewers_and_admins_see_every_department(client, year, role):
    f.login(client, f.user(f"u-{role}", role))
    for dept in (year["fgw"], year["tcj"]):
        assert _page(client, dept).status_code == 200


def test_staff_see_their_own_department_only(client, year):
    client.force_login(f.user("staff-fgw", Role.STAFF, year["fgw"]))
    assert _page(client, year["fgw"]).status_code == 200
    refused = _page(client, year["tcj"])
    assert refused.status_code == 403
    assert "只能查看本单位" in refused.content.decode()


@pytest.mark.parametrize("role", [Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_the_other_admin_duties_are_refused(client, year, role):
    f.login(client, f.user(f"u-{role}", role))
    assert _page(client, year["fgw"]).status_code == 403


def test_an_unknown_department_is_not_found(client, year):
    client.force_login(f.user("leader", Role.LEADER))
    assert client.get("/departments/99999/").status_code == 404


def test_the_page_lists_what_the_department_leads_supports_and_its_projects(client, year):
    client.force_login(f.user("leader", Role.LEADER))
    response = _page(client, year["fgw"])
    page = response.context["page"]
    assert [t.code for t in page.leads] == ["4.1"]
    assert [t.code for t in page.supports] == ["4.2"]
    assert [p.code for p in page.projects] == ["ZY-1"]
    assert page.leads[0].status == "on_track"
    html = response.content.decode()
    assert "4.3" not in html and "投促项目" not in html
    # the supported target names its lead, linked, short name with the full on hover
    assert (
        f'<a class="department" href="/departments/{year["tcj"].pk}/" '
        'title="中原区投资促进局">区投促局</a>' in html
    )


def test_the_department_filter_shows_one_way():
    class Dept:
        pk, name, short_name = 7, "中原区教育局", "区教育局"

    rendered = Template("{% load zy %}{{ d|department }}|{{ d|department:'plain' }}").render(
        Context({"d": Dept()})
    )
    assert rendered == (
        '<a class="department" href="/departments/7/" title="中原区教育局">区教育局</a>|'
        '<span class="department" title="中原区教育局">区教育局</span>'
    )


def test_every_lead_department_cell_links_to_its_page(client, year):
    client.force_login(f.user("leader", Role.LEADER))
    link = f'href="/departments/{year["fgw"].pk}/"'
    for url in (
        "/programmes/4/?month=2025-06",
        "/targets/?programme=4&month=2025-06",
        f"/targets/{year['led'].pk}/?month=2025-06",
        f"/targets/{year['supported'].pk}/?month=2025-06",  # 配合单位 too
        "/projects/?month=2025-06",
        f"/projects/{year['project'].pk}/?month=2025-06",
    ):
        assert link in client.get(url).content.decode(), url
