"""Each event the issue lists writes one audit row with who, when, from where, what
and the result: login, failed login, logout, lockout, permission denied, the admin's
creates, changes and deletes (accounts and roles included) and every export."""

import pytest
from django.urls import reverse

from org.audit_models import AuditEvent
from org.models import Department, Profile, Role
from targets.models import PlanYear
from tests import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "pw-Zhongyuan-1"


def only(action: str) -> AuditEvent:
    return AuditEvent.objects.get(action=action)


def test_login_is_recorded(client):
    reader = f.user("reader")
    response = client.post(
        reverse("login"), {"username": "reader", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7"
    )
    assert response.status_code == 302
    event = only("auth.login")
    assert (event.actor_id, event.actor_username, event.actor_role) == (
        reader.pk,
        "reader",
        "leader",
    )
    assert (event.address, event.result) == ("10.0.0.7", "success")
    assert event.occurred_at.tzinfo is not None


def test_failed_login_is_recorded_without_the_password(client):
    f.user("reader")
    client.post(reverse("login"), {"username": "reader", "password": "secret-guess"})
    event = only("auth.login_failed")
    assert (event.actor_id, event.actor_username) == (None, "")
    assert (event.result, event.address) == ("failure", "127.0.0.1")
    assert event.detail == {"username": "reader"}
    assert "secret-guess" not in str(event.detail)


def test_failed_login_for_an_unknown_account_is_recorded(client):
    client.post(reverse("login"), {"username": "nobody", "password": "x"})
    assert only("auth.login_failed").detail == {"username": "nobody"}


def test_logout_is_recorded(client):
    reader = f.user("reader")
    client.force_login(reader)
    client.post(reverse("logout"))
    event = only("auth.logout")
    assert (event.actor_id, event.actor_username, event.result) == (reader.pk, "reader", "success")


def test_lockout_is_recorded(client, settings):
    f.user("reader")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "reader", "password": "guess"})
    event = only("auth.lockout")
    assert (event.result, event.address, event.detail) == (
        "failure",
        "127.0.0.1",
        {"username": "reader"},
    )
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == (
        settings.AXES_FAILURE_LIMIT
    )


def test_a_refused_page_is_recorded(client):
    """A reporting view's own refusal page (it catches PermissionDenied itself)."""
    leader = f.user("leader")
    client.force_login(leader)
    response = client.get(reverse("reporting:review"))
    assert response.status_code == 403
    event = only("permission_denied")
    assert (event.actor_username, event.actor_role, event.result) == (
        "leader",
        "leader",
        "failure",
    )
    assert event.detail["path"] == "/review/"
    assert event.detail["method"] == "GET"


def test_a_permission_denied_from_the_403_handler_is_recorded_with_its_reason(client):
    """The admin raises PermissionDenied; the 403 handler answers; the reason is kept."""
    auditor = f.user("auditor", Role.AUDIT_ADMIN)
    f.login(client, auditor)
    response = client.get(reverse("admin:targets_target_changelist"))
    assert response.status_code == 403
    event = only("permission_denied")
    assert event.actor_username == "auditor"
    assert event.detail["path"] == "/admin/targets/target/"


@pytest.fixture
def boss(client):
    boss = f.user("boss", Role.ADMIN)
    f.login(client, boss)
    return boss


