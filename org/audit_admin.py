"""The audit log in the admin: readable and filterable by the audit admin only, and
read-only for everyone (三权分立: the system admin, who changes things, does not read or
touch the record of the changes).

``AuditedAdminMixin`` is the one trigger for the admin's own adds, changes and deletes:
every ModelAdmin on the site uses it (tests/org/test_audit_admin.py checks). It hooks
``log_addition`` / ``log_change`` / ``log_deletions`` rather than LogEntry's post_save
because those have the request (address) and the deletions are logged with bulk_create,
which sends no signal."""

from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.http import HttpRequest
from django.utils.timezone import localtime

from org import audit
from org.audit_models import AuditArchive, AuditEvent
from org.glossary import ROLE, audit_action_label, display_name
from org.models import OutboundMessage

# Set on an object whose change was already recorded under a more specific action
# (an admin's password reset: "account.password_reset"), so the generic admin row is
# not written a second time for the same change.
RECORDED_AS = "_audit_recorded_as"


class AuditedAdminMixin:
    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        audit.record(action="admin.add", request=request, target=obj, detail={"change": message})
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if not getattr(obj, RECORDED_AS, None):
            detail = {"change": message}
            audit.record(action="admin.change", request=request, target=obj, detail=detail)
        return entry

    def log_deletions(self, request, queryset):
        entries = super().log_deletions(request, queryset)
        for obj in queryset:
            audit.record(action="admin.delete", request=request, target=obj)
        return entries


def audit_earlier_admins(site: admin.AdminSite) -> None:
    """Give the mixin to the pages registered before ours by Django and django-axes
    (groups; lockouts, where deleting an AccessAttempt unlocks an account)."""
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, AuditedAdminMixin | AuditReadOnlyAdmin):
            continue
        base = type(model_admin)
        site.unregister(model)
        site.register(model, type(f"Audited{base.__name__}", (AuditedAdminMixin, base), {}))


class AuditReadOnlyAdmin(admin.ModelAdmin):
    """Who reads comes from the role (org.policy.ROLE_PERMISSIONS grants the audit admin
    org.view_auditevent and org.view_auditarchive); nobody adds, changes or deletes,
    whatever a role were to grant."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.{get_permission_codename('view', opts)}")

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ActionFilter(admin.SimpleListFilter):
    """Filter by the action's code (``?action=org.role_change``), offered by its label:
    one choice per action the log holds."""

    title = "操作"
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin):
        codes = (
            model_admin.get_queryset(request).order_by("action").values_list("action", flat=True)
        )
        return [(code, audit_action_label(code)) for code in codes.distinct()]

    def queryset(self, request: HttpRequest, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


class RoleFilter(admin.SimpleListFilter):
    title = "角色"
    parameter_name = "actor_role"

    def lookups(self, request: HttpRequest, model_admin):
        return list(ROLE.items())

    def queryset(self, request: HttpRequest, queryset):
        return queryset.filter(actor_role=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(AuditReadOnlyAdmin):
    list_display = [
        "seq",
        "when",
        "actor_username",
        "role",
        "address",
        "action_label",
        "target_repr",
        "result",
    ]
    list_filter = ["result", ActionFilter, RoleFilter, "occurred_at"]
    search_fields = ["actor_username", "address", "action", "target_repr", "target_pk"]
    date_hierarchy = "occurred_at"
    list_per_page = 100
    show_full_result_count = False
    fields = [
        "seq",
        "when",
        "actor_id",
        "actor_username",
        "role",
        "address",
        "action_code",
        "target_model",
        "target_pk",
        "target_repr",
        "result",
        "detail",
        "prev_hash",
        "hash",
    ]
    readonly_fields = fields

    @admin.display(description="操作", ordering="action")
    def action_label(self, event: AuditEvent) -> str:
        return audit_action_label(event.action)

    @admin.display(description="操作")
    def action_code(self, event: AuditEvent) -> str:
        # The detail page shows the code beside the label: what a filter or a log
        # collector searches for.
        label = audit_action_label(event.action)
        return label if label == event.action else f"{label}（{event.action}）"

    @admin.display(description="角色", ordering="actor_role")
    def role(self, event: AuditEvent) -> str:
        return ROLE.get(event.actor_role, event.actor_role) or "—"

    @admin.display(description="时间", ordering="occurred_at")
    def when(self, event: AuditEvent) -> str:
        # With its offset, so a reader elsewhere (or a log collector) is never unsure.
        return localtime(event.occurred_at).isoformat(sep=" ", timespec="seconds")


@admin.register(AuditArchive)
class AuditArchiveAdmin(AuditReadOnlyAdmin):
    list_display = ["file_name", "created_at", "actor_username", "before", "count", "last_hash"]
    readonly_fields = [f.name for f in AuditArchive._meta.fields]


@admin.register(OutboundMessage)
class OutboundMessageAdmin(AuditReadOnlyAdmin):
    """The outbound log: every notice, e-mail and chat push, read only."""

    list_display = [
        "created_at",
        "event",
        "channel",
        "recipient_name",
        "address",
        "subject",
        "status",
        "attempts",
        "read_at",
    ]
    list_filter = ["channel", "event", "status"]
    search_fields = ["subject", "address", "recipient__username", "recipient__first_name"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient", "recipient__profile"]

    @admin.display(description="接收人")
    def recipient_name(self, message: OutboundMessage) -> str:
        return display_name(message.recipient) if message.recipient_id else "—"
