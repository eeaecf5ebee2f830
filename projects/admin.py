from django.contrib import admin
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from org.audit_admin import AuditedAdminMixin
from projects.metrics import PROJECT_FIELDS, request_derived_recompute
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
class KeyProjectAdmin(AuditedAdminMixin, SimpleHistoryAdmin):
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

    # A project's record feeds the derived targets: each save or delete here asks,
    # once, for the recompute of the targets whose metric reads what changed (the
    # admin's views run in a transaction, so the outbox rows commit with the change).

    def save_model(self, request, obj: KeyProject, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            self._request(obj.plan_year_id, PROJECT_FIELDS, "重点项目新增")
            return
        changed = {f"KeyProject.{name}" for name in form.changed_data} & PROJECT_FIELDS
        self._request(obj.plan_year_id, changed, "重点项目修改")
        moved_from = form.initial.get("plan_year")
        if "plan_year" in form.changed_data and moved_from:
            # The year it left loses it: every figure there may move.
            self._request(moved_from, PROJECT_FIELDS, "重点项目移出本年度")

    def delete_model(self, request, obj: KeyProject) -> None:
        plan_year_id = obj.plan_year_id
        super().delete_model(request, obj)
        self._request(plan_year_id, PROJECT_FIELDS, "重点项目删除")

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            plan_year_ids = set(queryset.values_list("plan_year_id", flat=True))
            super().delete_queryset(request, queryset)
            for plan_year_id in sorted(plan_year_ids):
                self._request(plan_year_id, PROJECT_FIELDS, "重点项目删除")

    @staticmethod
    def _request(plan_year_id: int, changed, reason: str) -> None:
        request_derived_recompute(plan_year_id=plan_year_id, changed=changed, reason=reason)


@admin.register(ProjectProgress)
class ProjectProgressAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = [
        "project",
        "period",
        "state",
        "investment",
        "stage",
        "submitted_by",
        "first_submitted_at",
        "return_count",
        "reviewed_by",
    ]
    list_filter = ["state", "period", "project__programme", "project__lead_department"]
    search_fields = ["project__code", "project__name"]
    list_select_related = ["project", "submitted_by", "reviewed_by"]
