"""django-axes' pages with Chinese column titles: its ``status`` and ``expiration``
columns have no description, so Django would title them "Status" and "Expiration"
(the rest of its labels are translated in locale/). Registered before
``audit_earlier_admins`` runs, with the audit mixin already in place."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin

from org.audit_admin import AuditedAdminMixin


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
    for model, model_admin in [
        (AccessAttempt, LockoutAdmin),
        (AccessLog, LoginLogAdmin),
        (AccessFailureLog, LoginFailureLogAdmin),
    ]:
        if site.is_registered(model):
            site.unregister(model)
            site.register(model, model_admin)
