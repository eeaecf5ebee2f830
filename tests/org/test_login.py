"""Login: a long username, a user without a role, demo accounts, lockout, idle expiry."""

import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.urls import reverse

from org.middleware import LAST_ACTIVITY
from org.models import Profile, Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def login(client, username: str, password: str = "pw-Zhongyuan-1"):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_256_character_username_is_an_ordinary_failed_login(client):
    response = login(client, "a" * 256, "wrong")
    assert response.status_code == 200
    assert "请输入一个正确的" in response.text
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.failures_since_start) == ("a" * 150, 1)


def test_a_long_username_is_locked_out_like_any_other(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        login(client, "b" * 300, "wrong")
    response = login(client, "b" * 300, "wrong")
    assert response.status_code == 429
    assert "账号已暂时锁定" in response.text


def test_a_user_without_a_role_cannot_log_in_and_is_told_why(client):
    User.objects.create_user("nobody", password="pw-Zhongyuan-1")
    response = login(client, "nobody")
    assert response.status_code == 200
    assert "该账号尚未分配角色，不能登录。请联系安全管理员。" in response.text
    assert client.get(reverse("targets:overview")).status_code == 302


def test_a_user_without_a_role_with_a_wrong_password_learns_nothing(client):
    User.objects.create_user("nobody", password="pw-Zhongyuan-1")
    response = login(client, "nobody", "wrong")
    assert "尚未分配角色" not in response.text
    assert "请输入一个正确的" in response.text


def test_a_superuser_cannot_log_in_even_with_a_role(client):
    boss = User.objects.create_superuser("boss", password="pw-Zhongyuan-1")
    Profile.objects.create(user=boss, role=Role.ADMIN)
    response = login(client, "boss")
    assert "超级用户账号不能登录" in response.text
    client.force_login(boss)
    # The session does not even load: no role, no account.
    assert client.get(reverse("targets:overview"))["Location"].startswith("/login/")
    assert client.get("/admin/").status_code == 302


def test_losing_the_role_ends_the_session(client):
    reader = f.user("reader")
    client.force_login(reader)
    assert client.get(reverse("targets:overview")).status_code == 200
    reader.profile.delete()
    assert client.get(reverse("targets:overview")).status_code == 302


@pytest.mark.parametrize(("demo_mode", "logs_in"), [(True, True), (False, False)])
def test_demo_accounts_log_in_only_in_demo_mode(client, settings, demo_mode, logs_in):
    settings.DEMO_MODE = demo_mode
    admin = f.user("admin", Role.ADMIN)
    admin.profile.is_demo = True
    admin.profile.save()
    response = login(client, "admin")
    assert (response.status_code == 302) is logs_in
    if logs_in:
        # No second factor and no rotation for the demo's accounts in the demo.
        assert client.get(reverse("targets:overview")).status_code == 200
    else:
        assert "演示账号只能在演示模式下登录。" in response.text


def test_login_page_says_demo_accounts_skip_the_second_factor(client, settings):
    settings.DEMO_MODE = True
    assert "演示账号无需第二重验证" in client.get(reverse("login")).text
    settings.DEMO_MODE = False
    assert "演示账号无需第二重验证" not in client.get(reverse("login")).text


def test_session_ends_after_the_idle_timeout(client, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    login(client, "reader") if f.user("reader") else None
    assert client.get(reverse("targets:overview")).status_code == 200
    session = client.session
    session[LAST_ACTIVITY] = time.time() - 30 * 60 - 1
    session.save()
    response = client.get(reverse("targets:overview"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    page = client.get(response["Location"])
    assert "30 分钟未操作，已自动退出，请重新登录。" in page.text
    assert client.get(reverse("targets:overview")).status_code == 302


@pytest.mark.activity_writes
def test_session_lives_while_in_use(client, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    f.user("reader")
    login(client, "reader")
    session = client.session
    session[LAST_ACTIVITY] = time.time() - 29 * 60
    session.save()
    assert client.get(reverse("targets:overview")).status_code == 200
    # That request counted as activity.
    assert time.time() - client.session[LAST_ACTIVITY] < 5


def test_session_ends_when_the_browser_closes(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
