"""Admin pages for departments and accounts: each user's role and department is
edited on the user's own page.

Separated duties (三权分立): the system admin creates accounts (with an everyday
role) and resets passwords; the security admin assigns roles, admin duties
included, and (de)activates accounts; the audit admin reads. Permissions come from
the role (org.auth.AccountBackend), so the superuser, staff, group and per-user
permission fields are not shown.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from org import audit

# Also registers the audit log's own pages (audit admin only).
from org.audit_admin import RECORDED_AS, AuditedAdminMixin, audit_earlier_admins
from org.audit_hooks import current_request
from org.axes_admin import register_axes_admins
from org.models import Department, Profile, Role
from org.otp_admin import register_otp_admins
from org.policy import assignable_roles
from org.roles import role_of


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    # Exactly one profile: an unchanged or empty one is an error, not silently skipped.
    min_num = 1
    max_num = 1
    validate_min = True
    verbose_name_plural = "角色与所属单位"
    fields = ["role", "department", "is_demo", "must_change_password"]

    def roles_for(self, request, obj) -> list[str]:
        if obj is not None and obj.pk == request.user.pk:
            return []  # nobody changes their own role
        return assignable_roles(actor_role=role_of(request.user), adding=obj is None)

    def get_readonly_fields(self, request, obj=None):
        readonly = [] if self.roles_for(request, obj) else ["role"]
        if role_of(request.user) != Role.ADMIN:
            readonly += ["department", "is_demo", "must_change_password"]
        return readonly

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields.get("role")
        if field is not None:
            allowed = self.roles_for(request, obj)
            field.choices = [("", "---------")] + [(r, Role(r).label) for r in allowed]
        return formset


class ResetPasswordForm(AdminPasswordChangeForm):
    """An admin's reset: the user must choose their own password at next login."""

    @transaction.atomic
    def save(self, commit: bool = True):
        user = super().save(commit=commit)
        Profile.objects.filter(user=user).update(must_change_password=True)
        # Last write of the transaction (the audit chain's head stays locked until
        # commit). The admin's generic "admin.change" row is not written on top.
        audit.record(action="account.password_reset", request=current_request(), target=user)
        setattr(user, RECORDED_AS, "account.password_reset")
        return user


@admin.register(Department)
class DepartmentAdmin(AuditedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "short_name", "code", "kind", "email", "sort_order"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "code"]
    list_editable = ["sort_order"]


admin.site.unregister(User)
# Rights come from roles; groups would be a second, hidden way to grant them.
admin.site.unregister(Group)


@admin.register(User)
class ZhongyuanUserAdmin(AuditedAdminMixin, UserAdmin):
    inlines = [ProfileInline]
    change_password_form = ResetPasswordForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("first_name", "last_name", "email")}),
        ("状态", {"fields": ("is_active",)}),
        ("重要日期", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "first_name", "email", "password1", "password2"),
            },
        ),
    )
    list_display = [
        "username",
        "first_name",
        "profile_role",
        "profile_department",
        "is_active",
        "last_login",
    ]
    list_filter = ["profile__role", "profile__department", "is_active"]
    list_select_related = ["profile__department"]
    readonly_fields = ["last_login", "date_joined"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and role_of(request.user) != Role.ADMIN:
            # The security admin sees accounts and changes only whether they are active.
            return ["username", "first_name", "last_name", "email", "last_login", "date_joined"]
        return self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None and "usable_password" in form.base_fields:
            # Every new account gets a first password, changed at first login.
            del form.base_fields["usable_password"]
        return form

    def save_related(self, request, form, formsets, change) -> None:
        # A role given or changed in the inline is recorded (with before and after) by
        # the Profile signal in org.audit_hooks, the one trigger for every role change:
        # nothing is recorded here, or a change would be on the record twice.
        super().save_related(request, form, formsets, change)
        if not change:
            Profile.objects.filter(user=form.instance).update(must_change_password=True)

    def user_change_password(self, request, id, form_url=""):
        # Resetting a password is the system admin's duty alone.
        if role_of(request.user) != Role.ADMIN:
            raise PermissionDenied("只有系统管理员可以重置密码。")
        return super().user_change_password(request, id, form_url)

    @admin.display(description="角色")
    def profile_role(self, user: User) -> str:
        profile = getattr(user, "profile", None)
        return profile.get_role_display() if profile else "—"

    @admin.display(description="所属单位")
    def profile_department(self, user: User) -> str:
        profile = getattr(user, "profile", None)
        return str(profile.department) if profile and profile.department else "—"


register_axes_admins(admin.site)
register_otp_admins(admin.site)
# Django's and django-axes' own pages were registered before this module ran.
audit_earlier_admins(admin.site)
