"""The account rules of GB/T 22239-2019 §8.1.4.1–2 (等保三级), pure: no ORM, no clock.

Callers pass what they read (a role code, flags, timestamps); every rule is decided
here once and table-tested.
"""

from datetime import datetime, timedelta

from org.models import Role

# The admin duties and the reviewer (who approves figures) need a second factor.
SECOND_FACTOR_ROLES = frozenset({Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.REVIEWER})
# Who may open the admin site at all; what each may do there is ROLE_PERMISSIONS.
ADMIN_SITE_ROLES = frozenset({Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
# The admin-duty roles: only the security admin grants or takes them.
ADMIN_DUTY_ROLES = ADMIN_SITE_ROLES

NO_ROLE = "该账号尚未分配角色，不能登录。请联系安全管理员。"
DEMO_OFF = "演示账号只能在演示模式下登录。"
SUPERUSER = "超级用户账号不能登录：权限只来自角色。请用 bootstrap_admin 命令创建系统管理员。"
MUST_CHANGE = "首次登录或密码被重置后，请先修改密码。"
EXPIRED = "密码已超过 {days} 天未修改，请修改密码后继续使用。"


def login_refusal(
    *, role: str | None, is_demo: bool, demo_mode: bool, is_superuser: bool = False
) -> str | None:
    """Why a user whose password was right may still not log in (None: they may).
    A superuser (made with createsuperuser) would hold every permission whatever its
    role, so no such account logs in."""
    if is_superuser:
        return SUPERUSER
    if not role:
        return NO_ROLE
    if is_demo and not demo_mode:
        return DEMO_OFF
    return None


def demo_exempt(*, is_demo: bool, demo_mode: bool) -> bool:
    """Demo accounts skip the second factor and password rotation in the demo, so
    the demo stays two commands away. Outside demo mode they cannot log in at all."""
    return is_demo and demo_mode


def second_factor_required(
    *, role: str | None, require_for_all: bool, is_demo: bool, demo_mode: bool
) -> bool:
    if demo_exempt(is_demo=is_demo, demo_mode=demo_mode):
        return False
    return require_for_all or role in SECOND_FACTOR_ROLES


def password_change_reason(
    *,
    must_change: bool,
    changed_at: datetime | None,
    now: datetime,
    max_age_days: int,
    is_demo: bool,
    demo_mode: bool,
) -> str | None:
    """Why the user must change their password before anything else (None: no need).
    A password never recorded as changed counts as changed when the account was made
    (the caller passes that); max_age_days 0 turns rotation off."""
    if demo_exempt(is_demo=is_demo, demo_mode=demo_mode):
        return None
    if must_change:
        return MUST_CHANGE
    if max_age_days and changed_at is not None and now - changed_at >= timedelta(days=max_age_days):
        return EXPIRED.format(days=max_age_days)
    return None


def idle_expired(*, last_activity: float | None, now: float, timeout_seconds: int) -> bool:
    """A session idle for the timeout or longer has ended (timestamps in seconds)."""
    if last_activity is None or not timeout_seconds:
        return False
    return now - last_activity >= timeout_seconds


def character_classes(password: str) -> int:
    """How many of the four classes (lower case, upper case, digits, others) occur.
    A character that is none of the first three (a symbol, a Chinese character) is
    an "other"."""
    return sum(
        [
            any(ch.islower() for ch in password),
            any(ch.isupper() for ch in password),
            any(ch.isdigit() for ch in password),
            any(not (ch.islower() or ch.isupper() or ch.isdigit()) for ch in password),
        ]
    )


# Three duties, three sets of permissions in the admin (三权分立). A permission is
# "app_label.codename"; "app_label.*" grants every permission of an app.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    # Definitions (plan years, programmes, targets, projects, departments) and accounts.
    Role.ADMIN: frozenset(
        {
            "targets.*",
            "projects.*",
            # 分管区领导 and the group robots (supervision/admin.py).
            "supervision.*",
            "org.add_department",
            "org.change_department",
            "org.view_department",
            "auth.add_user",
            "auth.change_user",
            "auth.view_user",
            "org.add_profile",
            "org.change_profile",
            "org.view_profile",
            # What was sent to whom, and whether it arrived (read only).
            "org.view_outboundmessage",
        }
    ),
    # Roles, lockouts and security settings; sees accounts but edits only their role
    # and whether they are active.
    Role.SECURITY_ADMIN: frozenset(
        {
            "auth.view_user",
            "auth.change_user",
            "org.view_profile",
            "org.change_profile",
            "org.view_department",
            "axes.view_accessattempt",
            "axes.delete_accessattempt",
            "axes.view_accessfailurelog",
            "axes.view_accesslog",
            # A lost phone: the security admin removes the device, the user sets up
            # a new one at next login. Device secrets are never shown.
            "otp_totp.view_totpdevice",
            "otp_totp.delete_totpdevice",
            "otp_static.view_staticdevice",
            "otp_static.delete_staticdevice",
        }
    ),
    # Reads the audit log and its archives (and who is who), changes nothing. No role
    # holds add/change/delete on the log: its admin pages refuse them to everyone.
    Role.AUDIT_ADMIN: frozenset(
        {
            "org.view_auditevent",
            "org.view_auditarchive",
            "org.view_outboundmessage",
            "auth.view_user",
            "org.view_profile",
            "org.view_department",
            "axes.view_accessattempt",
            "axes.view_accessfailurelog",
            "axes.view_accesslog",
        }
    ),
}


def role_grants(role: str | None, perm: str) -> bool:
    granted = ROLE_PERMISSIONS.get(role or "", frozenset())
    app_label = perm.split(".", 1)[0]
    return perm in granted or f"{app_label}.*" in granted


def role_has_module(role: str | None, app_label: str) -> bool:
    granted = ROLE_PERMISSIONS.get(role or "", frozenset())
    return any(perm.split(".", 1)[0] == app_label for perm in granted)


def assignable_roles(*, actor_role: str | None, adding: bool) -> list[str]:
    """Roles an admin may give: the security admin any; the system admin, only when
    creating an account and never an admin duty (roles are the security admin's)."""
    if actor_role == Role.SECURITY_ADMIN:
        return list(Role.values)
    if actor_role == Role.ADMIN and adding:
        return [r for r in Role.values if r not in ADMIN_DUTY_ROLES]
    return []
