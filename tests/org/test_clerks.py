"""Who the active clerks（填报员）of a department are: org.roles.clerks_of, the one
query the return/reopen notices, the reminders, the escalation ladder and the
supervision orders and instructions all ask."""

import pytest

from org.models import Role
from org.roles import active_with_role, clerks_of
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    own, other, empty = f.department("own"), f.department("other"), f.department("empty")
    accounts = {
        # b before a on purpose: the lists follow the accounts' pk, not their names.
        "own-b": f.user("own-b", Role.STAFF, own),
        "own-a": f.user("own-a", Role.STAFF, own),
        "own-gone": f.user("own-gone", Role.STAFF, own, is_active=False),
        "own-reviewer": f.user("own-reviewer", Role.REVIEWER, own),
        "own-leader": f.user("own-leader", Role.LEADER, own),
        "own-admin": f.user("own-admin", Role.ADMIN, own),
        "other-a": f.user("other-a", Role.STAFF, other),
        "reviewer": f.user("reviewer", Role.REVIEWER),
    }
    return {"own": own.pk, "other": other.pk, "empty": empty.pk}, accounts


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        # Active staff of the department only, in account order: not the inactive
        # clerk, nor a reviewer, leader or admin who happens to sit in it.
        (["own"], {"own": ["own-b", "own-a"]}),
        (["own", "other"], {"own": ["own-b", "own-a"], "other": ["other-a"]}),
        # A department without active clerks is absent, not an empty list.
        (["empty"], {}),
        (["other", "empty"], {"other": ["other-a"]}),
        # No lead department（None）asks nobody.
        ([None], {}),
        ([None, "other"], {"other": ["other-a"]}),
        ([], {}),
    ],
)
def test_clerks_of(people, django_assert_num_queries, asked, expected):
    departments, _ = people
    ids = [departments[name] if name else None for name in asked]
    queries = 1 if any(ids) else 0  # one query, none when no department is given
    with django_assert_num_queries(queries):
        found = clerks_of(ids)
        # The profile comes loaded with each user: reading it costs nothing.
        assert all(u.profile.role == Role.STAFF for users in found.values() for u in users)
    by_name = {pk: name for name, pk in departments.items()}
    assert {by_name[pk]: [u.username for u in users] for pk, users in found.items()} == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        # Active accounts of the role, wherever they sit, in account order.
        (Role.REVIEWER, ["own-reviewer", "reviewer"]),
        (Role.LEADER, ["own-leader"]),
        (Role.STAFF, ["own-b", "own-a", "other-a"]),  # not the inactive clerk
    ],
)
def test_active_with_role(people, role, expected, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = active_with_role(role)
    assert [u.username for u in found] == expected
