from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class OrgConfig(AppConfig):
    default = True
    name = "org"
    verbose_name = "单位与账号"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from org.middleware import on_login

        user_logged_in.connect(on_login, dispatch_uid="org.account_state")
        # Connects the audit log's receivers (login, logout, lockout, role changes).
        from org import audit_hooks  # noqa: F401


class ZhongyuanAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "org.admin_site.ZhongyuanAdminSite"


class LoginGuardConfig(AxesAppConfig):
    """django-axes, titled in Chinese in the admin (its AppConfig has no verbose name,
    so the section would read "Axes"; its labels come from locale/)."""

    default = False
    verbose_name = "登录防护"
