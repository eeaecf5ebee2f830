"""Every dashboard page runs a fixed number of queries, whatever the data size: the
report and demo year, then twenty times its targets and projects (bench/scale.py).

Every page starts with the same four: the session, the user, the user's profile (the
navigation's role flags) and, while base.html renders, whether the year is demo data;
and base.html's header asks once for the user's unread notices (the bell,
org.context_processors.notices): one more query on every page that renders it, none on
the exports. The counts below include it (it is not listed in each comment).
"""

import pytest

from bench.scale import scale_up
from org.models import Department, Role
from projects.demo import DEMO_TODAY
from projects.models import KeyProject
from targets.models import Target
from tests import factories as f

pytestmark = pytest.mark.django_db

# url → the queries it runs, in order (the four common ones marked *).
PAGES = {
    # * session, * user, * profile, plan year with its latest month, last computed_at
    # and stale outbox (one query), the programme snapshots up to the month, the
    # month's target snapshots that need attention, * demo banner, the header's unread
    # notices; the supervision panels: overdue 督办单，the leader's programmes, their
    # open 批示 (3); the red cards held at the month and the orders in hand (2); the
    # latest closed month's corrections, for the line linking to the months page (1)
    "/": 8 + 3 + 2 + 1,
    # as "/", for a month in the past
    "/?month=2025-06": 8 + 3 + 2 + 1,
    # * session, * user, * profile, plan year, the programmes with their snapshot at
    # the month (tabs and header), * demo banner, the targets with theirs (table and
    # chart share it), the register's planned total 3.3 is reconciled with (one
    # however many targets name it)
    "/programmes/3/": 9,
    "/programmes/3/?sort=-ratio": 9,
    # * session, * user, * profile, plan year, the programmes with their snapshot at
    # the month (the filter's choices and the title), the filtered targets with
    # theirs, * demo banner
    "/targets/?status=lagging": 8,
    "/targets/?programme=3&status=on_track&month=2025-06": 8,
    # * session, * user, * profile, target with programme, year and lead department,
    # its co-operating departments, plan year, its snapshots, its entries (with users
    # and evidence counts), how many projects its figure sums and the largest 20,
    # the supervision panel's escalation steps (a second query for whom each was told
    # to only when there are steps: none in the demo before months close), * demo banner,
    # the header's unread notices; + the orders' panel: the target's 督办单，its 批示；
    # + its entries for closed months the frozen snapshots were not computed from
    # (the corrections after closing, one query with the snapshots as a subquery)
    "target:4.1": 13 + 2 + 1,
    # the derived target that sums monthly progress rows (the heaviest listing), and
    # the register's planned total it is reconciled with
    "target:3.3": 14 + 2 + 1,
    # as above without the projects: a target its department reports
    "target:8.1": 11 + 2 + 1,
    "target:6.1": 11 + 2 + 1,
    # * session, * user, * profile, plan year, investment by month of the filtered set,
    # its totals (count, investment, plan), its stage counts, * demo banner, the
    # programme choices, the department choices, the page of rows (the paginator is
    # given the count, so no COUNT)
    "/projects/": 12,
    "/projects/?stage=under_construction&page=2&sort=-invested": 12,
    # a model-choice filter in use is validated against the database: one more
    "programme-filter": 13,
    # * session, * user, * profile, project with programme, department and year, plan
    # year, its monthly progress, * demo banner, the header's unread notices; the
    # supervision panels: its 督办单，its instructions and its escalation steps (one
    # more, whom each step was told to, when it has steps: _with_card)
    "project:ZY25-D001": 8 + 3,
    # * session, * user, * profile, the department, plan year, the targets it leads
    # or supports with their snapshot, its projects with their investment to the
    # month, * demo banner
    "department:fgw": 9,
    # * session, * user, * profile, plan year, programmes, the targets (every row),
    # then the audit record (5, below)
    "/programmes/3/?export=xlsx": 6 + 5,
    # * session, * user, * profile, plan year, the projects (every row, not a page),
    # then the audit record: savepoint, chain head locked, event inserted, head
    # moved on, savepoint released (org.audit.record)
    "/projects/?export=csv&stage=signed": 5 + 5,
    # as the CSV, and the workbook's totals row: investment by month, the totals
    "/projects/?export=xlsx&stage=signed": 7 + 5,
}


def _url(key: str) -> str:
    if key.startswith("target:"):
        return f"/targets/{Target.objects.get(code=key.split(':')[1]).pk}/"
    if key.startswith("project:"):
        return f"/projects/{KeyProject.objects.get(code=key.split(':')[1]).pk}/"
    if key.startswith("department:"):
        return f"/departments/{Department.objects.get(code=key.split(':')[1]).pk}/"
    if key == "programme-filter":
        programme = Target.objects.get(code="3.3").programme_id
        return f"/projects/?programme={programme}&national_reserve=yes"
    return key


def _with_card(key: str, expected: int) -> int:
    """The escalation card reads whom each step was told to in a second query, only
    when the project has steps (a difference of data, not of size)."""
    from supervision.models import EscalationStep

    if key.startswith("project:"):
        code = key.split(":")[1]
        return expected + EscalationStep.objects.filter(project__code=code).exists()
    return expected


def _count_every_page(client, django_assert_num_queries) -> None:
    for key, expected in PAGES.items():
        url = _url(key)
        expected = _with_card(key, expected)
        with django_assert_num_queries(expected):
            response = client.get(url)
        assert response.status_code == 200, url


def test_dashboard_query_counts_stay_fixed_at_twenty_times_the_data(
    demo, client, django_assert_num_queries
):
    client.force_login(f.user("leader-1", Role.LEADER))
    _count_every_page(client, django_assert_num_queries)
    size = scale_up(demo, factor=20, today=DEMO_TODAY)
    assert (size.targets, size.projects) == (27 * 20, 356 * 20)
    # Building takes minutes on a busy machine: the idle timeout's session refresh
    # (three queries) falls due, here rather than on a counted page.
    client.get("/healthz")
    client.get("/targets/?status=lagging")
    _count_every_page(client, django_assert_num_queries)
