"""Admin pages for departments and accounts: each user's role and department is
edited on the user's own page."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from simple_history.admin import SimpleHistoryAdmin

# Also registers the audit log's own pages (audit admin only).
from org.audit_admin import AuditedAdminMixin, audit_earlier_admins
from org.models import Department, Profile


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    verbose_name_plural = "角色与所属单位"
    fields = ["role", "department", "is_demo"]


@admin.register(Department)
class DepartmentAdmin(AuditedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "short_name", "code", "kind", "email", "sort_order"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "code"]
    list_editable = ["sort_order"]


admin.site.unregister(User)


@admin.register(User)
class ZhongyuanUserAdmin(AuditedAdminMixin, UserAdmin):
    inlines = [ProfileInline]
    list_display = [
        "username",
        "first_name",
        "profile_role",
        "profile_department",
        "is_active",
        "last_login",
    ]
    list_filter = ["profile__role", "profile__department", "is_active", "is_superuser"]
    list_select_related = ["profile__department"]

    @admin.display(description="角色")
    def profile_role(self, user: User) -> str:
        profile = getattr(user, "profile", None)
        return profile.get_role_display() if profile else "—"

    @admin.display(description="所属单位")
    def profile_department(self, user: User) -> str:
        profile = getattr(user, "profile", None)
        return str(profile.department) if profile and profile.department else "—"


# Django's and django-axes' own pages were registered before this module ran.
audit_earlier_admins(admin.site)
