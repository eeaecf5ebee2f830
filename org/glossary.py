"""One vocabulary for the whole product: every label a page, an export, a message or
a generated document shows for a status, a kind, a unit, a state or a role.

The model choices (``TextChoices``) take their labels from here, so a page that shows
``get_status_display`` and an export that looks a code up here cannot disagree; a test
checks that every choice's label is this glossary's. Codes stay English; labels are the
report's own words (已完成, not 已达成; 亿元 and 万平方米 as the report writes them).
"""

# 状态 of a target, a programme or the year (DESIGN.md §3).
STATUS = {
    "completed": "已完成",
    "completed_late": "逾期完成",
    "overdue": "逾期未完成",
    "on_track": "正常推进",
    "lagging": "进度滞后",
    "behind": "严重滞后",
    "not_reported": "未报送",
    "not_started": "未开始",
    # A plan figure（规模指标）：shown beside the register, counted in no tally.
    "reference": "规模指标",
}

# An assessed（定性） target's own assessment: the same words as the statuses.
ASSESSMENT = {
    "achieved": STATUS["completed"],
    "on_track": STATUS["on_track"],
    "lagging": STATUS["lagging"],
    "behind": STATUS["behind"],
}

KIND = {
    "cumulative": "累计型",
    "level": "水平型",
    "ceiling": "控制型",
    "milestone": "节点型",
    "assessed": "定性型",
    "reference": "规模型",
}

DIRECTION = {"increase": "越大越好（≥）", "decrease": "越小越好（≤）"}

# Units as the work report writes them.
UNITS = ("亿元", "万平方米", "个", "家", "所", "户", "%")

ENTRY_STATE = {
    "draft": "草稿",
    "submitted": "已提交",
    "returned": "已退回",
    "approved": "已通过",
}

# A figure that counts but whose report is not yet approved: every page, chart and
# export marks it with this word.
UNREVIEWED = "未审核"
# Under 仅计入已审核：a report that is in, whose figure waits for approval.
AWAITING_REVIEW = "待审核，暂未计入"

# A plan year's counting rule（计入口径）：which reports' figures count.
COUNTING = {
    "submitted": "已报送即计入（默认）",
    "approved": "仅计入已审核",
}

ROLE = {
    "staff": "填报员",
    "reviewer": "审核员",
    "leader": "领导",
    "admin": "系统管理员",
    "security_admin": "安全管理员",
    "audit_admin": "审计管理员",
}

DEPARTMENT_KIND = {
    "district_office": "区直部门",
    "subdistrict": "街道",
    "state_enterprise": "国有企业",
    "development_zone": "开发区",
    "other": "其他",
}

# What an audit event records (org.audit.record's ``action``): the audit admin reads the
# label, filters by the code. An action missing here shows its code (a new action must
# be added, tests/org/test_audit_admin.py lists every action the code writes).
AUDIT_ACTION = {
    "auth.login": "登录",
    "auth.login_failed": "登录失败",
    "auth.logout": "退出登录",
    "auth.lockout": "账号锁定",
    "auth.otp_failed": "动态口令验证失败",
    "account.bootstrap": "创建初始管理员",
    "account.import": "批量导入账号",
    "account.otp_setup": "绑定动态口令",
    "account.password_change": "修改密码",
    "account.password_reset": "重置密码",
    "admin.add": "后台新增",
    "admin.change": "后台修改",
    "admin.delete": "后台删除",
    "org.role_change": "角色变更",
    "permission_denied": "越权访问被拒绝",
    "export": "导出数据",
    "audit.archive": "归档审计日志",
    "supervision.close_month": "月份关账",
    "supervision.reopen_month": "重新打开已关账月份",
    "supervision.generate_bulletin": "生成督查通报",
    "supervision.publish_bulletin": "发布督查通报",
    "supervision.order_open": "开具督办单",
    "supervision.order_draft": "拟制督办单（待确认）",
    "supervision.order_close": "督办单销号",
    "supervision.order_extend": "督办单延期",
    "supervision.instruction": "领导批示",
}


def audit_action_label(code: str) -> str:
    return AUDIT_ACTION.get(code, code)


def department_name(department) -> str:
    """A department as every page names it: its short name (区房屋征收中心), the full
    name being for the hover title (``department_full_name``)."""
    if department is None:
        return "—"
    return department.short_name or department.name


def department_full_name(department) -> str:
    return department.name if department is not None else ""


NOBODY = "—"


def display_name(user, *, nobody: str = NOBODY) -> str:
    """A user as every page, history row and message names them: the full name, else
    the account name; ``nobody`` when there is none."""
    if user is None:
        return nobody
    return user.get_full_name() or user.get_username()
