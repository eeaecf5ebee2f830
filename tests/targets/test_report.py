"""The 2025 report as data: what it holds, and that loading it twice changes nothing.

Runs on whichever database the suite runs on: SQLite by default, PostgreSQL in CI.
"""

import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.management import call_command

from org.models import Department
from projects.models import KeyProject
from targets.models import PlanYear, Programme, Target
from targets.report import REPORT_FILE, read_report

pytestmark = pytest.mark.django_db

Y = date(2025, 12, 31)
# code: (title fragment, kind, unit, baseline, target value, deadline, source)
EXPECTED_TARGETS = {
    "1.1": ("链上企业", "cumulative", "家", D(0), D(20), Y, "manual"),
    # undated, quantified or clearly checkable 2025 commitments: due at year end
    "1.2": ("国际等离子研究院", "milestone", "", None, None, Y, "manual"),
    "2.3": ("三张清单", "milestone", "", None, None, Y, "manual"),
    "4.3": ("政策清单", "milestone", "", None, None, Y, "manual"),
    "4.4": ("驻地招商机制", "milestone", "", None, None, Y, "manual"),
    "5.7": ("常规赛", "milestone", "", None, None, Y, "manual"),
    "6.2": ("项目报建指南", "milestone", "", None, None, Y, "manual"),
    "2.1": ("通过验收", "milestone", "", None, None, date(2025, 3, 31), "manual"),
    "2.2": ("研发活动覆盖率", "level", "%", None, D(100), Y, "manual"),
    "3.1": ("重点项目个数", "reference", "个", D(0), D(356), Y, "key_project_count"),
    "3.2": (
        "计划总投资",
        "reference",
        "亿元",
        D(0),
        D("2409.2"),
        Y,
        "key_project_total_investment",
    ),
    "3.3": (
        "年度完成投资",
        "cumulative",
        "亿元",
        D(0),
        D("335.3"),
        Y,
        "key_project_investment_completed",
    ),
    "3.4": ("国家重大建设项目库", "cumulative", "个", D(0), D(100), Y, "national_reserve_count"),
    "3.5": ("政策性资金", "level", "%", None, D(10), Y, "manual"),
    "4.1": ("新引进项目签约额", "cumulative", "亿元", D(0), D(400), Y, "signed_amount"),
    "4.2": ("主导产业项目签约额", "cumulative", "亿元", D(0), D(200), Y, "leading_signed_amount"),
    "5.1": ("CCD地上商业", "milestone", "", None, None, date(2025, 5, 1), "manual"),
    "5.2": ("奥体地下商业", "milestone", "", None, None, date(2025, 5, 1), "manual"),
    "5.3": ("KPL", "milestone", "", None, None, date(2025, 6, 30), "manual"),
    "5.4": ("磨街二期", "milestone", "", None, None, date(2025, 1, 28), "manual"),
    "5.5": ("798·二砂", "milestone", "", None, None, date(2025, 1, 28), "manual"),
    "5.6": ("国棉三厂", "milestone", "", None, None, date(2025, 6, 30), "manual"),
    "6.1": ("第一方阵", "assessed", "", None, None, Y, "manual"),
    "7.1": ("保交房", "assessed", "%", D(91), None, Y, "manual"),
    "8.1": ("安置房", "cumulative", "万平方米", D(0), D(335), Y, "manual"),
    "8.2": ("招生条件", "cumulative", "所", D(0), D(9), Y, "manual"),
    "8.3": ("零就业家庭", "ceiling", "户", None, D(0), Y, "manual"),
}


def load(*args: str) -> str:
    out = io.StringIO()
    call_command("load_workreport", *args, stdout=out)
    return out.getvalue()


def snapshot_of_rows() -> dict[str, int]:
    return {
        "plan years": PlanYear.objects.count(),
        "programmes": Programme.objects.count(),
        "targets": Target.objects.count(),
        "departments": Department.objects.count(),
        "projects": KeyProject.objects.count(),
        "target history": Target.history.count(),
        "project history": KeyProject.history.count(),
    }


def test_report_holds_the_plan_year_and_eight_programmes():
    load()
    year = PlanYear.objects.get()
    assert (year.year, year.adopted_on) == (2025, date(2024, 12, 30))
    assert (year.tolerance_points, year.report_due_day) == (D(10), 5)
    assert "八大工程" in year.source_text
    programmes = list(Programme.objects.order_by("number").values_list("number", "short_name"))
    assert programmes == [
        (1, "产业集群"),
        (2, "改革创新"),
        (3, "产业载体"),
        (4, "双招双引"),
        (5, "文商旅体"),
        (6, "营商环境"),
        (7, "治理创新"),
        (8, "民生保障"),
    ]
    assert Programme.objects.get(number=1).name == "深化现代化产业集群建设工程"
    assert all(p.text for p in Programme.objects.all())


