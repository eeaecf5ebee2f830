"""Bulk account import from an Excel sheet: one row per person with 姓名, 单位,
角色, 邮箱 (and optionally 账号; without it the e-mail address is the username).

All or nothing, as for monthly entries: every row is checked first, and one bad row
refuses the whole sheet with a message per row and nothing written. Each account
gets a random first password, to be changed at first login.
"""

import re
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from org import audit
from org.models import Department, Role
from org.services import create_account
from org.uploads import open_xlsx

HEADERS = {
    "账号": "username",
    "姓名": "name",
    "单位": "department",
    "角色": "role",
    "邮箱": "email",
}
COLUMNS_REQUIRED = ("name", "department", "role", "email")
# A leader or reviewer may belong to no department; staff must (checked below).
REQUIRED = ("name", "role", "email")
MAX_ROWS = 2000
USERNAME = re.compile(r"^[\w.@+-]{1,150}$")


@dataclass(frozen=True)
class AccountRow:
    number: int
    username: str
    name: str
    department_id: int | None
    role: str
    email: str


@dataclass
class CheckedSheet:
    rows: list[AccountRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def check_rows(
    raw: list[tuple[int, dict[str, str]]],
    *,
    departments: dict[str, int],
    roles: dict[str, str],
    taken: set[str],
) -> CheckedSheet:
    """Pure: the sheet's rows (number, cells by key) against the departments (by
    name, short name and code), the roles the importer may give (by label and code)
    and the usernames already taken. Usernames compare case-insensitively."""
    checked = CheckedSheet()
    seen: dict[str, int] = {}
    taken = {name.lower() for name in taken}
    for number, cells in raw:
        problems = []
        missing = [key for key in REQUIRED if not cells.get(key)]
        for key in missing:
            label = next(k for k, v in HEADERS.items() if v == key)
            problems.append(f"“{label}”未填写")
        email = cells.get("email", "")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(f"邮箱“{email}”格式不正确")
        username = cells.get("username") or email
        if username and not USERNAME.match(username):
            problems.append(f"账号“{username}”只能由字母、数字和 @ . + - _ 组成，最长 150 个字符")
        elif username and username.lower() in taken:
            problems.append(f"账号“{username}”已存在")
        elif username and username.lower() in seen:
            problems.append(f"账号“{username}”与第 {seen[username.lower()]} 行重复")
        role = roles.get(cells.get("role", ""))
        if cells.get("role") and role is None:
            problems.append(
                f"角色“{cells['role']}”不存在或无权分配（可填：{'、'.join(_labels(roles))}）"
            )
        department_id = departments.get(cells.get("department", ""))
        if cells.get("department") and department_id is None:
            problems.append(f"单位“{cells['department']}”不存在")
        if role == Role.STAFF and not cells.get("department"):
            problems.append("填报员必须属于一个责任单位")
        if problems:
            checked.errors.append(f"第 {number} 行：{'；'.join(problems)}。")
            continue
        seen[username.lower()] = number
        checked.rows.append(
            AccountRow(
                number=number,
                username=username,
                name=cells["name"],
                department_id=department_id,
                role=role,
                email=email,
            )
        )
    if not raw:
        checked.errors.append("表中没有账号。")
    return checked


def _labels(roles: dict[str, str]) -> list[str]:
    return [label for label, code in roles.items() if label != code]


def read_sheet(file: IO[bytes]) -> list[tuple[int, dict[str, str]]]:
    """The first sheet's rows under a header row naming the columns. Raises
    ValidationError for a file that is not such a sheet."""
    book = open_xlsx(file, what="上传的文件")
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = [_text(cell) for cell in next(rows, ())]
        columns = {i: HEADERS[name] for i, name in enumerate(header) if name in HEADERS}
        absent = [
            k for k, v in HEADERS.items() if v in COLUMNS_REQUIRED and v not in columns.values()
        ]
        if absent:
            raise ValidationError(f"第 1 行须为表头，缺少：{'、'.join(absent)}。")
        raw = []
        for number, values in enumerate(rows, start=2):
            if number > MAX_ROWS + 1:
                raise ValidationError(f"一次最多导入 {MAX_ROWS} 个账号。")
            if any(isinstance(v, str) and v.startswith("=") for v in values):
                raise ValidationError(f"第 {number} 行含有公式，请改为直接填写文字。")
            cells = {key: _text(values[i]) for i, key in columns.items() if i < len(values)}
            if any(cells.values()):
                raw.append((number, cells))
        return raw
    except ValidationError:
        raise
    except (ValueError, KeyError, TypeError, OSError, SyntaxError) as error:
        # Parsing is lazy in read-only mode: a hostile sheet fails while it is read.
        raise ValidationError(f"无法读取上传的文件（{type(error).__name__}）。") from error
    finally:
        book.close()


def lookups(*, actor_role: str | None) -> dict:
    from django.contrib.auth.models import User

    from org.policy import assignable_roles

    departments = {}
    for dept in Department.objects.all():
        for key in (dept.name, dept.short_name, dept.code):
            departments.setdefault(key, dept.pk)
    allowed = assignable_roles(actor_role=actor_role, adding=True)
    roles = {Role(code).label: code for code in allowed} | {code: code for code in allowed}
    taken = set(User.objects.values_list("username", flat=True))
    return {"departments": departments, "roles": roles, "taken": taken}


@transaction.atomic
def import_accounts(
    *, file: IO[bytes], actor_role: str | None, request=None
) -> tuple[list, list[str]]:
    """Check the whole sheet, then create every account or none, each audited as
    "account.import" (who imported: the request's user; none from the command).
    Returns (created accounts with their first passwords, errors)."""
    checked = check_rows(read_sheet(file), **lookups(actor_role=actor_role))
    if checked.errors:
        return [], checked.errors
    created = []
    for row in checked.rows:
        user, password = create_account(
            username=row.username,
            role=row.role,
            name=row.name,
            email=row.email,
            department=Department.objects.get(pk=row.department_id) if row.department_id else None,
        )
        created.append((user, password))
    # The last writes of the transaction (the audit chain's head is locked till commit);
    # one row per account, so each account's record names it as the target.
    for user, _ in created:
        profile = user.profile
        audit.record(
            action="account.import",
            request=request,
            target=user,
            detail={
                "role": profile.role,
                "department": str(profile.department) if profile.department else "",
                "count": len(created),
            },
        )
    return created, []
