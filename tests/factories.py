"""Plain factories: real rows, no mocks. Each takes keyword overrides."""

from datetime import date
from decimal import Decimal
from itertools import count

from django.contrib.auth.models import User

from org.models import Department, Profile, Role
from projects.models import Category, KeyProject, ProjectProgress, Stage
from targets.models import EntryState, Kind, PlanYear, Programme, ProgressEntry, Target

_serial = count(1)


def plan_year(year: int = 2025, **kwargs) -> PlanYear:
    defaults = {"title": f"{year}年工作报告", "adopted_on": date(year - 1, 12, 30)}
    return PlanYear.objects.create(year=year, **{**defaults, **kwargs})


def department(code: str | None = None, **kwargs) -> Department:
    code = code or f"d{next(_serial)}"
    defaults = {"name": f"单位{code}", "short_name": f"单位{code}"}
    return Department.objects.create(code=code, **{**defaults, **kwargs})


def programme(year: PlanYear, number: int = 1, **kwargs) -> Programme:
    defaults = {"name": f"第{number}工程", "short_name": f"工程{number}"}
    return Programme.objects.create(plan_year=year, number=number, **{**defaults, **kwargs})


def target(prog: Programme, **kwargs) -> Target:
    year = prog.plan_year.year
    defaults = {
        "code": f"{prog.number}.{next(_serial)}",
        "title": "测试指标",
        "sentence": "报告原句。",
        "kind": Kind.CUMULATIVE,
        "unit": "亿元",
        "baseline": Decimal(0),
        "target_value": Decimal(400),
        "starts_on": date(year, 1, 1),
        "deadline": date(year, 12, 31),
    }
    values = {**defaults, **kwargs}
    if "lead_department" not in values:
        values["lead_department"] = department()
    return Target.objects.create(programme=prog, **values)


def user(username: str, role: str = Role.LEADER, dept: Department | None = None, **kwargs) -> User:
    account = User.objects.create_user(username=username, password="pw-Zhongyuan-1", **kwargs)
    Profile.objects.create(user=account, role=role, department=dept)
    return account


def login(client, account: User) -> None:
    """force_login, and for an account that needs a second factor, a TOTP device and
    a session verified with it (django_otp.login), as after a real two-step login."""
    from django.http import HttpRequest
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from org.otp import second_factor_required

    device = None
    if second_factor_required(account):
        device = TOTPDevice.objects.filter(user=account, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=account, name="测试令牌")
    client.force_login(account)
    if device is not None:
        session = client.session
        request = HttpRequest()
        request.session, request.user = session, account
        otp_login(request, device)
        session.save()


def entry(tgt: Target, period: date, **kwargs) -> ProgressEntry:
    defaults = {"state": EntryState.SUBMITTED}
    return ProgressEntry.objects.create(target=tgt, period=period, **{**defaults, **kwargs})


def project(year: PlanYear, prog: Programme, **kwargs) -> KeyProject:
    defaults = {
        "code": f"P{next(_serial):04d}",
        "name": "测试项目",
        "category": Category.INDUSTRY,
        "stage": Stage.UNDER_CONSTRUCTION,
    }
    values = {**defaults, **kwargs}
    if "lead_department" not in values:
        values["lead_department"] = department()
    return KeyProject.objects.create(plan_year=year, programme=prog, **values)


def progress(proj: KeyProject, period: date, **kwargs) -> ProjectProgress:
    defaults = {"state": EntryState.SUBMITTED}
    return ProjectProgress.objects.create(project=proj, period=period, **{**defaults, **kwargs})
