"""Import accounts from an Excel sheet (姓名, 单位, 角色, 邮箱, optional 账号): all or
nothing; prints each account's first password, to be changed at first login."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from org.imports import import_accounts
from org.models import Role


class Command(BaseCommand):
    help = "从 Excel 表批量导入账号（姓名、单位、角色、邮箱，可选账号）；有一行出错则全部不导入。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("workbook", type=Path)

    def handle(self, *args, workbook: Path, **options) -> None:
        if not workbook.is_file():
            raise CommandError(f"找不到文件：{workbook}")
        try:
            with workbook.open("rb") as file:
                # As the system admin: everyday roles only; admin duties are given by
                # the security admin.
                created, errors = import_accounts(file=file, actor_role=Role.ADMIN)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        if errors:
            raise CommandError("未导入任何账号：\n" + "\n".join(errors))
        for user, password in created:
            self.stdout.write(f"{user.username}\t{password}")
        self.stdout.write(f"已导入 {len(created)} 个账号；首次登录时须修改初始密码。")
