"""督办单 (supervision orders), 领导批示 (leaders' instructions) and who oversees what
(分管区领导).

An order and an instruction are subjects of monthly reports: the department answers
each through the shared workflow (``OrderAnswer``, ``InstructionAnswer`` are concrete
``WorkflowEntry`` rows, registered as their own kinds in supervision/adapters.py), so
draft, submit, return, approve, history and permissions are the workflow's.

Who oversees a programme or a department is kept here, in two small mapping tables,
rather than as a column on targets.Programme and org.Department: the 分管区领导 is
the 督查室's concern (who gets the red card's notice, whose programmes come first), the
lower apps stay as they are (no upward knowledge, no migration in two apps that other
work also migrates), and the admin edits it in one place.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from org.models import Department, Role
from projects.models import KeyProject
from targets.models import PlanYear, Programme, Target
from workflow.models import EvidenceBase, WorkflowEntry, random_name

__all__ = [
    "ACTIVE_STATES",
    "DepartmentLeader",
    "Instruction",
    "InstructionAnswer",
    "InstructionAnswerEvidence",
    "OrderAnswer",
    "OrderAnswerEvidence",
    "OrderColour",
    "OrderExtension",
    "OrderState",
    "ProgrammeLeader",
    "SupervisionOrder",
]

LEADERS = {"profile__role": Role.LEADER}


class OrderColour(models.TextChoices):
    YELLOW = "yellow", "黄色督办"
    RED = "red", "红色督办"


class OrderState(models.TextChoices):
    DRAFT = "draft", "待确认"
    OPEN = "open", "办理中"
    EXTENDED = "extended", "已延期"
    CLOSED = "closed", "已销号"


# States in which an order is still being worked on (and can be overdue).
ACTIVE_STATES = (OrderState.OPEN, OrderState.EXTENDED)


class SupervisionOrderQuerySet(models.QuerySet):
    def active(self):
        return self.filter(state__in=ACTIVE_STATES)

    def overdue(self, as_of):
        """Still being worked on after its deadline."""
        return self.active().filter(deadline__lt=as_of)

    def with_subject(self):
        return self.select_related(
            "plan_year", "target__programme", "project__programme", "lead_department", "opened_by"
        )


class SupervisionOrder(models.Model):
    """One 督办单: a reviewer's requirement on a target or a project, for the
    department responsible, by a deadline."""

    plan_year = models.ForeignKey(
        PlanYear, on_delete=models.PROTECT, related_name="+", verbose_name="年度"
    )
    target = models.ForeignKey(
        Target,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervision_orders",
        verbose_name="指标",
    )
    project = models.ForeignKey(
        KeyProject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervision_orders",
        verbose_name="重点项目",
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="所属工程",
        help_text="督办事项所属的工程（筛选用）。",
    )
    requirement = models.TextField("督办要求", max_length=2000)
    lead_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name="责任单位"
    )
    deadline = models.DateField("办结时限")
    colour = models.CharField(
        "督办等级", max_length=10, choices=OrderColour.choices, default=OrderColour.YELLOW
    )
    state = models.CharField(
        "状态", max_length=10, choices=OrderState.choices, default=OrderState.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="交办人",
    )
    opened_at = models.DateTimeField("交办时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="销号人",
    )
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    close_reason = models.TextField("销号理由", blank=True, max_length=1000)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = SupervisionOrderQuerySet.as_manager()

    class Meta:
        verbose_name = "督办单"
        verbose_name_plural = "督办单"
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target__isnull=False, project__isnull=True)
                | Q(target__isnull=True, project__isnull=False),
                name="order_has_one_subject",
                violation_error_message="督办单须针对一个指标或一个项目。",
            ),
            models.CheckConstraint(
                condition=~Q(state="closed") | ~Q(close_reason=""),
                name="order_closed_has_reason",
                violation_error_message="销号必须填写理由。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.subject_title}"

    @property
    def code(self) -> str:
        return f"督办{self.pk}号"

    @property
    def subject(self):
        return self.target if self.target_id else self.project

    @property
    def subject_title(self) -> str:
        subject = self.subject
        if self.target_id:
            return f"{subject.code} {subject.title}"
        return f"{subject.code} {subject.name}"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES


class OrderExtension(models.Model):
    """One extension of an order's deadline, with its reason (kept for good)."""

    order = models.ForeignKey(
        SupervisionOrder, on_delete=models.CASCADE, related_name="extensions", verbose_name="督办单"
    )
    old_deadline = models.DateField("原时限")
    new_deadline = models.DateField("新时限")
    reason = models.TextField("延期理由", max_length=1000)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="批准人"
    )
    extended_at = models.DateTimeField("延期时间", auto_now_add=True)

    class Meta:
        verbose_name = "督办单延期"
        verbose_name_plural = "督办单延期"
        ordering = ["order", "extended_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_deadline__gt=models.F("old_deadline")),
                name="order_extension_moves_later",
                violation_error_message="新时限须晚于原时限。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order.code} 延至 {self.new_deadline:%Y-%m-%d}"


class OrderAnswer(WorkflowEntry):
    """The department's 反馈 on an order for one month: measures and progress."""

    order = models.ForeignKey(
        SupervisionOrder, on_delete=models.CASCADE, related_name="answers", verbose_name="督办单"
    )
    measures = models.TextField("整改措施", blank=True, max_length=2000)
    progress = models.TextField("进展情况", blank=True, max_length=2000)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "督办反馈"
        verbose_name_plural = "督办反馈"
        ordering = ["order", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "period"],
                name="order_answer_one_per_month",
                violation_error_message="该督办单本月已有反馈。",
            ),
            *WorkflowEntry.workflow_constraints("order_answer"),
        ]

    def __str__(self) -> str:
        return f"{self.order.code} {self.period:%Y年%m月}反馈"


class InstructionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(answered_at__isnull=True)

    def with_subject(self):
        return self.select_related(
            "author", "lead_department", "target", "project", "order", "plan_year"
        )


class Instruction(models.Model):
    """A leader's 批示 on a target, a project or an order, for the department
    responsible for it. Open until an answer to it is approved."""

    plan_year = models.ForeignKey(
        PlanYear, on_delete=models.PROTECT, related_name="+", verbose_name="年度"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="批示领导",
    )
    text = models.TextField("批示内容", max_length=2000)
    target = models.ForeignKey(
        Target,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instructions",
        verbose_name="指标",
    )
    project = models.ForeignKey(
        KeyProject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instructions",
        verbose_name="重点项目",
    )
    order = models.ForeignKey(
        SupervisionOrder,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instructions",
        verbose_name="督办单",
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="所属工程",
        help_text="督办事项所属的工程（筛选用）。",
    )
    lead_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name="责任单位"
    )
    created_at = models.DateTimeField("批示时间", default=timezone.now)
    answered_at = models.DateTimeField("办结时间", null=True, blank=True)
    history = HistoricalRecords()

    objects = InstructionQuerySet.as_manager()

    class Meta:
        verbose_name = "领导批示"
        verbose_name_plural = "领导批示"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target__isnull=False, project__isnull=True, order__isnull=True)
                | Q(target__isnull=True, project__isnull=False, order__isnull=True)
                | Q(target__isnull=True, project__isnull=True, order__isnull=False),
                name="instruction_has_one_subject",
                violation_error_message="批示须针对一个指标、项目或督办单。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.subject_title}"

    @property
    def code(self) -> str:
        return f"批示{self.pk}号"

    @property
    def subject(self):
        return self.target or self.project or self.order

    @property
    def subject_title(self) -> str:
        if self.target_id:
            return f"{self.target.code} {self.target.title}"
        if self.project_id:
            return f"{self.project.code} {self.project.name}"
        return str(self.order.code)

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class InstructionAnswer(WorkflowEntry):
    """The department's answer (办理情况) to an instruction, for one month."""

    instruction = models.ForeignKey(
        Instruction, on_delete=models.CASCADE, related_name="answers", verbose_name="领导批示"
    )
    answer = models.TextField("办理情况", blank=True, max_length=2000)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "批示办理情况"
        verbose_name_plural = "批示办理情况"
        ordering = ["instruction", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["instruction", "period"],
                name="instruction_answer_one_per_month",
                violation_error_message="该批示本月已有办理情况。",
            ),
            *WorkflowEntry.workflow_constraints("instruction_answer"),
        ]

    def __str__(self) -> str:
        return f"{self.instruction.code} {self.period:%Y年%m月}办理情况"


def order_evidence_path(instance: "OrderAnswerEvidence", filename: str) -> str:
    return random_name(f"evidence/orders/{instance.entry.period:%Y/%m}", filename)


def instruction_evidence_path(instance: "InstructionAnswerEvidence", filename: str) -> str:
    return random_name(f"evidence/instructions/{instance.entry.period:%Y/%m}", filename)


class OrderAnswerEvidence(EvidenceBase):
    """An evidence file（佐证材料）of a department's 反馈 on an order."""

    entry = models.ForeignKey(
        OrderAnswer, on_delete=models.CASCADE, related_name="evidence", verbose_name="督办反馈"
    )
    file = models.FileField("文件", upload_to=order_evidence_path, max_length=200)

    class Meta:
        verbose_name = "督办反馈佐证材料"
        verbose_name_plural = "督办反馈佐证材料"
        ordering = ["uploaded_at"]


class InstructionAnswerEvidence(EvidenceBase):
    """An evidence file（佐证材料）of a department's 办理情况 on an instruction."""

    entry = models.ForeignKey(
        InstructionAnswer,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name="批示办理情况",
    )
    file = models.FileField("文件", upload_to=instruction_evidence_path, max_length=200)

    class Meta:
        verbose_name = "批示办理佐证材料"
        verbose_name_plural = "批示办理佐证材料"
        ordering = ["uploaded_at"]


class ProgrammeLeader(models.Model):
    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="+", verbose_name="工程"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=LEADERS,
        verbose_name="分管区领导",
    )

    class Meta:
        verbose_name = "工程分管区领导"
        verbose_name_plural = "工程分管区领导"
        ordering = ["programme"]

    def __str__(self) -> str:
        return f"{self.programme} · {self.leader}"


class DepartmentLeader(models.Model):
    department = models.OneToOneField(
        Department, on_delete=models.CASCADE, related_name="+", verbose_name="责任单位"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=LEADERS,
        verbose_name="分管区领导",
    )

    class Meta:
        verbose_name = "单位分管区领导"
        verbose_name_plural = "单位分管区领导"
        ordering = ["department"]

    def __str__(self) -> str:
        return f"{self.department} · {self.leader}"
