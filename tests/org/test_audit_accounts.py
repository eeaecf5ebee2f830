"""The account events the accounts side left for the audit log: each writes one row
with who (actor), what (action), on whom (target) and the result — an admin's password
reset, a password change, a second factor set up, a wrong second-factor code, a bulk
import and the bootstrap command."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from org.audit import verify_chain
from org.audit_models import AuditEvent
from org.models import Role
from tests import factories as f
from tests.org.test_imports import workbook
from tests.org.test_otp import token_for

pytestmark = pytest.mark.django_db

PASSWORD = "pw-Zhongyuan-1"
NEW = "Lotus-Pond-2025"


def only(action: str) -> AuditEvent:
    return AuditEvent.objects.get(action=action)


def who_what_whom(event: AuditEvent) -> tuple:
    return (
        event.actor_username,
        event.action,
        event.target_model,
        event.target_repr,
        event.result,
    )


def test_an_admin_password_reset_is_recorded_once(client):
    boss = f.user("boss", Role.ADMIN)
    f.login(client, boss)
    clerk = f.user("clerk", Role.STAFF, f.department())
    url = reverse("admin:auth_user_password_change", args=[clerk.pk])
    response = client.post(url, {"password1": NEW, "password2": NEW})
    assert response.status_code == 302
    event = only("account.password_reset")
    assert who_what_whom(event) == (
        "boss",
        "account.password_reset",
        "auth.user",
        "clerk",
        "success",
    )
    assert (event.actor_role, event.target_pk, event.address) == (
        "admin",
        str(clerk.pk),
        "127.0.0.1",
    )
    assert NEW not in str(event.detail)
    # One trigger: the admin's generic change row is not written on top.
    assert not AuditEvent.objects.filter(action="admin.change").exists()
    clerk.profile.refresh_from_db()
    assert clerk.profile.must_change_password


def test_a_password_change_is_recorded(client):
    clerk = f.user("clerk", Role.STAFF, f.department())
    f.login(client, clerk)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    event = only("account.password_change")
    assert who_what_whom(event) == (
        "clerk",
        "account.password_change",
        "auth.user",
        "clerk",
        "success",
    )
    assert event.address == "127.0.0.1"
    assert NEW not in str(event.detail) and PASSWORD not in str(event.detail)


def test_the_admin_sends_a_password_change_to_the_audited_page(client):
    f.login(client, f.user("boss", Role.ADMIN))
    response = client.get(reverse("admin:password_change"))
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("password_change") + "?next=%2Fadmin%2F",
    )


def test_a_refused_password_change_writes_no_row(client):
    f.login(client, f.user("clerk", Role.STAFF, f.department()))
    client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW},
    )
    assert not AuditEvent.objects.filter(action="account.password_change").exists()


def test_setting_up_a_second_factor_is_recorded(client):
    checker = f.user("checker", Role.REVIEWER)
    client.post(reverse("login"), {"username": "checker", "password": PASSWORD})
    client.get(reverse("otp_setup"))
    device = TOTPDevice.objects.get(user=checker, confirmed=False)
    # A wrong code sets nothing up and records no set-up.
    client.post(reverse("otp_setup"), {"token": "000000"})
    assert not AuditEvent.objects.filter(action="account.otp_setup").exists()
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wrong code's wait, skipped
    device.throttling_failure_timestamp = None
    device.save()

    done = client.post(reverse("otp_setup"), {"token": token_for(device)})
    assert done.status_code == 200
    event = only("account.otp_setup")
    assert who_what_whom(event) == (
        "checker",
        "account.otp_setup",
        "auth.user",
        "checker",
        "success",
    )
    assert (event.actor_role, event.address) == ("reviewer", "127.0.0.1")
    # The recovery codes themselves are never on the record.
    assert not any(code in str(event.detail) for code in done.context["codes"])


def test_a_wrong_second_factor_code_is_recorded_as_a_failure(client):
    admin = f.user("sysadmin", Role.ADMIN)
    TOTPDevice.objects.create(user=admin, name="手机令牌")
    client.post(reverse("login"), {"username": "sysadmin", "password": PASSWORD})
    response = client.post(reverse("otp_verify"), {"token": "000000"})
    assert response.status_code == 200
    event = only("auth.otp_failed")
    assert (event.actor_username, event.actor_role, event.action, event.result) == (
        "sysadmin",
        "admin",
        "auth.otp_failed",
        "failure",
    )
    assert event.address == "127.0.0.1"
    assert "000000" not in str(event.detail)


def test_a_bulk_import_from_the_page_records_each_account(client):
    f.login(client, f.user("boss", Role.ADMIN))
    f.department("fgw", name="区发改委", short_name="发改委")
    sheet = workbook(
        [("张三", "fgw", "填报员", "zs@example.org"), ("李四", "", "领导", "ls@example.org")]
    )
    response = client.post(
        reverse("account_import"),
        {"workbook": SimpleUploadedFile("accounts.xlsx", sheet)},
    )
    assert response.status_code == 200
    assert len(response.context["created"]) == 2
    rows = AuditEvent.objects.filter(action="account.import").order_by("seq")
    assert [who_what_whom(e) for e in rows] == [
        ("boss", "account.import", "auth.user", "zs@example.org", "success"),
        ("boss", "account.import", "auth.user", "ls@example.org", "success"),
    ]
    assert [e.detail for e in rows] == [
        {"role": "staff", "department": "发改委", "count": 2},
        {"role": "leader", "department": "", "count": 2},
    ]
    # The import's rows come last, after each new account's role was recorded.
    last_role = AuditEvent.objects.filter(action="org.role_change").latest("seq")
    assert rows.first().seq > last_role.seq
    assert verify_chain() == (None, AuditEvent.objects.count())


def test_a_refused_import_writes_no_row(client):
    f.login(client, f.user("boss", Role.ADMIN))
    sheet = workbook([("张三", "没有这个局", "填报员", "zs@example.org")])
    client.post(reverse("account_import"), {"workbook": SimpleUploadedFile("a.xlsx", sheet)})
    assert not AuditEvent.objects.filter(action="account.import").exists()


def test_the_import_command_records_each_account_with_no_actor(tmp_path):
    path = tmp_path / "accounts.xlsx"
    path.write_bytes(workbook([("李四", "", "领导", "ls@example.org")]))
    call_command("import_accounts", str(path), stdout=io.StringIO())
    event = only("account.import")
    # Run from a shell: nobody in the app is named, rather than someone made up.
    assert who_what_whom(event) == ("", "account.import", "auth.user", "ls@example.org", "success")


def test_bootstrap_admin_is_recorded():
    call_command("bootstrap_admin", "chief", "--role", "audit_admin", stdout=io.StringIO())
    event = only("account.bootstrap")
    assert who_what_whom(event) == ("", "account.bootstrap", "auth.user", "chief", "success")
    assert event.detail == {"role": "audit_admin"}
    # Its role is recorded once, by the role-change trigger, before the bootstrap row.
    role = only("org.role_change")
    assert role.detail == {"before": "", "after": "audit_admin"}
    assert role.seq < event.seq