def test_report_holds_every_target_with_its_value_and_unit():
    load()
    targets = {t.code: t for t in Target.objects.select_related("lead_department")}
    assert set(targets) == set(EXPECTED_TARGETS)
    for code, (fragment, kind, unit, baseline, value, deadline, source) in EXPECTED_TARGETS.items():
        t = targets[code]
        assert fragment in t.title, code
        assert (t.kind, t.unit, t.baseline, t.target_value, t.deadline, t.source) == (
            kind,
            unit,
            baseline,
            value,
            deadline,
            source,
        ), code
        assert t.starts_on == date(2025, 1, 1)
        assert t.lead_department is not None


def test_every_target_sentence_is_verbatim_from_the_source():
    load()
    source = PlanYear.objects.get().source_text
    for target in Target.objects.all():
        # "……" marks a column break of the printed page inside the sentence
        for part in target.sentence.split("……"):
            assert part in source, target.code


def test_duplicated_passages_give_one_target():
    load()
    source = PlanYear.objects.get().source_text
    assert source.count("年底前335万平方米安置房建成交付") == 2
    assert Target.objects.filter(target_value=D(335)).count() == 1
    assert Target.objects.filter(target_value=D(356)).count() == 1
    # the 智能城市 passage is printed twice and holds no target; the 招商 sentence's
    # two checkable commitments are one target each, not two
    assert source.count("积极推进智能城市建设") == 1
    assert Target.objects.filter(code__in=["4.3", "4.4"]).count() == 2


def test_the_plasma_institute_is_a_year_end_milestone_with_an_assumed_lead():
    load()
    target = Target.objects.select_related("lead_department").get(code="1.2")
    assert (target.kind, target.deadline, target.programme.number) == (
        "milestone",
        date(2025, 12, 31),
        1,
    )
    assert target.sentence.endswith("同时推动国际等离子研究院挂牌成立。")
    assert target.lead_department.short_name == "区科工信局"
    row = next(r for r in read_report(REPORT_FILE)["targets"] if r["code"] == "1.2")
    assert "假设" in row["assumption"] and "2025-12-31" in row["assumption"]


def test_named_projects_are_loaded():
    load()
    names = set(KeyProject.objects.values_list("name", flat=True))
    assert {
        "中铝有色金属研究院",
        "新医元医疗健康产业园",
        "磨街二期",
        "国棉三厂特色历史文化街区",
    } <= names
    assert KeyProject.objects.filter(named_in_report=True).count() == len(read_report()["projects"])


def test_loading_twice_duplicates_nothing_and_writes_nothing():
    assert load().endswith(f"新建 {1 + 14 + 8 + 27 + 19} 条，更新 0 条。\n")
    first = snapshot_of_rows()
    load()
    assert snapshot_of_rows() == first
    load("--update")  # the file is what is loaded already: nothing to update either
    assert snapshot_of_rows() == first


def test_loading_again_keeps_the_admins_edits():
    load()
    year = PlanYear.objects.get()
    year.tolerance_points = D(20)
    year.save()
    target = Target.objects.get(code="8.1")
    target.lead_department = Department.objects.get(code="jyj")
    target.deadline = date(2025, 9, 30)
    target.save()
    target.co_departments.clear()
    KeyProject.objects.filter(code="ZY25-001").update(stage="completed")
    assert load().endswith("新建 0 条，更新 0 条。\n")
    target.refresh_from_db()
    assert (target.lead_department.code, target.deadline) == ("jyj", date(2025, 9, 30))
    assert not target.co_departments.exists()
    assert PlanYear.objects.get().tolerance_points == D(20)
    assert KeyProject.objects.get(code="ZY25-001").stage == "completed"


def test_update_resets_definitions_to_the_file_in_place():
    load()
    Target.objects.filter(code="4.1").update(target_value=D(1))
    KeyProject.objects.filter(code="ZY25-001").update(stage="completed")
    assert load("--update").endswith("新建 0 条，更新 2 条。\n")
    assert Target.objects.get(code="4.1").target_value == D(400)
    assert Target.objects.filter(code="4.1").count() == 1
    assert KeyProject.objects.get(code="ZY25-001").stage == "under_construction"


def test_loading_adds_what_is_missing():
    load()
    Target.objects.filter(code="8.3").delete()
    assert load().endswith("新建 1 条，更新 0 条。\n")
    assert Target.objects.get(code="8.3").co_departments.count() == 0
