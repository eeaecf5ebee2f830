"""The page cache (targets/cache.py): the overview's and programme page's reads come
from the cache while the year's snapshots are unchanged, a recompute that changes them
retires them at once (the generation key), and a cache that fails is a miss.

Query counts with the cache empty (cold) and filled (warm); the cold counts are the
pages' pins in test_dashboard_queries.py."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.cache import caches

from bench.scale import scale_up
from org.models import Role
from projects.demo import DEMO_TODAY
from targets.adapters import TARGET_ENTRIES
from targets.models import MANUAL_SOURCE, ProgrammeSnapshot, Target, TargetSnapshot
from targets.services import EntryValues
from tests import factories as f
from workflow.services import save_entry

pytestmark = pytest.mark.django_db

# url → (cold, warm): warm leaves out what the cache holds. The overview: its
# programme snapshots and the attention list (two queries); the programme page: its
# target rows and the planned total 3.3 is reconciled with (two); the overview's count
# of the latest closed month's corrections (one: supervision/panels.py).
# Beyond the cache: the header's unread notices (one) and, on the overview, the
# supervision panels (overdue 督办单，the leader's programmes and open 批示：three; the
# red cards and the orders in hand: two).
# The project list: its sums (totals, investment by month, stages: three) and its
# rendered table (the page's rows: one) are kept under the generation, which every write
# of a project or its progress bumps.
PAGES = {
    "/": (14, 11),
    "/programmes/3/": (9, 7),
    "/programmes/3/?sort=-ratio": (9, 7),
    "/projects/?stage=under_construction&page=2&sort=-invested": (12, 8),
}
# A derived target's page: its contributors (two queries over every project report)
# are kept under the generation; the cold count is its pin in test_dashboard_queries.py.
DERIVED = ("3.3", (15 + 2, 15))


def _counts(client, django_assert_num_queries) -> None:
    # A page the cache does not hold first: after minutes of building data, the idle
    # timeout's session refresh (three queries) falls on it, not on a counted page.
    client.get("/targets/?status=lagging")
    code, counts = DERIVED
    pages = {**PAGES, f"/targets/{Target.objects.get(code=code).pk}/": counts}
    for url, (cold, warm) in pages.items():
        for expected in (cold, warm):
            with django_assert_num_queries(expected):
                response = client.get(url)
            assert response.status_code == 200, url


def test_cold_and_warm_query_counts_stay_fixed_at_twenty_times_the_data(
    demo, client, page_cache, django_assert_num_queries, django_capture_on_commit_callbacks
):
    client.force_login(f.user("leader-1", Role.LEADER))
    _counts(client, django_assert_num_queries)
    with django_capture_on_commit_callbacks(execute=True):
        scale_up(demo, factor=20, today=DEMO_TODAY)  # its recompute bumps the generation
    _counts(client, django_assert_num_queries)


def test_the_project_lists_sums_are_shared_by_every_page_and_order_of_a_filter(
    demo, client, page_cache, django_assert_num_queries
):
    """The sums (three queries) are keyed by the filters, not by page or order: another
    page of the same set reads only its own rows (one query for the table)."""
    client.force_login(f.user("leader-1", Role.LEADER))
    client.get("/targets/?status=lagging")  # the idle timeout's session refresh, if due
    url = "/projects/?stage=under_construction"
    with django_assert_num_queries(12):
        client.get(url)
    with django_assert_num_queries(12 - 3):
        client.get(url + "&page=2&sort=-invested")
    with django_assert_num_queries(12):  # another filter: its own sums
        client.get("/projects/?stage=signed")


def _figure_8(client) -> D:
    response = client.get("/")
    programme = next(p for p in response.context["data"].programmes if p.programme.number == 8)
    return programme.ratio


def test_saving_an_entry_shows_on_the_cached_overview_at_once(
    demo, client, page_cache, django_capture_on_commit_callbacks
):
    client.force_login(f.user("leader-1", Role.LEADER))
    target = Target.objects.get(code="8.1")
    period = TargetSnapshot.objects.filter(target=target).latest("period").period
    before = _figure_8(client)
    assert _figure_8(client) == before  # now from the cache
    staff = f.user("staff-8-1", Role.STAFF, target.lead_department)
    target.entries.filter(period=period).delete()
    with django_capture_on_commit_callbacks(execute=True):  # the recompute, eager
        save_entry(
            adapter=TARGET_ENTRIES,
            subject=target,
            period=period,
            user=staff,
            values=EntryValues(value=target.target_value),  # the whole year's target
            expected_version=0,
            submit=True,
        )
    stored = ProgrammeSnapshot.objects.get(programme__number=8, period=period).ratio
    assert stored != before
    assert _figure_8(client) == stored
    # The programme page's cached rows follow too.
    response = client.get("/programmes/8/")
    row = next(r for r in response.context["table"].page.object_list.data if r.pk == target.pk)
    assert row.actual == target.target_value


def test_a_snapshot_write_that_rolls_back_keeps_the_generation(demo, page_cache):
    from django.db import transaction

    from targets import cache

    before = cache.generation(demo.pk)
    with pytest.raises(RuntimeError), transaction.atomic():
        cache.bump(demo.pk)
        raise RuntimeError
    assert cache.generation(demo.pk) == before


def test_a_cache_that_is_down_is_a_miss(demo, client, page_cache, settings):
    """Nothing listens on the cache's port: every page still answers, reading the
    database, and after the first failure the process leaves the cache alone."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    caches["default"]  # the new backend
    client.force_login(f.user("leader-1", Role.LEADER))
    for url in PAGES:
        assert client.get(url).status_code == 200
    assert page_cache._paused_until > 0


