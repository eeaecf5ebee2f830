"""The cached HTML fragments (targets/cache.py ``cached_fragment``, the
``{% generation_cache %}`` tag): the overview's figures and lists and the programme
page's table under the plan year's generation, retired by the recompute that changes
them; the project list's table under the digest of the rows it shows; the viewer's
scope in every key; a cache that fails is a miss.

The page cache is on in every test here (the ``page_cache`` fixture)."""

import re

import pytest
from django.core.cache import caches

from org.models import Department, Role
from projects.metrics import request_derived_recompute
from projects.models import KeyProject
from targets import presenters
from targets.adapters import TARGET_ENTRIES
from targets.models import ProgrammeSnapshot, Target, TargetSnapshot
from targets.services import EntryValues
from targets.templatetags.zy import format_ratio
from tests import factories as f
from workflow.services import save_entry

pytestmark = pytest.mark.django_db


def _programme_ratio(html: str, number: int) -> str:
    card = re.search(
        rf'data-programme="{number}".*?data-testid="programme-ratio">([^<]*)<', html, re.DOTALL
    )
    return card.group(1)


def _unreviewed(html: str, number: int) -> str:
    """The 未审核 line of the overview's card of programme ``number`` ("" for none)."""
    card = re.search(rf'data-programme="{number}".*?</div>', html, re.DOTALL).group(0)
    line = re.search(r'data-testid="unreviewed-summary">([^<]*)<', card)
    return line.group(1) if line else ""


def _row(html: str, code: str) -> str:
    """The programme table's row of the target ``code``."""
    for row in re.findall(r"<tr\b.*?</tr>", html, re.DOTALL):
        if re.search(rf"<td[^>]*>{re.escape(code)}</td>", row):
            return row
    raise AssertionError(f"no row {code}")


def _save_whole_year(target: Target, period, django_capture_on_commit_callbacks) -> None:
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


def test_a_saved_entry_shows_in_the_cached_fragments_at_once(
    demo, client, page_cache, django_capture_on_commit_callbacks
):
    client.force_login(f.user("leader-1", Role.LEADER))
    target = Target.objects.get(code="8.1")
    period = TargetSnapshot.objects.filter(target=target).latest("period").period
    overview = client.get("/").content.decode()
    table = client.get("/programmes/8/").content.decode()
    before = _programme_ratio(overview, 8)
    # From the cache now: the same HTML.
    assert _programme_ratio(client.get("/").content.decode(), 8) == before
    assert _row(client.get("/programmes/8/").content.decode(), "8.1") == _row(table, "8.1")
    assert format_ratio(1) not in _row(table, "8.1")

    _save_whole_year(target, period, django_capture_on_commit_callbacks)

    snapshot = ProgrammeSnapshot.objects.get(programme__number=8, period=period)
    stored = snapshot.ratio
    assert format_ratio(stored) != before
    html = client.get("/").content.decode()
    assert _programme_ratio(html, 8) == format_ratio(stored)
    # The 未审核 marks are the new snapshot's (the entry is submitted, not yet reviewed).
    marks = presenters.unreviewed_summary(
        provisional_count=snapshot.provisional_count, awaiting_count=snapshot.awaiting_count
    )
    assert marks
    assert _unreviewed(html, 8) == marks
    assert format_ratio(1) in _row(client.get("/programmes/8/").content.decode(), "8.1")


def test_the_fragment_is_kept_until_the_generation_changes(demo, client, page_cache):
    """What the cache holds is what the page shows: a snapshot changed behind the
    recompute's back (no bump) does not show, a bump then shows it. (So the tests
    above see the recompute's bump, not a cache that is not used.)"""
    client.force_login(f.user("leader-1", Role.LEADER))
    before = _programme_ratio(client.get("/").content.decode(), 8)
    latest = ProgrammeSnapshot.objects.filter(programme__number=8).latest("period")
    ProgrammeSnapshot.objects.filter(pk=latest.pk).update(ratio="0.0123")
    assert _programme_ratio(client.get("/").content.decode(), 8) == before
    caches["default"].delete(page_cache._generation_key(demo.pk))
    assert _programme_ratio(client.get("/").content.decode(), 8) == "1.2%"


