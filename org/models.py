"""Who is who: the departments (责任单位) and each user's role and department.

The bottom of the house: nothing here knows about targets, projects or reports.
Every change is kept (django-simple-history).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from org import glossary


class DepartmentKind(models.TextChoices):
    DISTRICT_OFFICE = "district_office", glossary.DEPARTMENT_KIND["district_office"]
    SUBDISTRICT = "subdistrict", glossary.DEPARTMENT_KIND["subdistrict"]
    STATE_ENTERPRISE = "state_enterprise", glossary.DEPARTMENT_KIND["state_enterprise"]
    DEVELOPMENT_ZONE = "development_zone", glossary.DEPARTMENT_KIND["development_zone"]
    OTHER = "other", glossary.DEPARTMENT_KIND["other"]


class Role(models.TextChoices):
    STAFF = "staff", glossary.ROLE["staff"]
    REVIEWER = "reviewer", glossary.ROLE["reviewer"]
    LEADER = "leader", glossary.ROLE["leader"]
    ADMIN = "admin", glossary.ROLE["admin"]
    # 三权分立 (GB/T 22239-2019): accounts and definitions, security settings, and
    # reading the audit log are three people's duties.
    SECURITY_ADMIN = "security_admin", glossary.ROLE["security_admin"]
    AUDIT_ADMIN = "audit_admin", glossary.ROLE["audit_admin"]


class Department(models.Model):
    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=30)
    code = models.SlugField(
        "代码", max_length=30, unique=True, help_text="英文短代码，用于账号名，如 fgw。"
    )
    kind = models.CharField(
        "类型",
        max_length=30,
        choices=DepartmentKind.choices,
        default=DepartmentKind.DISTRICT_OFFICE,
    )
    email = models.EmailField(
        "联系邮箱", blank=True, help_text="催报提醒发送到此邮箱及本单位填报员。"
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "责任单位"
        verbose_name_plural = "责任单位"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class Profile(models.Model):
    """What a user does in the system and, for staff, for which department."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name="用户",
    )
    # No default: a role is chosen on purpose (a preselected one was silently not saved
    # by the admin's inline, leaving an account without a profile).
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name="所属单位",
    )
    is_demo = models.BooleanField(
        "演示账号", default=False, help_text="演示账号只能在演示模式下登录。"
    )
    must_change_password = models.BooleanField(
        "须修改密码",
        default=False,
        help_text="管理员新建或重置密码的账号在下次登录时必须先修改密码。",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "用户角色"
        verbose_name_plural = "用户角色"
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="staff") | Q(department__isnull=False),
                name="profile_staff_has_department",
                violation_error_message="填报员必须属于一个责任单位。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class PasswordHistory(models.Model):
    """A user's recent password hashes, so that a new password cannot be an old one,
    and when the password last changed (for rotation)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="password_history",
        verbose_name="用户",
    )
    password = models.CharField("密码哈希", max_length=128)
    created_at = models.DateTimeField("修改时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


# The append-only audit log's tables live in their own module.
from org.audit_models import AuditArchive, AuditChainHead, AuditEvent  # noqa: E402, F401


class OutboundEvent(models.TextChoices):
    """Why a notice or message went out (one list for every channel)."""

    RETURNED = "returned", "退回修改"
    REOPENED = "reopened", "重新打开"
    SUBMITTED = "submitted", "新报送待审"
    REMINDER = "reminder", "催报提醒"
    ORDER = "order", "督办单"
    ESCALATION = "escalation", "督办升级"
    BULLETIN = "bulletin", "通报发布"
    INSTRUCTION = "instruction", "领导批示"
    OTHER = "other", "其他"


class OutboundChannel(models.TextChoices):
    INAPP = "inapp", "站内通知"
    EMAIL = "email", "电子邮件"
    WECOM = "wecom", "企业微信"
    DINGTALK = "dingtalk", "钉钉"


class OutboundStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"


class OutboundMessage(models.Model):
    """The one outbound log: every in-app notice, e-mail and chat push, who caused
    it, to whom, and what came of it. An in-app notice is ``sent`` when written and
    ``read_at`` records when its reader opened it. ``address`` is an e-mail address
    or a hook's label, never a webhook URL or secret."""

    event = models.CharField("事由", max_length=20, choices=OutboundEvent.choices)
    channel = models.CharField("渠道", max_length=10, choices=OutboundChannel.choices)
    status = models.CharField(
        "结果", max_length=10, choices=OutboundStatus.choices, default=OutboundStatus.PENDING
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outbound_messages",
    )
    address = models.CharField("发送地址", max_length=254, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name="相关单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="空表示由系统定时任务发起。",
    )
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    error = models.TextField("失败原因", blank=True)

    class Meta:
        verbose_name = "消息记录"
        verbose_name_plural = "消息记录"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "channel", "read_at"], name="org_outbound_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}：{self.subject}"
