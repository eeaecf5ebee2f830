from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from projects.models import KeyProject, ProjectProgress
from targets.admin import ReadOnlyAdmin


class ProjectProgressInline(admin.TabularInline):
    model = ProjectProgress
    fields = ["period", "state", "investment", "stage", "notes"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-period"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(KeyProject)
class KeyProjectAdmin(SimpleHistoryAdmin):
    list_display = [
        "code",
        "name",
        "programme",
        "lead_department",
        "category",
        "stage",
        "total_investment",
        "annual_plan",
        "signed_amount",
        "leading_industry",
        "in_national_reserve",
        "is_demo",
    ]
    list_display_links = ["code", "name"]
    list_filter = [
        "plan_year",
        "programme",
        "stage",
        "category",
        "leading_industry",
        "lead_department",
        "named_in_report",
        "is_demo",
        ("national_reserve_on", admin.EmptyFieldListFilter),
    ]
    search_fields = ["code", "name", "description"]
    autocomplete_fields = ["lead_department"]
    list_select_related = ["programme", "lead_department"]
    readonly_fields = ["is_demo"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "plan_year",
                    "code",
                    "name",
                    "programme",
                    "lead_department",
                    "category",
                    "stage",
                    "description",
                ]
            },
        ),
        (
            "投资与签约(亿元)",
            {
                "fields": [
                    "total_investment",
                    "annual_plan",
                    "signed_amount",
                    "signed_on",
                    "leading_industry",
                ]
            },
        ),
        ("储备与时限", {"fields": ["national_reserve_on", "starts_on", "completes_on"]}),
        ("来源", {"fields": ["named_in_report", "is_demo"]}),
    ]
    inlines = [ProjectProgressInline]

    @admin.display(description="国家储备库", boolean=True)
    def in_national_reserve(self, project: KeyProject) -> bool:
        return project.in_national_reserve


@admin.register(ProjectProgress)
class ProjectProgressAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = [
        "project",
        "period",
        "state",
        "investment",
        "stage",
        "submitted_by",
        "reviewed_by",
    ]
    list_filter = ["state", "period", "project__programme", "project__lead_department"]
    search_fields = ["project__code", "project__name"]
    list_select_related = ["project", "submitted_by", "reviewed_by"]
