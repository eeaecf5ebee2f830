"""Demo data: the 2025 year in progress as of 2025-11-20, kept apart from the report.

Everything here is marked ``is_demo`` (entries, projects, accounts) and the plan year
is flagged, so the UI shows a 演示数据 banner and ``seed_demo --reset`` can remove it
without touching real rows. The generator is deterministic: a fixed seed, fixed
timestamps, and rows created in a fixed order.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from projects.models import Category, KeyProject, ProjectProgress, Stage
from targets.models import (
    Department,
    EntryState,
    PlanYear,
    Profile,
    ProgressEntry,
    Role,
    Target,
)
from targets.periods import add_months, report_due_date
from targets.snapshots import batched_recompute, request_recompute

DEMO_PASSWORD = "Zhongyuan@2025"
DEMO_TODAY = date(2025, 11, 20)
SEED = 2025
TZ = ZoneInfo("Asia/Shanghai")
CENT = Decimal("0.01")

# Projects to generate per programme, so that with the 19 the report names the
# district has its 356 key projects.
PROJECTS_PER_PROGRAMME = {1: 60, 2: 5, 3: 120, 4: 40, 5: 50, 6: 2, 7: 30, 8: 30}
TOTAL_INVESTMENT = Decimal("2409.2")
ANNUAL_PLAN = Decimal("335.3")
# Year-to-date figures at the end of October that the demo aims for (序时 83.3%).
SIGNED_BY_OCTOBER = Decimal("318.0")  # of 400: a little behind 序时
LEADING_SIGNED_BY_OCTOBER = Decimal("172.0")  # of 200: ahead
SIGNED_IN_NOVEMBER = Decimal("21.5")
INVESTED_BY_OCTOBER = Decimal("262.4")  # of 335.3: lagging
RESERVE_BY_OCTOBER = 88  # of 100


def _at(day: date, hour: int = 16) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=TZ)


def _spread(total: Decimal, weights: list[float]) -> list[Decimal]:
    """Split ``total`` in proportion to ``weights`` into cents that add up exactly
    (largest remainders get the odd cents; no part is negative)."""
    cents = int((total / CENT).to_integral_value())
    scale = sum(weights)
    raw = [cents * w / scale for w in weights]
    parts = [int(r) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in by_remainder[: cents - sum(parts)]:
        parts[i] += 1
    return [Decimal(p) * CENT for p in parts]


# --- accounts ------------------------------------------------------------------------


def create_accounts() -> dict[str, User]:
    """admin, leader, reviewer and staff-<code> for every department (upserted)."""
    accounts = {}
    specs = [
        ("admin", "系统管理员", Role.ADMIN, None),
        ("leader", "区领导", Role.LEADER, None),
        ("reviewer", "督查室审核员", Role.REVIEWER, None),
    ]
    specs += [
        (f"staff-{d.code}", f"{d.short_name}填报员", Role.STAFF, d)
        for d in Department.objects.order_by("sort_order", "code")
    ]
    for username, name, role, department in specs:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name = name
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        Profile.objects.update_or_create(
            user=user, defaults={"role": role, "department": department, "is_demo": True}
        )
        accounts[username] = user
    return accounts


# --- monthly entries for the manual targets -----------------------------------------


@dataclass
class Month:
    value: str | None = None
    percent: str | None = None
    done_on: date | None = None
    assessment: str = ""
    state: str = EntryState.APPROVED
    narrative: str = ""
    problems: str = ""
    next_steps: str = ""
    return_reason: str = ""


@dataclass
class Story:
    """One target's year: month number → that month's report (absent = not reported)."""

    months: dict[int, Month] = field(default_factory=dict)


def _cumulative(values: list[int | str | None], unit: str, what: str) -> dict[int, Month]:
    months = {}
    previous = Decimal(0)
    for number, value in enumerate(values, start=1):
        if value is None:
            continue
        current = Decimal(str(value))
        months[number] = Month(
            value=str(value),
            narrative=(
                f"{number}月新增{what}{current - previous:f}{unit},1–{number}月累计{value}{unit}。"
            ),
        )
        previous = current
    return months


def _milestone(steps: dict[int, int], done_on: date | None, what: str) -> dict[int, Month]:
    months = {
        number: Month(percent=str(percent), narrative=f"{what}已完成工作量约{percent}%。")
        for number, percent in steps.items()
    }
    if done_on:
        months[done_on.month] = Month(
            percent="100",
            done_on=done_on,
            narrative=f"{what}已于{done_on.month}月{done_on.day}日完成。",
        )
    return months


def stories() -> dict[str, dict[int, Month]]:
    """What each manual target's department reported, month by month (1 = January)."""
    s = {}
    # 1.1 Chain enterprises: ahead of 序时.
    s["1.1"] = _cumulative([1, 3, 4, 6, 8, 9, 11, 13, 15, 18], "家", "招引链上企业")
    # 2.1 Street reform: accepted before the end of March.
    s["2.1"] = _milestone(
        {1: 40, 2: 75}, date(2025, 3, 26), "街道党群服务中心、综合行政执法大队标准化建设验收"
    )
    # 2.2 R&D coverage: a level target below its level; October returned by the reviewer.
    s["2.2"] = {
        n: Month(value=v, narrative=f"规上工业企业研发活动覆盖率{v}%。")
        for n, v in enumerate(["78", "80", "81", "83", "85", "86", "88", "89", "91", "92"], 1)
    }
    for month in s["2.2"].values():
        month.problems = "部分小微规上企业研发投入统计口径不一。"
        month.next_steps = "逐户上门指导研发费用归集,年底前实现全覆盖。"
    s["2.2"][10].state = EntryState.RETURNED
    s["2.2"][10].return_reason = "覆盖率口径与统计部门月报不一致,请核实分子分母后重新提交。"
    # 3.5 Policy funds share: reached 10% in July.
    s["3.5"] = {
        n: Month(value=v, narrative=f"全区各类政策性资金全市占比{v}%。")
        for n, v in enumerate(
            ["6.2", "7.0", "7.8", "8.5", "9.1", "9.6", "10.2", "10.4", "10.5", "10.6"], 1
        )
    }
    # 5.x Consumption milestones: on time, late, and one overdue.
    s["5.1"] = _milestone({1: 70, 2: 82, 3: 93}, date(2025, 4, 28), "CCD地上商业开业投用")
    s["5.2"] = _milestone(
        {1: 60, 2: 66, 3: 70, 4: 74, 5: 77, 6: 79, 7: 81, 8: 83, 9: 84, 10: 85},
        None,
        "奥体地下商业装修及消防验收",
    )
    for month in list(s["5.2"].values())[3:]:
        month.problems = "消防验收整改项较多,部分商户装修进度慢。"
        month.next_steps = "协调消防部门上门指导,倒排工期,力争12月底前投用。"
    s["5.3"] = _milestone(
        {1: 20, 2: 45, 3: 60, 4: 80, 5: 95}, date(2025, 6, 21), "KPL春季总决赛保障"
    )
    s["5.4"] = _milestone({}, date(2025, 1, 20), "磨街二期投用")
    s["5.5"] = _milestone({1: 90}, date(2025, 2, 15), "798·二砂项目落地")
    s["5.6"] = _milestone(
        {1: 50, 2: 60, 3: 72, 4: 85, 5: 95}, date(2025, 6, 28), "国棉三厂特色历史文化街区开街"
    )
    # 6.1 Business environment: assessed on track; August not reported.
    s["6.1"] = {
        n: Month(assessment="on_track", narrative="营商环境评价各项准备工作按计划推进。")
        for n in (1, 2, 3, 4, 5, 6, 7, 9, 10)
    }
    # 7.1 Housing delivery: assessed lagging since summer.
    s["7.1"] = {
        n: Month(
            assessment="on_track" if n < 6 else "lagging",
            narrative="保交房项目按计划推进交付。"
            if n < 6
            else "保交房剩余项目资金缺口较大,交付进度放缓。",
        )
        for n in range(1, 11)
    }
    for n in range(6, 11):
        s["7.1"][n].problems = "个别项目资金监管账户余额不足,施工单位进场人数不足。"
        s["7.1"][n].next_steps = "争取城市更新专项借款,落实“一项目一专班”。"
    # 8.1 Resettlement housing: behind 序时; July not reported.
    s["8.1"] = _cumulative(
        [12, 25, 41, 60, 82, 105, None, 162, 198, 238], "万平方米", "安置房建成交付"
    )
    for n in (8, 9, 10):
        s["8.1"][n].problems = "部分安置房项目融资未到位,配套工程滞后。"
        s["8.1"][n].next_steps = "推动房票安置,争取专项债资金,四季度集中交付。"
    # 8.2 Schools: on track until September; October not reported.
    s["8.2"] = _cumulative([0, 0, 1, 1, 2, 3, 5, 7, 8, None], "所", "具备招生条件的中小学、幼儿园")
    # 8.3 Zero-employment households: cleared in October.
    s["8.3"] = {
        n: Month(value=v, narrative=f"月末零就业家庭{v}户。")
        for n, v in enumerate(["5", "4", "3", "3", "2", "1", "0", "0", "1", "0"], 1)
    }
    # October: most reports submitted, a few already approved.
    for code, months in s.items():
        if 10 in months and months[10].state == EntryState.APPROVED and code not in ("3.5", "8.3"):
            months[10].state = EntryState.SUBMITTED
    return s


