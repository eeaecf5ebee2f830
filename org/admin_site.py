"""The admin site answers to roles (三权分立), not to is_staff or is_superuser, and
has no login form of its own: everyone signs in through /login/ (with the second
factor), so there is one way in to protect."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from org.policy import ADMIN_SITE_ROLES
from org.roles import role_of


class ZhongyuanAdminSite(admin.AdminSite):
    site_header = "中原区目标任务监测平台 管理后台"
    site_title = "管理后台"
    index_title = "管理后台"

    def has_permission(self, request) -> bool:
        user = request.user
        return user.is_active and role_of(user) in ADMIN_SITE_ROLES

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect(self.index_url())
            raise PermissionDenied("管理后台仅供系统管理员、安全管理员和审计管理员使用。")
        return redirect_to_login(request.GET.get("next") or self.index_url())

    def password_change(self, request, extra_context=None):
        # One page changes a password (org.views.PasswordChangeView): it clears a forced
        # change, keeps the session's state and is audited. The admin's own page
        # would do none of that.
        from django.urls import reverse
        from django.utils.http import urlencode

        return redirect(f"{reverse('password_change')}?{urlencode({'next': self.index_url()})}")

    def index_url(self) -> str:
        from django.urls import reverse

        return reverse("admin:index", current_app=self.name)
