"""The admin pages of the 督查室's settings: who oversees what (分管区领导) and the
group robots (the URL and secret write-only, shown masked); and, read only, the
supervision orders, the leaders' instructions and the departments' answers with
their evidence files. Orders are opened, extended and closed, instructions written
and answers reviewed in the product's own pages (supervision/orders.py, the shared
workflow), which record the history, notify and audit: an edit here would bypass all
of that, so the admin only lists them, as it does the other workflow rows
(targets/admin.py ReadOnlyAdmin)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from org.audit_admin import AuditedAdminMixin
from supervision.forms import ChatHookForm
from supervision.models import (
    ChatHook,
    DepartmentLeader,
    Instruction,
    InstructionAnswer,
    InstructionAnswerEvidence,
    OrderAnswer,
    OrderAnswerEvidence,
    OrderExtension,
    ProgrammeLeader,
    SupervisionOrder,
)
from targets.admin import ReadOnlyAdmin
from targets.admin_display import month_column

EVIDENCE_FIELDS = ["original_name", "size", "content_type", "uploaded_by", "uploaded_at"]


@admin.register(ProgrammeLeader)
class ProgrammeLeaderAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["programme", "leader"]
    list_select_related = ["programme__plan_year", "leader"]


@admin.register(DepartmentLeader)
class DepartmentLeaderAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["department", "leader"]
    list_select_related = ["department", "leader"]


@admin.register(ChatHook)
class ChatHookAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = ChatHookForm
    list_display = [
        "label",
        "kind",
        "department",
        "leaders_group",
        "masked",
        "events_text",
        "active",
    ]
    list_filter = ["kind", "active", "leaders_group"]
    list_select_related = ["department"]
    readonly_fields = ["masked", "masked_key"]
    fieldsets = [
        (None, {"fields": ["kind", "label", "department", "leaders_group", "events", "active"]}),
        (
            "地址与密钥",
            {
                "fields": ["masked", "url", "masked_key", "secret", "clear_secret"],
                "description": (
                    "地址和密钥保存后不再完整显示，也不写入任何日志；修改时重新填写即可。"
                ),
            },
        ),
    ]

    @admin.display(description="当前地址")
    def masked(self, hook: ChatHook) -> str:
        return hook.masked_url if hook.pk else "—"

    @admin.display(description="当前密钥")
    def masked_key(self, hook: ChatHook) -> str:
        return hook.masked_secret if hook.pk else "—"

    @admin.display(description="推送事项")
    def events_text(self, hook: ChatHook) -> str:
        return hook.event_labels()


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class OrderExtensionInline(_ReadOnlyInline):
    model = OrderExtension
    fields = ["old_deadline", "new_deadline", "reason", "extended_by", "extended_at"]
    readonly_fields = fields


class OrderAnswerInline(_ReadOnlyInline):
    model = OrderAnswer
    fields = ["period", "state", "measures", "progress"]
    readonly_fields = fields
    ordering = ["-period"]


class InstructionAnswerInline(_ReadOnlyInline):
    model = InstructionAnswer
    fields = ["period", "state", "answer"]
    readonly_fields = fields
    ordering = ["-period"]


class OrderAnswerEvidenceInline(_ReadOnlyInline):
    model = OrderAnswerEvidence
    fields = EVIDENCE_FIELDS
    readonly_fields = fields


class InstructionAnswerEvidenceInline(_ReadOnlyInline):
    model = InstructionAnswerEvidence
    fields = EVIDENCE_FIELDS
    readonly_fields = fields


@admin.register(SupervisionOrder)
class SupervisionOrderAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = [
        "code_text",
        "subject_text",
        "state",
        "colour",
        "lead_department",
        "deadline",
        "opened_at",
        "created_at",
    ]
    list_filter = ["state", "colour", "lead_department", "plan_year"]
    search_fields = [
        "requirement",
        "close_reason",
        "target__code",
        "target__title",
        "project__code",
        "project__name",
    ]
    list_select_related = ["target", "project", "lead_department"]
    date_hierarchy = "created_at"
    inlines = [OrderExtensionInline, OrderAnswerInline]

    @admin.display(description="编号", ordering="pk")
    def code_text(self, order: SupervisionOrder) -> str:
        return order.code

    @admin.display(description="督办事项")
    def subject_text(self, order: SupervisionOrder) -> str:
        return order.subject_title


class InstructionStateFilter(admin.SimpleListFilter):
    """Open until an answer is approved (Instruction.is_open, the queryset's open())."""

    title = "状态"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", "办理中"), ("answered", "已办结")]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.open()
        if self.value() == "answered":
            return queryset.exclude(pk__in=queryset.open().values("pk"))
        return queryset


@admin.register(Instruction)
class InstructionAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    # An instruction has no colour or deadline of its own: its state is whether an
    # answer to it was approved (answered_at).
    list_display = [
        "code_text",
        "subject_text",
        "state_text",
        "author",
        "lead_department",
        "created_at",
        "answered_at",
    ]
    list_filter = [InstructionStateFilter, "lead_department", "plan_year"]
    search_fields = [
        "text",
        "target__code",
        "target__title",
        "project__code",
        "project__name",
        "order__requirement",
    ]
    list_select_related = ["author", "target", "project", "order", "lead_department"]
    date_hierarchy = "created_at"
    inlines = [InstructionAnswerInline]

    @admin.display(description="编号", ordering="pk")
    def code_text(self, instruction: Instruction) -> str:
        return instruction.code

    @admin.display(description="批示事项")
    def subject_text(self, instruction: Instruction) -> str:
        return instruction.subject_title

    @admin.display(description="状态", ordering="answered_at")
    def state_text(self, instruction: Instruction) -> str:
        return "办理中" if instruction.is_open else "已办结"


@admin.register(OrderAnswer)
class OrderAnswerAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = [
        "order",
        "period_text",
        "state",
        "submitted_by",
        "first_submitted_at",
        "return_count",
        "reviewed_by",
    ]
    list_filter = ["state", "period", "order__lead_department"]
    search_fields = ["order__requirement", "measures", "progress"]
    list_select_related = [
        "order__target",
        "order__project",
        "submitted_by",
        "reviewed_by",
    ]
    inlines = [OrderAnswerEvidenceInline]
    period_text = month_column("period")


@admin.register(InstructionAnswer)
class InstructionAnswerAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = [
        "instruction",
        "period_text",
        "state",
        "submitted_by",
        "first_submitted_at",
        "return_count",
        "reviewed_by",
    ]
    list_filter = ["state", "period", "instruction__lead_department"]
    search_fields = ["instruction__text", "answer"]
    list_select_related = [
        "instruction__target",
        "instruction__project",
        "instruction__order",
        "submitted_by",
        "reviewed_by",
    ]
    inlines = [InstructionAnswerEvidenceInline]
    period_text = month_column("period")