# November drafts: the reports departments are writing now.
NOVEMBER_DRAFTS = {
    "1.1": Month(value="19", state=EntryState.DRAFT, narrative="11月新增招引链上企业1家(草稿)。"),
    "8.1": Month(
        value="262", state=EntryState.DRAFT, narrative="11月新增安置房建成交付24万平方米(草稿)。"
    ),
    "3.5": Month(value="10.7", state=EntryState.DRAFT, narrative="政策性资金全市占比10.7%(草稿)。"),
}


def create_entries(plan_year: PlanYear, accounts: dict[str, User]) -> int:
    reviewer = accounts["reviewer"]
    targets = {
        t.code: t
        for t in Target.objects.for_plan_year(plan_year).manual().select_related("lead_department")
    }
    rows = []
    story = stories()
    for code, months in sorted(story.items()):
        target = targets[code]
        staff = accounts[f"staff-{target.lead_department.code}"]
        reports = dict(months)
        if code in NOVEMBER_DRAFTS:
            reports[11] = NOVEMBER_DRAFTS[code]
        for number, month in sorted(reports.items()):
            period = date(plan_year.year, number, 1)
            submitted_on = report_due_date(period, plan_year.report_due_day).replace(day=3)
            submitted = month.state != EntryState.DRAFT
            reviewed = month.state in (EntryState.APPROVED, EntryState.RETURNED)
            rows.append(
                ProgressEntry(
                    target=target,
                    period=period,
                    value=Decimal(month.value) if month.value is not None else None,
                    percent=Decimal(month.percent) if month.percent is not None else None,
                    done_on=month.done_on,
                    assessment=month.assessment,
                    narrative=month.narrative,
                    problems=month.problems,
                    next_steps=month.next_steps,
                    state=month.state,
                    return_reason=month.return_reason,
                    created_by=staff,
                    updated_by=staff,
                    submitted_by=staff if submitted else None,
                    submitted_at=_at(submitted_on) if submitted else None,
                    reviewed_by=reviewer if reviewed else None,
                    reviewed_at=_at(submitted_on.replace(day=4), 10) if reviewed else None,
                    is_demo=True,
                )
            )
    bulk_create_with_history(rows, ProgressEntry, batch_size=500)
    return len(rows)