def test_the_project_table_follows_a_changed_project_at_once(
    demo, client, page_cache, django_capture_on_commit_callbacks
):
    """Every write of a project passes through request_derived_recompute (the admin,
    the register's load, the monthly reports), which retires the year's generation even
    when no derived target reads the field: a renamed project shows at once."""
    client.force_login(f.user("leader-1", Role.LEADER))
    url = "/projects/?stage=under_construction&page=2"
    first = client.get(url)
    project = first.context["table"].page.object_list.data[0]
    assert project.name in first.content.decode()
    # The cached table, the same HTML (the page around it has its own CSRF token).
    assert _table(client.get(url)) == _table(first)
    KeyProject.objects.filter(pk=project.pk).update(name="改名后的项目（测试）")
    # Without the write path's bump the cached table stays as it was ...
    assert _table(client.get(url)) == _table(first)
    # ... and the admin's save asks for it (projects/admin.py KeyProjectAdmin.save_model).
    with django_capture_on_commit_callbacks(execute=True):
        request_derived_recompute(
            plan_year_id=project.plan_year_id, changed={"KeyProject.name"}, reason="重点项目修改"
        )
    html = client.get(url).content.decode()
    assert "改名后的项目（测试）" in html
    assert project.name not in html


def _table(response) -> str:
    return re.search(r"<table\b.*?</table>", response.content.decode(), re.DOTALL).group(0)


def _department_links(html: str) -> set[str]:
    return set(re.findall(r'href="/departments/(\d+)/"', html))


@pytest.mark.parametrize("url", ["/", "/programmes/3/", "/projects/"])
def test_a_fragment_is_shared_only_by_viewers_of_the_same_scope(demo, client, page_cache, url):
    """A leader's fragment links every department; a staff member's, only their own
    (org.roles): never the leader's HTML from the cache."""
    client.force_login(f.user("leader-1", Role.LEADER))
    leader = _department_links(client.get(url).content.decode())
    assert leader
    elsewhere = Department.objects.exclude(pk__in=[int(pk) for pk in leader]).first()
    client.force_login(f.user("staff-1", Role.STAFF, elsewhere))
    assert not _department_links(client.get(url).content.decode()) & leader


def test_the_contributors_come_from_the_cache_until_a_recompute(
    demo, client, page_cache, django_assert_num_queries
):
    """The derived target page's contributors (two queries over every project report)
    are kept with the snapshots: a warm page runs two queries fewer (the cold count is
    the pin in test_dashboard_queries.py)."""
    client.force_login(f.user("leader-1", Role.LEADER))
    url = f"/targets/{Target.objects.get(code='3.3').pk}/"
    client.get("/targets/?status=lagging")  # the idle timeout's session refresh, if due
    # 15: the pin less the contributors (the corrections panel counted since its merge)
    with django_assert_num_queries(15 + 2):
        cold = client.get(url)
    with django_assert_num_queries(15):
        warm = client.get(url)
    assert warm.context["contributors"] == cold.context["contributors"]
    assert warm.context["contributors"].count > 0


def test_fragments_treat_a_cache_that_is_down_as_a_miss(demo, client, page_cache, settings):
    """Nothing listens on the cache's port: every page renders its fragments from
    the database and answers in full."""
    client.force_login(f.user("leader-1", Role.LEADER))
    pages = {
        "/": 'data-testid="attention"',
        "/programmes/3/": 'data-testid="reconciliations"',
        "/projects/?page=2": 'data-testid="total-count"',
        f"/targets/{Target.objects.get(code='3.3').pk}/": 'data-testid="contributors"',
    }
    expected = {url: client.get(url).content.count(b"<tr") for url in pages}
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    caches["default"]  # the new backend
    for url, marker in pages.items():
        page_cache._paused_until = 0.0  # every page meets the failure itself
        response = client.get(url)
        assert response.status_code == 200, url
        assert marker in response.content.decode(), url
        assert response.content.count(b"<tr") == expected[url], url
        assert page_cache._paused_until > 0, url


def test_a_fragment_whose_write_fails_still_renders(demo, client, page_cache, monkeypatch):
    backend = caches["default"]

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    client.force_login(f.user("leader-1", Role.LEADER))
    expected = _table(client.get("/programmes/3/"))
    monkeypatch.setattr(backend, "set", down)
    monkeypatch.setattr(backend, "get", down)
    monkeypatch.setattr(page_cache, "_paused_until", 0.0)
    assert client.get("/programmes/3/?sort=code").status_code == 200
    monkeypatch.setattr(page_cache, "_paused_until", 0.0)
    assert _table(client.get("/programmes/3/")) == expected
