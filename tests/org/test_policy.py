"""The account rules, as tables (org/policy.py: pure)."""

from datetime import UTC, datetime, timedelta

import pytest

from org import policy
from org.models import Role

NOW = datetime(2025, 7, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("role", "is_demo", "demo_mode", "expected"),
    [
        (Role.STAFF, False, False, None),
        (Role.ADMIN, False, True, None),
        (None, False, False, policy.NO_ROLE),
        ("", False, True, policy.NO_ROLE),
        (Role.LEADER, True, False, policy.DEMO_OFF),
        (Role.LEADER, True, True, None),
        (None, True, True, policy.NO_ROLE),
    ],
)
def test_login_refusal(role, is_demo, demo_mode, expected):
    assert policy.login_refusal(role=role, is_demo=is_demo, demo_mode=demo_mode) == expected


@pytest.mark.parametrize("role", [Role.ADMIN, Role.LEADER, None])
def test_login_refusal_of_a_superuser_whatever_the_role(role):
    refusal = policy.login_refusal(role=role, is_demo=False, demo_mode=False, is_superuser=True)
    assert refusal == policy.SUPERUSER


@pytest.mark.parametrize(
    ("role", "for_all", "is_demo", "demo_mode", "expected"),
    [
        (Role.ADMIN, False, False, False, True),
        (Role.SECURITY_ADMIN, False, False, False, True),
        (Role.AUDIT_ADMIN, False, False, False, True),
        (Role.REVIEWER, False, False, False, True),
        (Role.LEADER, False, False, False, False),
        (Role.STAFF, False, False, False, False),
        (Role.STAFF, True, False, False, True),
        (Role.LEADER, True, False, False, True),
        # The demo's accounts skip it in demo mode only.
        (Role.ADMIN, False, True, True, False),
        (Role.REVIEWER, True, True, True, False),
        (Role.ADMIN, False, True, False, True),
        (None, False, False, False, False),
    ],
)
def test_second_factor_required(role, for_all, is_demo, demo_mode, expected):
    assert (
        policy.second_factor_required(
            role=role, require_for_all=for_all, is_demo=is_demo, demo_mode=demo_mode
        )
        is expected
    )


EXPIRED_90 = policy.EXPIRED.format(days=90)


@pytest.mark.parametrize(
    ("must_change", "age_days", "max_age", "is_demo", "demo_mode", "expected"),
    [
        (False, 0, 90, False, False, None),
        (False, 89, 90, False, False, None),
        (False, 90, 90, False, False, EXPIRED_90),
        (False, 400, 90, False, False, EXPIRED_90),
        (False, 400, 0, False, False, None),  # rotation off
        (True, 0, 90, False, False, policy.MUST_CHANGE),
        (True, 400, 90, False, False, policy.MUST_CHANGE),
        (True, 400, 90, True, True, None),  # demo accounts in the demo
        (False, 400, 90, True, True, None),
        (False, 400, 90, True, False, EXPIRED_90),
    ],
)
def test_password_change_reason(must_change, age_days, max_age, is_demo, demo_mode, expected):
    reason = policy.password_change_reason(
        must_change=must_change,
        changed_at=NOW - timedelta(days=age_days),
        now=NOW,
        max_age_days=max_age,
        is_demo=is_demo,
        demo_mode=demo_mode,
    )
    assert reason == expected


@pytest.mark.parametrize(
    ("last", "now", "timeout", "expected"),
    [
        (None, 5000.0, 1800, False),
        (1000.0, 1000.0 + 1799, 1800, False),
        (1000.0, 1000.0 + 1800, 1800, True),
        (1000.0, 1000.0 + 99999, 1800, True),
        (1000.0, 1000.0 + 99999, 0, False),  # timeout off
    ],
)
def test_idle_expired(last, now, timeout, expected):
    assert policy.idle_expired(last_activity=last, now=now, timeout_seconds=timeout) is expected


@pytest.mark.parametrize(
    ("password", "classes"),
    [
        ("", 0),
        ("abcdefghij", 1),
        ("abcdeFGHIJ", 2),
        ("abcdeFGH12", 3),
        ("abcDE12@#$", 4),
        ("中原区工作报告2025", 2),  # CJK counts as "other"
        ("１２３ａｂｃ", 2),
    ],
)
def test_character_classes(password, classes):
    assert policy.character_classes(password) == classes


@pytest.mark.parametrize(
    ("role", "perm", "granted"),
    [
        (Role.ADMIN, "targets.change_target", True),
        (Role.ADMIN, "projects.add_keyproject", True),
        (Role.ADMIN, "auth.add_user", True),
        (Role.ADMIN, "org.change_department", True),
        (Role.ADMIN, "axes.delete_accessattempt", False),
        (Role.ADMIN, "org.view_auditevent", False),
        (Role.ADMIN, "org.delete_department", False),
        (Role.SECURITY_ADMIN, "org.change_profile", True),
        (Role.SECURITY_ADMIN, "axes.delete_accessattempt", True),
        (Role.SECURITY_ADMIN, "auth.add_user", False),
        (Role.SECURITY_ADMIN, "targets.change_target", False),
        (Role.SECURITY_ADMIN, "org.view_auditevent", False),
        (Role.AUDIT_ADMIN, "org.view_auditevent", True),
        (Role.AUDIT_ADMIN, "org.change_auditevent", False),
        (Role.AUDIT_ADMIN, "org.view_auditarchive", True),
        (Role.AUDIT_ADMIN, "org.delete_auditarchive", False),
        (Role.ADMIN, "org.view_auditarchive", False),
        (Role.SECURITY_ADMIN, "org.view_auditarchive", False),
        (Role.AUDIT_ADMIN, "org.change_profile", False),
        (Role.AUDIT_ADMIN, "targets.view_target", False),
        (Role.REVIEWER, "targets.view_target", False),
        (Role.LEADER, "auth.view_user", False),
        (None, "auth.view_user", False),
    ],
)
def test_role_grants(role, perm, granted):
    assert policy.role_grants(role, perm) is granted


def test_no_role_may_write_the_audit_log():
    """Append-only: no role is granted add, change or delete on the log or its archives."""
    writes = [
        (role, f"org.{action}_{model}")
        for role in policy.ROLE_PERMISSIONS
        for action in ("add", "change", "delete")
        for model in ("auditevent", "auditarchive", "auditchainhead")
        if policy.role_grants(role, f"org.{action}_{model}")
    ]
    assert writes == []


@pytest.mark.parametrize(
    ("actor", "adding", "roles"),
    [
        (Role.SECURITY_ADMIN, False, list(Role.values)),
        (Role.SECURITY_ADMIN, True, list(Role.values)),
        (Role.ADMIN, True, [Role.STAFF, Role.REVIEWER, Role.LEADER]),
        (Role.ADMIN, False, []),
        (Role.AUDIT_ADMIN, True, []),
        (Role.REVIEWER, True, []),
    ],
)
def test_assignable_roles(actor, adding, roles):
    assert policy.assignable_roles(actor_role=actor, adding=adding) == roles