# --- key projects ----------------------------------------------------------------------

CATEGORY_BY_PROGRAMME = {
    1: [Category.INDUSTRY],
    2: [Category.INDUSTRY, Category.PUBLIC_SERVICE],
    3: [Category.INDUSTRY, Category.INFRASTRUCTURE, Category.URBAN_RENEWAL],
    4: [Category.INDUSTRY],
    5: [Category.CONSUMPTION, Category.URBAN_RENEWAL],
    6: [Category.PUBLIC_SERVICE],
    7: [Category.URBAN_RENEWAL, Category.INFRASTRUCTURE],
    8: [Category.PUBLIC_SERVICE, Category.URBAN_RENEWAL],
}
NAME_PARTS = {
    Category.INDUSTRY: (
        [
            "智能装备",
            "新材料",
            "检验检测",
            "工业设计",
            "数字经济",
            "节能环保",
            "医疗器械",
            "机器人",
            "轨道交通装备",
            "生物医药",
        ],
        ["产业园", "研发中心", "中试基地", "生产线", "总部基地", "创新中心"],
    ),
    Category.INFRASTRUCTURE: (
        ["须水河", "西流湖", "中原西路", "桐柏路", "化工路", "陇海西路", "建设西路", "航海西路"],
        ["道路提升工程", "雨污分流工程", "综合管廊", "停车场", "智慧路灯"],
    ),
    Category.URBAN_RENEWAL: (
        ["棉纺路", "三官庙", "秦岭路", "绿东村", "汝河路", "冉屯", "市场街", "伏牛路"],
        ["片区城市更新", "老旧小区改造", "安置房", "城中村改造", "街区提质"],
    ),
    Category.CONSUMPTION: (
        ["锦艺城", "西流湖", "碧沙岗", "奥体中心", "大中原汽车城", "一路四街"],
        ["商业综合体", "特色街区", "文旅消费场景", "夜间经济街区", "体育公园"],
    ),
    Category.PUBLIC_SERVICE: (
        ["中原区", "须水", "林山寨", "建设路", "棉纺路", "汝河路"],
        ["中小学新建工程", "幼儿园", "社区养老服务中心", "社区卫生服务中心", "便民服务中心"],
    ),
}
PROGRAMME_LEADS = {
    1: ["kgx", "kfq"],
    2: ["kgx"],
    3: ["fgw", "kfq", "zjj"],
    4: ["tcj", "kfq"],
    5: ["swj", "wly"],
    6: ["zwfw"],
    7: ["zjj", "zs"],
    8: ["jyj", "mzj", "zs"],
}
# The share of the year's investment done in each month (a typical construction year:
# slow around the Spring Festival, busiest in the second and third quarters).
SEASON = [0.045, 0.04, 0.075, 0.085, 0.09, 0.095, 0.095, 0.09, 0.095, 0.1]


