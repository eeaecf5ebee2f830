"""django-axes' pages with Chinese column titles: its ``status`` and ``expiration``
columns have no description, so Django would title them "Status" and "Expiration"
(the rest of its labels are translated in locale/). Registered before
``audit_earlier_admins`` runs, with the audit mixin already in place."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.utils.formats import date_format
from django.utils.timezone import localtime

from org.audit_admin import AuditedAdminMixin


def _when(moment) -> str:
    return date_format(localtime(moment), "Y年n月j日 H:i:s") if moment else "—"


# django-axes names its rows with English f-strings ("Attempted Access: 2025-…"), which
# no catalogue translates; the admin shows that name in breadcrumbs, titles, the
# history and delete pages and the audit log's target. One Chinese name each instead.
def _attempt_name(self: AccessAttempt) -> str:
    return f"登录失败记录：{self.username or '—'}，{_when(self.attempt_time)}"


def _log_name(self: AccessLog) -> str:
    return f"登录记录：{self.username or '—'}，{_when(self.attempt_time)}"


def _failure_name(self: AccessFailureLog) -> str:
    locked = "（已锁定）" if self.locked_out else ""
    return (
        f"登录失败：{self.username or '—'}{locked}，{_when(self.attempt_time)}，{self.ip_address}"
    )


class LockoutAdmin(AuditedAdminMixin, AccessAttemptAdmin):
    @admin.display(description="状态")
    def status(self, obj: AccessAttempt) -> str:
        return super().status(obj)

    @admin.display(description="失效时间")
    def expiration(self, obj: AccessAttempt):
        return super().expiration(obj)


class LoginLogAdmin(AuditedAdminMixin, AccessLogAdmin):
    pass


class LoginFailureLogAdmin(AuditedAdminMixin, AccessFailureLogAdmin):
    pass


def register_axes_admins(site: admin.AdminSite) -> None:
    AccessAttempt.__str__ = _attempt_name
    AccessLog.__str__ = _log_name
    AccessFailureLog.__str__ = _failure_name
    for model, model_admin in [
        (AccessAttempt, LockoutAdmin),
        (AccessLog, LoginLogAdmin),
        (AccessFailureLog, LoginFailureLogAdmin),
    ]:
        if site.is_registered(model):
            site.unregister(model)
            site.register(model, model_admin)
