"""Generated key projects that bring the report's 19 named ones to its 356, with
investments adding up to its totals, signings, national-reserve entries and monthly
progress; and monthly notes from the named projects themselves."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from simple_history.utils import bulk_create_with_history

from org.models import Department
from projects.demo.common import at, spread
from projects.demo.common import submitted_on as demo_submitted_on
from projects.models import Category, KeyProject, ProjectProgress, Stage
from targets.models import EntryState, PlanYear
from targets.periods import add_months

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
    totals = spread(TOTAL_INVESTMENT, [rng.lognormvariate(0, 0.9) for _ in specs])
    # Annual plans: 8–25% of each project's total, scaled to the report's 335.3.
    annual = spread(ANNUAL_PLAN, [float(t) * rng.uniform(0.08, 0.25) for t in totals])
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
                listed_on=plan_year.starts_on,
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
            group, spread(amount, [rng.uniform(0.5, 2) for _ in group]), strict=True
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


# What the departments wrote about the projects the report names (they have no
# published amounts, so their reports carry notes only).
NAMED_PROJECT_NOTES = {
    "CCD地上商业": "商户进场装修，4月28日开业投用，运营平稳。",
    "奥体地下商业": "消防验收整改中，部分商户装修进度滞后。",
    "磨街二期": "1月20日投用，节假日客流稳定。",
    "798·二砂项目": "2月15日落地开放，持续引入文创业态。",
    "国棉三厂特色历史文化街区": "6月28日开街，街区业态持续丰富。",
}


def _progress(
    project: KeyProject,
    period: date,
    *,
    plan_year: PlanYear,
    staff: User,
    reviewer: User,
    investment: Decimal | None,
    notes: str,
) -> ProjectProgress:
    """One month's report: October submitted and awaiting review, earlier months
    approved."""
    submitted_on = demo_submitted_on(period, plan_year.report_due_day, project.lead_department.code)
    approved = period.month < 10
    return ProjectProgress(
        project=project,
        period=period,
        investment=investment,
        stage=project.stage,
        notes=notes,
        state=EntryState.APPROVED if approved else EntryState.SUBMITTED,
        created_by=staff,
        updated_by=staff,
        submitted_by=staff,
        submitted_at=at(submitted_on),
        first_submitted_at=at(submitted_on),
        reviewed_by=reviewer if approved else None,
        reviewed_at=at(submitted_on + timedelta(days=1), 10) if approved else None,
        is_demo=True,
    )


def create_progress(plan_year: PlanYear, accounts: dict[str, User], rng: random.Random) -> int:
    """Monthly investment Jan–Oct adding up to the demo's October total (a handful of
    projects have not reported October), and monthly notes from the named projects
    under way."""
    reviewer = accounts["reviewer"]
    projects = (
        KeyProject.objects.filter(plan_year=plan_year)
        .exclude(stage=Stage.PLANNING)
        .select_related("lead_department")
        .order_by("code")
    )
    generated = [p for p in projects if p.is_demo]
    named = [p for p in projects if p.named_in_report]
    weights = [float(p.annual_plan) * rng.uniform(0.6, 1.1) for p in generated]
    yearly = spread(INVESTED_BY_OCTOBER, weights)
    missing_october = set(rng.sample(range(len(generated)), 6))
    rows = []
    for index, (project, amount) in enumerate(zip(generated, yearly, strict=True)):
        staff = accounts[f"staff-{project.lead_department.code}"]
        months = spread(amount, [s * rng.uniform(0.7, 1.3) for s in SEASON])
        for number, invested in enumerate(months, start=1):
            if number == 10 and index in missing_october:
                continue
            rows.append(
                _progress(
                    project,
                    date(plan_year.year, number, 1),
                    plan_year=plan_year,
                    staff=staff,
                    reviewer=reviewer,
                    investment=invested,
                    notes=f"{number}月完成投资{invested}亿元。",
                )
            )
    for project in named:
        staff = accounts[f"staff-{project.lead_department.code}"]
        note = NAMED_PROJECT_NOTES.get(project.name, "按计划推进，各项工作有序开展。")
        for number in range(1, 11):
            rows.append(
                _progress(
                    project,
                    date(plan_year.year, number, 1),
                    plan_year=plan_year,
                    staff=staff,
                    reviewer=reviewer,
                    investment=None,
                    notes=f"{number}月：{note}",
                )
            )
    # Thousands of rows that nobody has edited: no history rows for them.
    ProjectProgress.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