def create_projects(plan_year: PlanYear, rng: random.Random) -> int:
    programmes = {p.number: p for p in plan_year.programmes.all()}
    departments = {d.code: d for d in Department.objects.all()}
    specs = []
    for number, count in PROJECTS_PER_PROGRAMME.items():
        for _ in range(count):
            category = rng.choice(CATEGORY_BY_PROGRAMME[number])
            places, kinds = NAME_PARTS[category]
            specs.append((number, category, f"{rng.choice(places)}{rng.choice(kinds)}"))
    totals = _spread(TOTAL_INVESTMENT, [rng.lognormvariate(0, 0.9) for _ in specs])
    # Annual plans: 8–25% of each project's total, scaled to the report's 335.3.
    annual = _spread(ANNUAL_PLAN, [float(t) * rng.uniform(0.08, 0.25) for t in totals])
    projects = []
    for index, ((number, category, name), total, plan) in enumerate(
        zip(specs, totals, annual, strict=True), start=1
    ):
        start = date(plan_year.year - rng.choice([0, 0, 1, 1, 2]), rng.randint(1, 12), 1)
        projects.append(
            KeyProject(
                plan_year=plan_year,
                code=f"ZY25-D{index:03d}",
                name=f"{name}({index:03d})",
                programme=programmes[number],
                lead_department=departments[rng.choice(PROGRAMME_LEADS[number])],
                category=category,
                stage=rng.choice(
                    [
                        Stage.PLANNING,
                        Stage.SIGNED,
                        Stage.STARTED,
                        Stage.UNDER_CONSTRUCTION,
                        Stage.UNDER_CONSTRUCTION,
                        Stage.UNDER_CONSTRUCTION,
                        Stage.COMPLETED,
                    ]
                ),
                total_investment=total,
                annual_plan=min(plan, total),
                leading_industry=category == Category.INDUSTRY and rng.random() < 0.7,
                starts_on=start,
                completes_on=add_months(start, rng.randint(12, 48)),
                is_demo=True,
            )
        )
    _assign_signings(projects, plan_year, rng)
    _assign_national_reserve(projects, plan_year, rng)
    bulk_create_with_history(projects, KeyProject, batch_size=500)
    return len(projects)


