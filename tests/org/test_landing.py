"""Where each role lands after login: staff on their month (returned work first),
reviewers on the review queue, leaders on the overview; a ?next= still wins."""

import pytest
from django.urls import reverse

from org.models import Role
from org.roles import landing_url_name
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        (Role.STAFF, "/report/"),
        (Role.REVIEWER, "/review/"),
        (Role.LEADER, "/"),
    ],
)
def test_login_lands_each_role_on_its_page(client, role, landing):
    department = f.department("own") if role == Role.STAFF else None
    f.user("someone", role, department)
    response = client.post(reverse("login"), {"username": "someone", "password": "pw-Zhongyuan-1"})
    assert (response.status_code, response["Location"]) == (302, landing)
    # Signed in, the login page sends them there too.
    assert client.get(reverse("login"))["Location"] == landing


def test_a_next_parameter_still_wins(client):
    f.user("clerk", Role.STAFF, f.department("own"))
    response = client.post(
        reverse("login") + "?next=/projects/",
        {"username": "clerk", "password": "pw-Zhongyuan-1", "next": "/projects/"},
    )
    assert response["Location"] == "/projects/"


@pytest.mark.parametrize(
    ("role", "name"),
    [
        (Role.STAFF, "reporting:my_month"),
        (Role.REVIEWER, "reporting:review"),
        (Role.LEADER, "targets:overview"),
        (Role.ADMIN, "targets:overview"),
        (Role.SECURITY_ADMIN, "targets:overview"),
        (Role.AUDIT_ADMIN, "targets:overview"),
        (None, "targets:overview"),
    ],
)
def test_landing_url_name(role, name):
    assert landing_url_name(role) == name
