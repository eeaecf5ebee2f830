"""The admin pages of the 督查室's settings: who oversees what (分管区领导) and the
group robots (the URL and secret write-only, shown masked)."""

from django.contrib import admin

from org.audit_admin import AuditedAdminMixin
from supervision.forms import ChatHookForm
from supervision.models import ChatHook, DepartmentLeader, ProgrammeLeader


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
