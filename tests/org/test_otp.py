"""The second factor: TOTP (django-otp) with recovery codes."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from org.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def token_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def login(client, username: str, password: str = "pw-Zhongyuan-1"):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_totp_login_for_an_admin(client):
    admin = f.user("sysadmin", Role.ADMIN)
    device = TOTPDevice.objects.create(user=admin, name="手机令牌")
    response = login(client, "sysadmin")
    assert response.status_code == 302
    # The password alone opens nothing: every page asks for the code first.
    for url in [reverse("targets:overview"), "/admin/", "/review/"]:
        step = client.get(url)
        assert step.status_code == 302, url
        assert step["Location"].startswith(reverse("otp_verify")), url

    wrong = client.post(reverse("otp_verify"), {"token": "000000", "next": "/admin/"})
    assert wrong.status_code == 200
    assert "验证码不正确或已过期" in wrong.text
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wrong code's wait, skipped
    device.throttling_failure_timestamp = None
    device.save()

    right = client.post(reverse("otp_verify"), {"token": token_for(device), "next": "/admin/"})
    assert (right.status_code, right["Location"]) == (302, "/admin/")
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("targets:overview")).status_code == 200


def test_a_reviewer_without_a_device_is_sent_to_set_one_up(client):
    f.user("checker", Role.REVIEWER)
    login(client, "checker")
    response = client.get("/review/")
    assert response.status_code == 302
    assert response["Location"] == reverse("otp_setup") + "?next=%2Freview%2F"

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "设置第二重验证" in page.text
    svg = page.text.split('data-testid="otp-qr">')[1].split("</figure>")[0]
    assert svg.startswith("<svg") and "style" not in svg and "<script" not in svg
    assert "http" not in svg.split(">")[0].replace("http://www.w3.org/2000/svg", "")

    device = TOTPDevice.objects.get(user__username="checker", confirmed=False)
    done = client.post(reverse("otp_setup"), {"token": token_for(device), "next": "/review/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10
    assert all(code in done.text for code in codes)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/review/").status_code == 200


def test_a_wrong_code_does_not_confirm_the_device(client):
    f.user("checker", Role.REVIEWER)
    login(client, "checker")
    client.get(reverse("otp_setup"))
    response = client.post(reverse("otp_setup"), {"token": "12345"})
    assert "验证码不正确或已过期" in response.text
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert client.get("/review/")["Location"].startswith(reverse("otp_setup"))


def test_a_recovery_code_works_once_in_place_of_the_app(client):
    admin = f.user("sysadmin", Role.ADMIN)
    TOTPDevice.objects.create(user=admin, name="手机令牌")
    from org.otp import new_recovery_codes

    code = new_recovery_codes(user=admin)[0]
    login(client, "sysadmin")
    response = client.post(reverse("otp_verify"), {"token": code})
    assert response.status_code == 302
    assert client.get(reverse("targets:overview")).status_code == 200
    assert not StaticToken.objects.filter(token=code).exists()


def test_an_unverified_user_cannot_replace_their_device(client):
    admin = f.user("sysadmin", Role.ADMIN)
    TOTPDevice.objects.create(user=admin, name="手机令牌")
    login(client, "sysadmin")
    response = client.get(reverse("otp_setup"))
    assert response["Location"].startswith(reverse("otp_verify"))


def test_a_leader_needs_no_second_factor_unless_required_for_all(client, settings):
    f.user("reader", Role.LEADER)
    login(client, "reader")
    assert client.get(reverse("targets:overview")).status_code == 200
    settings.OTP_REQUIRED_FOR_ALL = True
    client.logout()
    login(client, "reader")
    assert client.get(reverse("targets:overview"))["Location"].startswith(reverse("otp_setup"))


def test_a_leader_who_set_up_a_device_is_asked_for_it(client):
    reader = f.user("reader", Role.LEADER)
    TOTPDevice.objects.create(user=reader, name="手机令牌")
    login(client, "reader")
    assert client.get(reverse("targets:overview"))["Location"].startswith(reverse("otp_verify"))


def test_first_login_of_a_bootstrapped_admin_changes_password_then_sets_up_2fa(client):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("bootstrap_admin", "chief", "--name", "系统管理员", stdout=out)
    password = out.getvalue().split("初始密码：")[1].split()[0]
    assert login(client, "chief", password).status_code == 302
    first = client.get(reverse("targets:overview"))
    assert first["Location"].startswith(reverse("password_change"))
    new = "Lotus-Pond-2025"
    changed = client.post(
        first["Location"],
        {"old_password": password, "new_password1": new, "new_password2": new},
    )
    assert changed.status_code == 302
    then = client.get(reverse("targets:overview"))
    assert then["Location"].startswith(reverse("otp_setup"))
    assert client.get(then["Location"]).status_code == 200
    device = TOTPDevice.objects.get(user__username="chief", confirmed=False)
    client.post(reverse("otp_setup"), {"token": token_for(device)})
    assert client.get("/admin/").status_code == 200
