"""Admin pages for definitions (editable, with history) and for computed or workflow
rows (read-only: entries change through the reporting workflow, snapshots through
recompute)."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from org.audit_admin import AuditedAdminMixin
from targets.admin_display import (
    SourceListFilter,
    month_column,
    number_column,
    ratio_column,
    source_choices,
    source_column,
)
from targets.models import (
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
        "tolerance_points_text",
        "report_due_day",
        "counting",
        "has_demo_data",
    ]
    search_fields = ["title"]
    readonly_fields = ["has_demo_data"]
    fieldsets = [
        (None, {"fields": ["year", "title", "adopted_on"]}),
        ("考核设置", {"fields": ["tolerance_points", "report_due_day", "counting"]}),
        (
            "异常数值提示",
            {
                "fields": [
                    "plausibility_max_multiple",
                    "plausibility_max_jump_share",
                    "plausibility_slip_ratio",
                ]
            },
        ),
        (
            "督查督办",
            {
                "fields": [
                    "ladder_yellow_months",
                    "ladder_red_months",
                    "ladder_bulletin_months",
                    "honour_min_rate",
                    "honour_min_progress",
                    "blacklist_max_rate",
                    "blacklist_max_progress",
                ]
            },
        ),
        ("原文", {"fields": ["source_text", "has_demo_data"], "classes": ["collapse"]}),
    ]
    inlines = [ProgrammeInline]
    tolerance_points_text = number_column("tolerance_points", "滞后容差（百分点）")


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
        self.fields["source"].choices = source_choices()
        # The model's help text explains the stored codes; the admin shows labels only.
        self.fields[
            "source"
        ].help_text = "各单位按月填报，或由重点项目台账自动汇总（汇总的指标不能手工填报）。"


@admin.register(Target)
class TargetAdmin(AuditedAdminMixin, SimpleHistoryAdmin):
    form = TargetAdminForm
    list_display = [
        "code",
        "title",
        "programme",
        "kind",
        "target_value_text",
        "unit",
        "deadline",
        "lead_department",
        "source_text",
    ]
    list_display_links = ["code", "title"]
    list_filter = ["programme__plan_year", "programme", "kind", "lead_department", SourceListFilter]
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
    target_value_text = number_column("target_value", "目标值")
    source_text = source_column()


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
        "period_text",
        "state",
        "value_text",
        "percent_text",
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
    period_text = month_column("period")
    value_text = number_column("value", "数值")
    percent_text = number_column("percent", "完成进度（%）")


@admin.register(TargetSnapshot)
class TargetSnapshotAdmin(ReadOnlyAdmin):
    list_display = [
        "target",
        "period_text",
        "status",
        "actual_text",
        "ratio_text",
        "expected_text",
        "computed_at",
    ]
    list_filter = ["status", "period", "target__programme"]
    search_fields = ["target__code", "target__title"]
    list_select_related = ["target"]
    period_text = month_column("period")
    actual_text = number_column("actual", "实际值")
    ratio_text = ratio_column("ratio", "完成率")
    expected_text = ratio_column("expected", "序时进度")


@admin.register(ProgrammeSnapshot)
class ProgrammeSnapshotAdmin(ReadOnlyAdmin):
    list_display = [
        "plan_year",
        "programme",
        "period_text",
        "status",
        "ratio_text",
        "expected_text",
        "computed_at",
    ]
    list_filter = ["plan_year", "programme", "period"]
    list_select_related = ["plan_year", "programme"]
    period_text = month_column("period")
    ratio_text = ratio_column("ratio", "完成度")
    expected_text = ratio_column("expected", "序时进度")


@admin.register(PendingRecompute)
class PendingRecomputeAdmin(ReadOnlyAdmin):
    list_display = ["target", "requested_at", "reason", "attempts", "failed_at", "last_error"]
    list_filter = [("failed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["target"]
