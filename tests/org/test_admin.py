"""Departments and accounts in the admin, now under org."""

import pytest
from django.urls import reverse

from org.models import Department, Profile, Role
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    f.login(client, f.user("boss", Role.ADMIN))
    return client


def test_user_list_shows_role_and_department(admin_client):
    f.user("fgw_staff", Role.STAFF, f.department("fgw", short_name="区发改委"))
    response = admin_client.get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 200
    assert "区发改委" in response.content.decode()


def test_user_page_edits_the_profile_inline(client):
    # Roles of existing accounts are the security admin's duty (三权分立).
    f.login(client, f.user("security", Role.SECURITY_ADMIN))
    clerk = f.user("fgw_staff", Role.LEADER)
    page = client.get(reverse("admin:auth_user_change", args=[clerk.pk]))
    assert page.status_code == 200
    assert 'name="profile-0-role"' in page.content.decode()


def test_department_admin_lives_under_org(admin_client):
    department = f.department("fgw")
    for view, args in [
        ("changelist", []),
        ("change", [department.pk]),
        ("history", [department.pk]),
    ]:
        response = admin_client.get(reverse(f"admin:org_department_{view}", args=args))
        assert response.status_code == 200, view
    assert Profile._meta.app_label == Department._meta.app_label == "org"


def add_user_data(**overrides) -> dict:
    data = {
        "username": "newbie",
        "first_name": "新同事",
        "email": "",
        "password1": "Lotus-Pond-2025",
        "password2": "Lotus-Pond-2025",
        "profile-TOTAL_FORMS": "1",
        "profile-INITIAL_FORMS": "0",
        "profile-MIN_NUM_FORMS": "1",
        "profile-MAX_NUM_FORMS": "1",
        "profile-0-role": "",
        "profile-0-department": "",
    }
    return {**data, **overrides}


def test_a_user_added_without_a_role_is_refused(admin_client):
    from django.contrib.auth.models import User

    page = admin_client.get(reverse("admin:auth_user_add"))
    # No role is preselected: one left as it is would not be saved.
    assert '<option value="" selected>---------</option>' in page.text
    response = admin_client.post(reverse("admin:auth_user_add"), add_user_data())
    assert response.status_code == 200
    assert not User.objects.filter(username="newbie").exists()


def test_a_user_added_with_a_role_must_change_the_password_at_first_login(admin_client):
    response = admin_client.post(
        reverse("admin:auth_user_add"), add_user_data(**{"profile-0-role": Role.LEADER})
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user__username="newbie")
    assert (profile.role, profile.must_change_password) == (Role.LEADER, True)


def test_the_system_admin_cannot_give_an_admin_duty(admin_client):
    response = admin_client.post(
        reverse("admin:auth_user_add"), add_user_data(**{"profile-0-role": Role.SECURITY_ADMIN})
    )
    assert response.status_code == 200
    assert not Profile.objects.filter(user__username="newbie").exists()


def test_the_system_admin_cannot_change_an_existing_role(admin_client):
    clerk = f.user("clerk", Role.LEADER)
    page = admin_client.get(reverse("admin:auth_user_change", args=[clerk.pk]))
    assert 'name="profile-0-role"' not in page.text
    assert "领导" in page.text


def test_the_security_admin_changes_a_role(client):
    f.login(client, f.user("security", Role.SECURITY_ADMIN))
    clerk = f.user("clerk", Role.LEADER)
    profile = clerk.profile
    response = client.post(
        reverse("admin:auth_user_change", args=[clerk.pk]),
        {
            "is_active": "on",
            "profile-TOTAL_FORMS": "1",
            "profile-INITIAL_FORMS": "1",
            "profile-MIN_NUM_FORMS": "1",
            "profile-MAX_NUM_FORMS": "1",
            "profile-0-id": profile.pk,
            "profile-0-user": clerk.pk,
            "profile-0-role": Role.AUDIT_ADMIN,
        },
    )
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    profile.refresh_from_db()
    assert profile.role == Role.AUDIT_ADMIN


def test_nobody_changes_their_own_role(client):
    security = f.user("security", Role.SECURITY_ADMIN)
    f.login(client, security)
    page = client.get(reverse("admin:auth_user_change", args=[security.pk]))
    assert 'name="profile-0-role"' not in page.text


def test_a_password_reset_by_the_admin_forces_a_change(admin_client):
    clerk = f.user("clerk", Role.LEADER)
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[clerk.pk]),
        {"password1": "Lotus-Pond-2025", "password2": "Lotus-Pond-2025", "usable_password": "true"},
    )
    assert response.status_code == 302
    clerk.profile.refresh_from_db()
    assert clerk.profile.must_change_password is True


def test_only_the_system_admin_resets_passwords(client):
    f.login(client, f.user("security", Role.SECURITY_ADMIN))
    clerk = f.user("clerk", Role.LEADER)
    response = client.get(reverse("admin:auth_user_password_change", args=[clerk.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("role", "url", "status"),
    [
        (Role.ADMIN, "/admin/targets/target/", 200),
        (Role.SECURITY_ADMIN, "/admin/targets/target/", 403),
        (Role.AUDIT_ADMIN, "/admin/targets/target/", 403),
        (Role.ADMIN, "/admin/axes/accessattempt/", 403),
        (Role.SECURITY_ADMIN, "/admin/axes/accessattempt/", 200),
        (Role.AUDIT_ADMIN, "/admin/axes/accessattempt/", 200),
        (Role.AUDIT_ADMIN, "/admin/auth/user/", 200),
        (Role.AUDIT_ADMIN, "/admin/auth/user/add/", 403),
        (Role.SECURITY_ADMIN, "/admin/auth/user/add/", 403),
        (Role.ADMIN, "/admin/auth/group/", 404),
    ],
)
def test_admin_duties_are_separated(client, role, url, status):
    f.login(client, f.user("someone", role))
    assert client.get(url).status_code == status


def test_the_admin_site_has_no_login_form_of_its_own(client):
    response = client.get("/admin/login/?next=/admin/")
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/admin/")
    f.login(client, f.user("reader", Role.LEADER))
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/login/").status_code == 403


def test_bootstrap_admin_refuses_a_second_system_admin():
    import io

    from django.core.management import CommandError, call_command

    call_command("bootstrap_admin", "chief", stdout=io.StringIO())
    with pytest.raises(CommandError, match="已有系统管理员账号"):
        call_command("bootstrap_admin", "deputy", stdout=io.StringIO())
    call_command("bootstrap_admin", "guard", "--role", "security_admin", stdout=io.StringIO())
    assert Profile.objects.get(user__username="guard").role == Role.SECURITY_ADMIN
    assert Profile.objects.get(user__username="chief").must_change_password is True