def test_admin_create_change_and_delete_are_recorded(client, boss):
    url = reverse("admin:org_department_add")
    data = {"name": "区发改委", "short_name": "发改委", "code": "fgw", "kind": "district_office"}
    data |= {"email": "", "sort_order": 1}
    assert client.post(url, data).status_code == 302
    department = Department.objects.get(code="fgw")
    added = only("admin.add")
    assert (added.actor_username, added.actor_role, added.address) == ("boss", "admin", "127.0.0.1")
    assert (added.target_model, added.target_pk, added.target_repr) == (
        "org.department",
        str(department.pk),
        "发改委",
    )
    assert added.detail == {"change": [{"added": {}}]}

    url = reverse("admin:org_department_change", args=[department.pk])
    assert client.post(url, {**data, "short_name": "区发改"}).status_code == 302
    changed = only("admin.change")
    assert changed.target_repr == "区发改"
    assert "简称" in str(changed.detail["change"])

    # Departments are never deleted (no role may, org.policy): a plan year is.
    year = f.plan_year(2030)
    url = reverse("admin:targets_planyear_delete", args=[year.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    deleted = only("admin.delete")
    assert (deleted.target_model, deleted.target_pk) == ("targets.planyear", str(year.pk))
    assert (deleted.actor_username, deleted.result) == ("boss", "success")
    assert not PlanYear.objects.exists()


def test_admin_bulk_delete_records_each_row(client, boss):
    first, second = f.plan_year(2030), f.plan_year(2031)
    response = client.post(
        reverse("admin:targets_planyear_changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )
    assert response.status_code == 302
    deleted = AuditEvent.objects.filter(action="admin.delete").order_by("seq")
    assert sorted(e.target_pk for e in deleted) == sorted([str(first.pk), str(second.pk)])


def test_a_role_change_in_the_user_admin_is_recorded_with_before_and_after(client):
    """Roles are the security admin's to change (三权分立). One change, one row: the
    Profile signal is the only trigger, the user admin records no second one."""
    guard = f.user("guard", Role.SECURITY_ADMIN)
    f.login(client, guard)
    clerk = f.user("clerk", Role.LEADER)
    profile = clerk.profile
    before = AuditEvent.objects.filter(action="org.role_change").count()
    url = reverse("admin:auth_user_change", args=[clerk.pk])
    data = {
        "username": "clerk",
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "date_joined_0": "2025-01-01",
        "date_joined_1": "00:00:00",
        "last_login_0": "",
        "last_login_1": "",
        "profile-TOTAL_FORMS": "1",
        "profile-INITIAL_FORMS": "1",
        "profile-MIN_NUM_FORMS": "0",
        "profile-MAX_NUM_FORMS": "1",
        "profile-0-id": str(profile.pk),
        "profile-0-user": str(clerk.pk),
        "profile-0-role": Role.REVIEWER,
        "profile-0-department": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert AuditEvent.objects.filter(action="org.role_change").count() == before + 1
    event = AuditEvent.objects.filter(action="org.role_change").latest("seq")
    assert (event.actor_username, event.actor_role, event.address) == (
        "guard",
        "security_admin",
        "127.0.0.1",
    )
    assert event.result == "success"
    assert (event.target_model, event.target_pk, event.target_repr) == (
        "auth.user",
        str(clerk.pk),
        "clerk",
    )
    assert event.detail == {"before": "leader", "after": "reviewer"}
    assert only("admin.change").target_repr == "clerk"


def test_every_role_given_or_changed_is_recorded():
    clerk = f.user("clerk", Role.STAFF, f.department("fgw"))
    profile = Profile.objects.get(user=clerk)
    profile.save()  # no change, no row
    profile.role = Role.AUDIT_ADMIN
    profile.department = None
    profile.save()
    rows = AuditEvent.objects.filter(action="org.role_change").order_by("seq")
    assert [e.detail for e in rows] == [
        {"before": "", "after": "staff"},
        {"before": "staff", "after": "audit_admin"},
    ]
    # Saved outside a request: nobody is named, not made up.
    assert {e.actor_username for e in rows} == {""}


def test_programme_export_is_recorded(client, settings):
    from tests.targets.test_dashboard_data import TODAY, build_small_year

    settings.SITE_TODAY = TODAY
    build_small_year()
    client.force_login(f.user("leader-1"))
    response = client.get("/programmes/1/?month=2025-03&export=csv")
    assert response.status_code == 200
    event = only("export")
    assert (event.actor_username, event.result) == ("leader-1", "success")
    assert event.detail["path"] == "/programmes/1/"
    assert event.detail["query"] == "month=2025-03&export=csv"
    assert event.detail["file"].startswith("attachment")
    # Reading the page is not an export.
    client.get("/programmes/1/")
    assert AuditEvent.objects.filter(action="export").count() == 1


def test_project_list_export_is_recorded(client, settings):
    year = f.plan_year()
    f.project(year, f.programme(year))
    client.force_login(f.user("leader-1"))
    response = client.get("/projects/?export=xlsx")
    assert response.status_code == 200
    event = only("export")
    assert event.detail["path"] == "/projects/"
    assert event.detail["query"] == "export=xlsx"