# The pages the bigger sizes change most: the programme table and the project list.
FIFTY_TIMES = [
    "/programmes/3/",
    "/programmes/3/?sort=-ratio&page=2",
    "/programmes/3/?page=3",
    "/projects/",
    "/projects/?stage=under_construction&national_reserve=no&page=2",
]


def test_programme_page_and_project_list_cost_the_same_at_one_and_fifty_times(
    demo, client, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(f.user("leader-1", Role.LEADER))
    at_one = {}
    for url in FIFTY_TIMES:
        with CaptureQueriesContext(connection) as one:
            assert client.get(url).status_code == 200
        at_one[url] = len(one.captured_queries)
    size = scale_up(demo, factor=50, today=DEMO_TODAY)
    assert (size.targets, size.projects) == (27 * 50, 356 * 50)
    client.get("/targets/?status=lagging")  # the idle timeout's session refresh, if due
    for url in FIFTY_TIMES:
        with django_assert_num_queries(at_one[url]):
            assert client.get(url).status_code == 200
    _paged_at_fifty_times(client)


def _paged_at_fifty_times(client) -> None:
    """At 50× (a programme of 250 targets) the programme table shows 50 of them,
    the chart the same page; the overview lists the worst 30 targets needing attention
    and 5 of each department's unreported ones, and says how many more there are."""
    response = client.get("/programmes/3/?page=2")
    table = response.context["table"]
    assert table.paginator.count == Target.objects.filter(programme__number=3).count() > 100
    assert len(table.page.object_list) == 50
    assert len(response.context["figure"]["data"][0]["y"]) <= 50
    assert client.get("/programmes/3/?page=99").status_code == 200
    assert client.get("/programmes/3/?page=x").status_code == 200
    data = client.get("/").context["data"]
    assert len(data.attention) == 30 < data.attention_count
    assert all(len(d.targets) == min(d.count, 5) for d in data.missing)


def test_derived_recompute_costs_the_same_at_one_and_twenty_times(demo):
    """One derived target's recompute (the project sums) at 1× and at 20× the targets
    and projects: the same queries (months: tests/projects/test_metric_months.py); the
    whole year's: one query per derived metric at both sizes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from targets import snapshots

    def queries() -> int:
        target = Target.objects.get(code="3.3")
        with CaptureQueriesContext(connection) as captured:
            snapshots.recompute_target(target_id=target.pk, today=DEMO_TODAY)
        return len(captured.captured_queries)

    def year() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            snapshots.recompute_plan_year(plan_year=demo, today=DEMO_TODAY)
        return [q["sql"] for q in captured.captured_queries if "projects_" in q["sql"]]

    one, sums = queries(), year()
    sources = set(Target.objects.exclude(source="").values_list("source", flat=True))
    sources.discard(MANUAL_SOURCE)
    # The whole year reads each derived metric once, whatever the number of targets
    # that name it.
    assert len(sums) == len(sources), "\n".join(sums)
    scale_up(demo, factor=20, today=DEMO_TODAY)
    assert queries() == one
    assert len(year()) == len(sums)
    assert date(2025, 10, 1) in set(
        TargetSnapshot.objects.filter(target__code="3.3").values_list("period", flat=True)
    )


def test_a_bump_lost_to_a_cache_error_is_made_with_the_next_one(
    demo, page_cache, monkeypatch, django_capture_on_commit_callbacks
):
    backend = caches["default"]  # the backend itself, not the proxy

    first = page_cache.generation(demo.pk)
    real = backend.set_many

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(backend, "set_many", down)
    with django_capture_on_commit_callbacks(execute=True):
        page_cache.bump(demo.pk)
    assert demo.pk in page_cache._owed
    monkeypatch.setattr(backend, "set_many", real)
    monkeypatch.setattr(page_cache, "_paused_until", 0.0)
    assert page_cache.generation(demo.pk) == first  # the lost bump: still the old one
    with django_capture_on_commit_callbacks(execute=True):
        page_cache.bump(999_999)  # another year's bump carries the owed one
    assert page_cache.generation(demo.pk) != first
    assert not page_cache._owed


def test_a_page_builds_under_the_generation_it_read_first(
    demo, page_cache, django_capture_on_commit_callbacks
):
    """A bump landing in the middle of a request does not move that request's
    generation: what it built from the old snapshots is filed under the old one."""
    from targets import cache as page_cache_module

    with page_cache_module.one_generation_each():
        first = page_cache_module.generation(demo.pk)
        with django_capture_on_commit_callbacks(execute=True):
            page_cache_module.bump(demo.pk)
        assert page_cache_module.generation(demo.pk) == first
    assert page_cache_module.generation(demo.pk) not in (None, first)
