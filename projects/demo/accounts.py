"""Demo accounts: admin, security, auditor, leader, reviewer, and staff-<code> for every
department."""

from django.contrib.auth.models import User

from org.models import Department, Profile, Role
from projects.demo.common import DEMO_PASSWORD

# Reminder e-mails in the demo go to these (the console on the embedded default).
EMAIL_DOMAIN = "demo.zhongyuan.example"


def create_accounts() -> dict[str, User]:
    """admin, security, auditor, leader, reviewer and staff-<code> for every department
    (upserted)."""
    accounts = {}
    specs = [
        ("admin", "系统管理员", Role.ADMIN, None),
        ("leader", "区领导", Role.LEADER, None),
        ("reviewer", "督查室审核员", Role.REVIEWER, None),
        ("security", "安全管理员", Role.SECURITY_ADMIN, None),
        ("auditor", "审计管理员", Role.AUDIT_ADMIN, None),
    ]
    specs += [
        (f"staff-{d.code}", f"{d.short_name}填报员", Role.STAFF, d)
        for d in Department.objects.order_by("sort_order", "code")
    ]
    for username, name, role, department in specs:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name = name
        user.email = f"{username}@{EMAIL_DOMAIN}"
        # No superuser: even the demo admin's rights come from its role.
        user.is_staff = role in (Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)
        user.is_superuser = False
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        Profile.objects.update_or_create(
            user=user, defaults={"role": role, "department": department, "is_demo": True}
        )
        accounts[username] = user
    return accounts
