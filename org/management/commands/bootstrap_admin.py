"""Create the first system admin (or the first security / audit admin): instead of
createsuperuser, an account with a role, a first password that must be changed at
first login, and a second factor to set up then."""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from org import audit
from org.models import Profile, Role
from org.policy import ADMIN_DUTY_ROLES
from org.services import create_account


class Command(BaseCommand):
    help = "创建首个系统管理员（或安全管理员、审计管理员）账号；首次登录须修改密码并绑定手机令牌。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="姓名")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--role",
            default=Role.ADMIN,
            choices=sorted(ADMIN_DUTY_ROLES),
            help="admin（系统管理员，默认）、security_admin 或 audit_admin",
        )

    def handle(self, *args, username: str, name: str, email: str, role: str, **options):
        label = Role(role).label
        if Profile.objects.filter(role=role, user__is_active=True).exists():
            raise CommandError(
                f"已有{label}账号：其后的账号请在管理后台创建，角色由安全管理员分配。"
            )
        if User.objects.filter(username=username).exists():
            raise CommandError(f"账号“{username}”已存在。")
        try:
            with transaction.atomic():
                user, password = create_account(
                    username=username, role=role, name=name, email=email
                )
                # Last write of the transaction. Run from a shell: nobody in the app
                # is the actor.
                audit.record(action="account.bootstrap", target=user, detail={"role": role})
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        self.stdout.write(
            f"已创建{label}账号“{user.username}”，初始密码：{password}\n"
            "首次登录时须修改密码并绑定手机令牌（第二重验证）。初始密码只显示这一次。"
        )