def _assign_signings(projects: list[KeyProject], plan_year: PlanYear, rng: random.Random) -> None:
    """New signings this year: Jan–Oct adding up to the demo's October figures, plus
    a few in November (after the latest closed month)."""
    new = [p for p in projects if p.stage in (Stage.SIGNED, Stage.STARTED)]
    rng.shuffle(new)
    leading = [p for p in new if p.leading_industry][:30]
    other = [p for p in new if not p.leading_industry][:30]
    november = [p for p in new if p not in leading and p not in other][:4]
    groups = [
        (leading, LEADING_SIGNED_BY_OCTOBER, 10),
        (other, SIGNED_BY_OCTOBER - LEADING_SIGNED_BY_OCTOBER, 10),
        (november, SIGNED_IN_NOVEMBER, 11),
    ]
    for group, amount, last_month in groups:
        for project, signed in zip(
            group, _spread(amount, [rng.uniform(0.5, 2) for _ in group]), strict=True
        ):
            month = last_month if last_month == 11 else rng.randint(1, last_month)
            project.signed_amount = signed
            project.signed_on = date(
                plan_year.year, month, rng.randint(1, 18 if month == 11 else 28)
            )


def _assign_national_reserve(
    projects: list[KeyProject], plan_year: PlanYear, rng: random.Random
) -> None:
    candidates = sorted(projects, key=lambda p: (-p.total_investment, p.code))[:RESERVE_BY_OCTOBER]
    for project in candidates:
        project.national_reserve_on = date(plan_year.year, rng.randint(1, 10), rng.randint(1, 28))


def create_progress(plan_year: PlanYear, accounts: dict[str, User], rng: random.Random) -> int:
    """Monthly investment Jan–Oct adding up to the demo's October total; a handful of
    projects have not reported October."""
    reviewer = accounts["reviewer"]
    active = list(
        KeyProject.objects.filter(plan_year=plan_year, is_demo=True)
        .exclude(stage=Stage.PLANNING)
        .select_related("lead_department")
        .order_by("code")
    )
    weights = [float(p.annual_plan) * rng.uniform(0.6, 1.1) for p in active]
    yearly = _spread(INVESTED_BY_OCTOBER, weights)
    missing_october = set(rng.sample(range(len(active)), 6))
    rows = []
    for index, (project, amount) in enumerate(zip(active, yearly, strict=True)):
        staff = accounts[f"staff-{project.lead_department.code}"]
        months = _spread(amount, [s * rng.uniform(0.7, 1.3) for s in SEASON])
        for number, invested in enumerate(months, start=1):
            if number == 10 and index in missing_october:
                continue
            period = date(plan_year.year, number, 1)
            submitted_on = report_due_date(period, plan_year.report_due_day).replace(day=3)
            state = EntryState.SUBMITTED if number == 10 else EntryState.APPROVED
            rows.append(
                ProjectProgress(
                    project=project,
                    period=period,
                    investment=invested,
                    stage=project.stage,
                    notes=f"{number}月完成投资{invested}亿元。",
                    state=state,
                    created_by=staff,
                    updated_by=staff,
                    submitted_by=staff,
                    submitted_at=_at(submitted_on),
                    reviewed_by=reviewer if state == EntryState.APPROVED else None,
                    reviewed_at=_at(submitted_on.replace(day=4), 10)
                    if state == EntryState.APPROVED
                    else None,
                    is_demo=True,
                )
            )
    # Thousands of rows that nobody has edited: no history rows for them.
    ProjectProgress.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


# --- the whole ---------------------------------------------------------------------------


def remove_demo_data(plan_year: PlanYear) -> None:
    ProgressEntry.objects.filter(target__programme__plan_year=plan_year, is_demo=True).delete()
    ProjectProgress.objects.filter(project__plan_year=plan_year, is_demo=True).delete()
    KeyProject.objects.filter(plan_year=plan_year, is_demo=True).delete()
    PlanYear.objects.filter(pk=plan_year.pk).update(has_demo_data=False)


def seed_demo(plan_year: PlanYear) -> dict[str, int]:
    """Replace the year's demo rows with freshly generated ones; the recompute of
    every target is requested (through the outbox) when the transaction commits."""
    rng = random.Random(SEED)
    with transaction.atomic(), batched_recompute("载入演示数据"):
        remove_demo_data(plan_year)
        accounts = create_accounts()
        counts = {
            "accounts": len(accounts),
            "entries": create_entries(plan_year, accounts),
            "projects": create_projects(plan_year, rng),
            "progress": create_progress(plan_year, accounts, rng),
        }
        PlanYear.objects.filter(pk=plan_year.pk).update(has_demo_data=True)
        request_recompute(
            target_ids=Target.objects.for_plan_year(plan_year).values_list("pk", flat=True),
            reason="载入演示数据",
        )
    return counts
