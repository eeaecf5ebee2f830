"""Password rules (GB/T 22239-2019 §8.1.4.1): length, classes, similarity, common
passwords (the demo's among them), history; rotation and the first-login change."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from org.models import PasswordHistory, Profile, Role
from tests import factories as f

pytestmark = pytest.mark.django_db

GOOD = "Lotus-Pond-2025"


def refusals(password: str, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return [e.code for e in error.error_list]
    return []


@pytest.mark.parametrize(
    ("password", "codes"),
    [
        (GOOD, []),
        ("Lotus#Pond", []),  # 10 characters, three classes
        ("Lotus#Pd9", ["password_too_short"]),
        ("lotuspond2025", ["password_too_few_character_classes"]),
        ("lotus-pond-2025", []),  # lower, digits, symbols: three classes
        ("LOTUSPONDS", ["password_too_few_character_classes"]),
        ("Zhongyuan@2025", ["password_too_common"]),  # the demo's public password
        ("zhongyuan@2025", ["password_too_common"]),
        (
            "Zhongyuan",
            ["password_too_short", "password_too_few_character_classes", "password_too_common"],
        ),
        ("P@ssw0rd123", ["password_too_common"]),
        (
            "1234567890",
            [
                "password_too_few_character_classes",
                "password_too_common",
                "password_entirely_numeric",
            ],
        ),
    ],
)
def test_password_rules(password, codes):
    assert sorted(refusals(password)) == sorted(codes)


def test_password_similar_to_the_username_is_refused():
    user = f.user("wangxiaoming")
    assert "password_too_similar" in refusals("Wangxiaoming#1", user)


def test_password_history_refuses_the_last_five(settings):
    settings.PASSWORD_HISTORY_COUNT = 5
    user = f.user("clerk")
    passwords = [f"Lotus-Pond-{n}x" for n in range(6)]
    for password in passwords:
        assert refusals(password, user) == []
        user.set_password(password)
        user.save()
    assert PasswordHistory.objects.filter(user=user).count() == 5
    for recent in passwords[1:]:
        assert refusals(recent, user) == ["password_reused"], recent
    # The sixth-latest has dropped out of the history.
    assert refusals(passwords[0], user) == []
    assert refusals("pw-Zhongyuan-1", user) == []


def login(client, username: str, password: str = "pw-Zhongyuan-1"):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_first_login_after_an_admin_created_the_account_forces_a_change(client):
    clerk = f.user("clerk", Role.STAFF, f.department())
    Profile.objects.filter(user=clerk).update(must_change_password=True)
    # A clerk lands on their month (org.roles.landing_url_name).
    assert login(client, "clerk")["Location"] == reverse("reporting:my_month")
    response = client.get(reverse("targets:overview"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("password_change"))
    # Nothing else opens until the password is changed.
    assert client.get("/report/")["Location"].startswith(reverse("password_change"))

    response = client.post(
        reverse("password_change"),
        {"old_password": "pw-Zhongyuan-1", "new_password1": GOOD, "new_password2": GOOD},
    )
    assert (response.status_code, response["Location"]) == (302, reverse("reporting:my_month"))
    assert client.get(reverse("targets:overview")).status_code == 200
    assert Profile.objects.get(user=clerk).must_change_password is False


def test_password_change_refuses_the_demo_password_in_chinese(client):
    f.user("clerk", Role.STAFF, f.department())
    login(client, "clerk")
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "pw-Zhongyuan-1",
            "new_password1": "Zhongyuan@2025",
            "new_password2": "Zhongyuan@2025",
        },
    )
    assert response.status_code == 200
    assert "该密码过于常见（或是公开的演示密码），请换一个。" in response.text


def test_a_password_older_than_the_maximum_age_must_be_changed(client, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    clerk = f.user("clerk", Role.STAFF, f.department())
    # Never changed: it counts from when the account was made.
    User.objects.filter(pk=clerk.pk).update(date_joined=timezone.now() - timedelta(days=91))
    login(client, "clerk")
    response = client.get(reverse("targets:overview"))
    assert response["Location"].startswith(reverse("password_change"))
    page = client.get(response["Location"])
    assert "密码已超过 90 天未修改，请修改密码后继续使用。" in page.text


def test_a_password_younger_than_the_maximum_age_is_fine(client, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    clerk = f.user("clerk", Role.STAFF, f.department())
    User.objects.filter(pk=clerk.pk).update(date_joined=timezone.now() - timedelta(days=400))
    clerk.set_password("Lotus-Pond-2024")
    clerk.save()
    PasswordHistory.objects.filter(user=clerk).update(
        created_at=timezone.now() - timedelta(days=89)
    )
    login(client, "clerk", "Lotus-Pond-2024")
    assert client.get(reverse("targets:overview")).status_code == 200
