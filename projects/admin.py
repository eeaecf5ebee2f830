from django.contrib import admin, messages
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from org.audit_admin import AuditedAdminMixin
from projects.metrics import PROJECT_FIELDS, request_derived_recompute
from projects.models import KeyProject, ProjectEvidence, ProjectProgress
from targets.admin import ReadOnlyAdmin
from targets.admin_display import month_column, number_column
from targets.clock import site_today
from targets.models import PlanYear
from targets.queries import register_reconciliations


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
        "total_investment_text",
        "annual_plan_text",
        "signed_amount_text",
        "leading_industry",
        "in_national_reserve",
        "listed",
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
        ("delisted_on", admin.EmptyFieldListFilter),
    ]
    actions = ["delist_today"]
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
            "投资与签约（亿元）",
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
        (
            "清单",
            {
                "fields": ["listed_on", "delisted_on"],
                "description": "项目不再列入重点项目清单时，填写移出清单日期（或在列表中用"
                "“移出清单”操作），不要删除：此前各月的数字保持不变。删除只用于纠正误录。",
            },
        ),
        (
            "储备与时限",
            {"fields": ["national_reserve_on", "starts_on", "started_on", "completes_on"]},
        ),
        ("来源", {"fields": ["named_in_report", "is_demo"]}),
    ]
    inlines = [ProjectProgressInline]
    total_investment_text = number_column("total_investment", "总投资（亿元）")
    annual_plan_text = number_column("annual_plan", "年度计划投资（亿元）")
    signed_amount_text = number_column("signed_amount", "签约额（亿元）")

    @admin.display(description="国家储备库", boolean=True)
    def in_national_reserve(self, project: KeyProject) -> bool:
        return project.in_national_reserve

    @admin.display(description="在清单", boolean=True)
    def listed(self, project: KeyProject) -> bool:
        return project.listed_at(site_today())

    @admin.action(description="移出清单（以今天为移出日期）")
    def delist_today(self, request, queryset) -> None:
        """The normal way a project leaves the list: dated, so the months before keep
        their figures (a deletion would rewrite them)."""
        today = site_today()
        with transaction.atomic():
            chosen = list(queryset.filter(delisted_on__isnull=True).select_for_update())
            refused = [p.code for p in chosen if p.listed_on > today]
            if refused:
                self.message_user(
                    request,
                    f"以下项目的列入清单日期晚于今天，不能移出：{'、'.join(refused)}。未做任何修改。",
                    messages.ERROR,
                )
                return
            for project in chosen:
                project.delisted_on = today
                project.save(update_fields=["delisted_on"])
                self.log_change(request, project, f"移出清单：{today:%Y-%m-%d}")
            for plan_year_id in sorted({p.plan_year_id for p in chosen}):
                self._request(plan_year_id, {"KeyProject.delisted_on"}, "重点项目移出清单")
        self.message_user(
            request, f"已移出清单 {len(chosen)} 个项目（移出日期 {today:%Y-%m-%d}）。"
        )

    def changelist_view(self, request, extra_context=None):
        # The register against the report's figures (356 个、2409.2 亿元、年度计划
        # 335.3 亿元), for the year shown (the filtered one, else the latest).
        year_id = request.GET.get("plan_year__id__exact")
        plan_year = (
            PlanYear.objects.filter(pk=year_id).first() if year_id and year_id.isdigit() else None
        ) or PlanYear.objects.order_by("-year").first()
        extra_context = {
            **(extra_context or {}),
            "reconciliations": (
                register_reconciliations(plan_year=plan_year, as_of=site_today())
                if plan_year
                else []
            ),
            "reconciled_year": plan_year,
        }
        return super().changelist_view(request, extra_context=extra_context)

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


class ProjectEvidenceInline(admin.TabularInline):
    model = ProjectEvidence
    fields = ["original_name", "size", "content_type", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ProjectProgress)
class ProjectProgressAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    inlines = [ProjectEvidenceInline]
    list_display = [
        "project",
        "period_text",
        "state",
        "investment_text",
        "stage",
        "submitted_by",
        "first_submitted_at",
        "return_count",
        "reviewed_by",
    ]
    list_filter = ["state", "period", "project__programme", "project__lead_department"]
    search_fields = ["project__code", "project__name"]
    list_select_related = ["project", "submitted_by", "reviewed_by"]
    period_text = month_column("period")
    investment_text = number_column("investment", "当月完成投资（亿元）")
