"""Admin pages for definitions (editable, with history) and for computed or workflow
rows (read-only: entries change through the reporting workflow, snapshots through
recompute)."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from org.audit_admin import AuditedAdminMixin
from targets.metrics import registry
from targets.models import (
    MANUAL_SOURCE,
    Evidence,
    PendingRecompute,
    PlanYear,
    Programme,
    ProgrammeSnapshot,
    ProgressEntry,
    Target,
    TargetSnapshot,
)

admin.site.site_header = "中原区政府工作报告目标任务监测平台 · 管理后台"
admin.site.site_title = "目标任务监测平台"
admin.site.index_title = "基础数据管理"


class ReadOnlyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Entries change through the reporting workflow and snapshots through recompute:
    an edit or delete here would bypass both (no history, no recompute), so the admin
    only shows them."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ProgrammeInline(admin.TabularInline):
    model = Programme
    fields = ["number", "name", "short_name"]
    extra = 0
    show_change_link = True


@admin.register(PlanYear)
class PlanYearAdmin(AuditedAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "year",
        "title",
        "adopted_on",
        "tolerance_points",
        "report_due_day",
        "has_demo_data",
    ]
    search_fields = ["title"]
    readonly_fields = ["has_demo_data"]
    fieldsets = [
        (None, {"fields": ["year", "title", "adopted_on"]}),
        ("考核设置", {"fields": ["tolerance_points", "report_due_day"]}),
        ("原文", {"fields": ["source_text", "has_demo_data"], "classes": ["collapse"]}),
    ]
    inlines = [ProgrammeInline]


class TargetInline(admin.TabularInline):
    model = Target
    fields = [
        "code",
        "title",
        "kind",
        "target_value",
        "unit",
        "deadline",
        "lead_department",
        "source",
    ]
    extra = 0
    show_change_link = True
    autocomplete_fields = ["lead_department"]


@admin.register(Programme)
class ProgrammeAdmin(AuditedAdminMixin, SimpleHistoryAdmin):
    list_display = ["number", "name", "short_name", "plan_year"]
    list_display_links = ["number", "name"]
    list_filter = ["plan_year"]
    search_fields = ["name", "short_name", "text"]
    inlines = [TargetInline]


class TargetAdminForm(forms.ModelForm):
    source = forms.ChoiceField(label="数据来源")

    class Meta:
        model = Target
        exclude: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(MANUAL_SOURCE, "各单位按月填报(manual)")] + [
            (name, f"派生:{label}") for name, label in registry.choices()
        ]
        self.fields["source"].help_text = Target._meta.get_field("source").help_text


@admin.register(Target)
class TargetAdmin(AuditedAdminMixin, SimpleHistoryAdmin):
    form = TargetAdminForm
    list_display = [
        "code",
        "title",
        "programme",
        "kind",
        "target_value",
        "unit",
        "deadline",
        "lead_department",
        "source",
    ]
    list_display_links = ["code", "title"]
    list_filter = ["programme__plan_year", "programme", "kind", "lead_department", "source"]
    search_fields = ["code", "title", "sentence"]
    autocomplete_fields = ["lead_department"]
    filter_horizontal = ["co_departments"]
    list_select_related = ["programme", "lead_department"]
    fieldsets = [
        (None, {"fields": ["programme", "code", "title", "sentence", "sort_order"]}),
        (
            "口径",
            {
                "fields": [
                    "kind",
                    "unit",
                    "baseline",
                    "target_value",
                    "direction",
                    "weight",
                    "source",
                ]
            },
        ),
        ("时限", {"fields": ["starts_on", "deadline"]}),
        ("责任", {"fields": ["lead_department", "co_departments"]}),
    ]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    fields = ["original_name", "size", "content_type", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ProgressEntry)
class ProgressEntryAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = [
        "target",
        "period",
        "state",
        "value",
        "percent",
        "done_on",
        "submitted_by",
        "first_submitted_at",
        "return_count",
        "reviewed_by",
        "updated_at",
    ]
    list_filter = ["state", "period", "target__programme", "target__lead_department", "is_demo"]
    search_fields = ["target__code", "target__title", "narrative"]
    list_select_related = ["target", "submitted_by", "reviewed_by"]
    date_hierarchy = "period"
    inlines = [EvidenceInline]


@admin.register(TargetSnapshot)
class TargetSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["target", "period", "status", "actual", "ratio", "expected", "computed_at"]
    list_filter = ["status", "period", "target__programme"]
    search_fields = ["target__code", "target__title"]
    list_select_related = ["target"]


@admin.register(ProgrammeSnapshot)
class ProgrammeSnapshotAdmin(ReadOnlyAdmin):
    list_display = [
        "plan_year",
        "programme",
        "period",
        "status",
        "ratio",
        "expected",
        "computed_at",
    ]
    list_filter = ["plan_year", "programme", "period"]
    list_select_related = ["plan_year", "programme"]


@admin.register(PendingRecompute)
class PendingRecomputeAdmin(ReadOnlyAdmin):
    list_display = ["target", "requested_at", "reason", "attempts", "failed_at", "last_error"]
    list_filter = [("failed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["target"]
