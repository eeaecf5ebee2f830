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
