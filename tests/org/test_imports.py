"""Bulk account import from Excel: all or nothing, as for entries."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from org.imports import check_rows
from org.models import Profile, Role
from tests import factories as f

DEPARTMENTS = {"区发改委": 1, "发改委": 1, "fgw": 1}
ROLES = {"填报员": Role.STAFF, "领导": Role.LEADER, "staff": Role.STAFF, "leader": Role.LEADER}


def row(**cells):
    base = {"name": "张三", "department": "发改委", "role": "填报员", "email": "zs@example.org"}
    return {**base, **cells}


@pytest.mark.parametrize(
    ("cells", "error"),
    [
        (row(), None),
        (row(department="", role="领导"), None),
        (row(name=""), "第 2 行：“姓名”未填写。"),
        (row(email="not-an-address"), "第 2 行：邮箱“not-an-address”格式不正确。"),
        (
            row(role="系统管理员"),
            "第 2 行：角色“系统管理员”不存在或无权分配（可填：填报员、领导）。",
        ),
        (row(department="没有这个局"), "第 2 行：单位“没有这个局”不存在。"),
        (row(department=""), "第 2 行：填报员必须属于一个责任单位。"),
        (row(username="taken"), "第 2 行：账号“taken”已存在。"),
        (row(username="TAKEN"), "第 2 行：账号“TAKEN”已存在。"),
        (
            row(username="有空格 的账号"),
            "第 2 行：账号“有空格 的账号”只能由字母、数字和 @ . + - _ 组成，最长 150 个字符。",
        ),
    ],
)
def test_check_rows(cells, error):
    checked = check_rows([(2, cells)], departments=DEPARTMENTS, roles=ROLES, taken={"taken"})
    assert checked.errors == ([error] if error else [])
    assert len(checked.rows) == (0 if error else 1)


def test_check_rows_finds_duplicates_within_the_sheet():
    checked = check_rows(
        [(2, row()), (3, row(name="李四"))], departments=DEPARTMENTS, roles=ROLES, taken=set()
    )
    assert checked.errors == ["第 3 行：账号“zs@example.org”与第 2 行重复。"]


def workbook(rows, header=("姓名", "单位", "角色", "邮箱")) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(header))
    for values in rows:
        sheet.append(list(values))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.django_db
def test_import_command_creates_every_account_with_a_forced_change(tmp_path):
    f.department("fgw", name="区发改委", short_name="发改委")
    path = tmp_path / "accounts.xlsx"
    path.write_bytes(
        workbook(
            [
                ("张三", "发改委", "填报员", "zs@example.org"),
                ("李四", "", "领导", "ls@example.org"),
            ]
        )
    )
    out = io.StringIO()
    call_command("import_accounts", str(path), stdout=out)
    assert "已导入 2 个账号" in out.getvalue()
    profiles = Profile.objects.order_by("user__username")
    assert [(p.user.username, p.role, p.must_change_password) for p in profiles] == [
        ("ls@example.org", Role.LEADER, True),
        ("zs@example.org", Role.STAFF, True),
    ]


@pytest.mark.django_db
def test_one_bad_row_imports_nothing(tmp_path):
    f.department("fgw", name="区发改委", short_name="发改委")
    path = tmp_path / "accounts.xlsx"
    path.write_bytes(
        workbook(
            [
                ("张三", "发改委", "填报员", "zs@example.org"),
                ("李四", "发改委", "安全管理员", "ls@example.org"),
            ]
        )
    )
    with pytest.raises(CommandError, match="第 3 行：角色“安全管理员”不存在或无权分配"):
        call_command("import_accounts", str(path), stdout=io.StringIO())
    assert not Profile.objects.exists()


@pytest.mark.django_db
def test_import_page_shows_first_passwords_once(client):
    f.login(client, f.user("sysadmin", Role.ADMIN))
    f.department("fgw", name="区发改委", short_name="发改委")
    upload = SimpleUploadedFile(
        "accounts.xlsx", workbook([("张三", "fgw", "填报员", "zs@example.org")])
    )
    response = client.post(reverse("account_import"), {"workbook": upload})
    assert response.status_code == 200
    [(user, password)] = response.context["created"]
    assert password in response.text
    assert user.profile.must_change_password


@pytest.mark.django_db
def test_import_page_refuses_a_file_that_is_not_a_workbook(client):
    f.login(client, f.user("sysadmin", Role.ADMIN))
    upload = SimpleUploadedFile("accounts.xlsx", b"PK\x03\x04 not really a zip")
    response = client.post(reverse("account_import"), {"workbook": upload})
    assert response.context["errors"] == [
        "上传的文件不是有效的压缩格式文档（.xlsx / .docx 实为 zip 包）。"
    ]
    assert Profile.objects.count() == 1


@pytest.mark.django_db
def test_import_page_refuses_a_sheet_without_the_header(client):
    f.login(client, f.user("sysadmin", Role.ADMIN))
    upload = SimpleUploadedFile("a.xlsx", workbook([], header=("名字", "邮箱")))
    response = client.post(reverse("account_import"), {"workbook": upload})
    assert response.context["errors"] == ["第 1 行须为表头，缺少：姓名、单位、角色。"]
