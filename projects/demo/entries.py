"""Monthly reports for the report's manual targets, January–October 2025, and a few
November drafts: a realistic mix of ahead, lagging, missing, overdue and returned."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from simple_history.utils import bulk_create_with_history

from projects.demo.common import DEMO_TODAY, at
from projects.demo.common import submitted_on as demo_submitted_on
from targets.models import EntryState, PlanYear, ProgressEntry, Target


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
                f"{number}月新增{what}{current - previous:f}{unit}，1–{number}月累计{value}{unit}。"
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
        month.next_steps = "逐户上门指导研发费用归集，年底前实现全覆盖。"
    s["2.2"][10].state = EntryState.RETURNED
    s["2.2"][10].return_reason = "覆盖率口径与统计部门月报不一致，请核实分子分母后重新提交。"
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
        month.problems = "消防验收整改项较多，部分商户装修进度慢。"
        month.next_steps = "协调消防部门上门指导，倒排工期，力争12月底前投用。"
    s["5.3"] = _milestone(
        {1: 20, 2: 45, 3: 60, 4: 80, 5: 95}, date(2025, 6, 21), "KPL春季总决赛保障"
    )
    s["5.4"] = _milestone({}, date(2025, 1, 20), "磨街二期投用")
    s["5.5"] = _milestone({1: 90}, date(2025, 2, 15), "798·二砂项目落地")
    s["5.6"] = _milestone(
        {1: 50, 2: 60, 3: 72, 4: 85, 5: 95}, date(2025, 6, 28), "国棉三厂特色历史文化街区开街"
    )
    # Year-end milestones the report states without a date: ahead of 序时 or done.
    pace = dict(enumerate([10, 18, 25, 35, 42, 50, 60, 67, 75, 85], start=1))
    s["1.2"] = _milestone(pace, None, "国际等离子研究院挂牌筹备")
    s["2.3"] = _milestone(
        {1: 15, 2: 30, 3: 45, 4: 60, 5: 85}, date(2025, 6, 20), "职责事项“三张清单”制定"
    )
    s["4.3"] = _milestone({1: 50}, date(2025, 2, 28), "招商“四张清单”编制")
    s["4.4"] = _milestone({1: 40, 2: 60}, date(2025, 3, 15), "县级领导驻地招商机制建立")
    s["5.7"] = _milestone(
        {n: pace[n] for n in range(1, 9)}, date(2025, 9, 12), "KPL常规赛落地郑州市民活动中心"
    )
    s["6.2"] = _milestone(
        {n: pace[n] for n in range(1, 10)}, date(2025, 10, 25), "全流程项目报建指南编制"
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
            else "保交房剩余项目资金缺口较大，交付进度放缓。",
        )
        for n in range(1, 11)
    }
    for n in range(6, 11):
        s["7.1"][n].problems = "个别项目资金监管账户余额不足，施工单位进场人数不足。"
        s["7.1"][n].next_steps = "争取城市更新专项借款，落实“一项目一专班”。"
    # 8.1 Resettlement housing: behind 序时; July not reported.
    s["8.1"] = _cumulative(
        [12, 25, 41, 60, 82, 105, None, 162, 198, 238], "万平方米", "安置房建成交付"
    )
    for n in (8, 9, 10):
        s["8.1"][n].problems = "部分安置房项目融资未到位，配套工程滞后。"
        s["8.1"][n].next_steps = "推动房票安置，争取专项债资金，四季度集中交付。"
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
    "1.1": Month(value="19", state=EntryState.DRAFT, narrative="11月新增招引链上企业1家（草稿）。"),
    "8.1": Month(
        value="262", state=EntryState.DRAFT, narrative="11月新增安置房建成交付24万平方米（草稿）。"
    ),
    "3.5": Month(
        value="10.7", state=EntryState.DRAFT, narrative="政策性资金全市占比10.7%（草稿）。"
    ),
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
            submitted_on = demo_submitted_on(
                period, plan_year.report_due_day, target.lead_department.code
            )
            submitted = month.state != EntryState.DRAFT
            reviewed = month.state in (EntryState.APPROVED, EntryState.RETURNED)
            entry = ProgressEntry(
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
                submitted_at=at(submitted_on) if submitted else None,
                first_submitted_at=at(submitted_on) if submitted else None,
                return_count=1 if month.state == EntryState.RETURNED else 0,
                reviewed_by=reviewer if reviewed else None,
                reviewed_at=at(submitted_on + timedelta(days=1), 10) if reviewed else None,
                is_demo=True,
            )
            # Its history row: by the department's staff, when it was last acted on.
            entry._history_user = staff
            entry._history_date = entry.reviewed_at or entry.submitted_at or at(DEMO_TODAY, 10)
            entry._change_reason = f"载入演示数据（{entry.get_state_display()}）"
            rows.append(entry)
    bulk_create_with_history(rows, ProgressEntry, batch_size=500)
    return len(rows)
