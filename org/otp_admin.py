"""The second-factor devices in the admin, in Chinese. The security admin only looks
at them and deletes one to reset a lost authenticator (org.policy), so the pages show
Chinese read-only columns and fields instead of django-otp's English field names,
fieldset titles ("Identity", "Throttling") and search hint. Model names are set in
``chinese_model_names`` (Meta options are not migration state once a model is built,
field labels are, so those are replaced here rather than renamed)."""

from django.contrib import admin
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from org.audit_admin import AuditedAdminMixin

DASH = "—"
SHOWN = ["owner", "device_name", "is_confirmed", "created", "last_used", "failures"]


class ChineseDeviceAdmin(AuditedAdminMixin):
    list_display = ["owner", "device_name", "created", "last_used", "is_confirmed"]
    list_filter: list = []
    search_help_text = "按用户名或电子邮箱搜索"
    readonly_fields = SHOWN
    raw_id_fields: list = []
    radio_fields: dict = {}

    def get_list_display(self, request):
        return self.list_display

    def get_fieldsets(self, request, obj=None):
        return [(None, {"fields": SHOWN})]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="用户", ordering="user__username")
    def owner(self, device) -> str:
        return str(device.user)

    @admin.display(description="名称", ordering="name")
    def device_name(self, device) -> str:
        return device.name

    @admin.display(description="已启用", boolean=True, ordering="confirmed")
    def is_confirmed(self, device) -> bool:
        return device.confirmed

    @admin.display(description="创建时间", ordering="created_at")
    def created(self, device):
        return device.created_at or DASH

    @admin.display(description="最近使用", ordering="last_used_at")
    def last_used(self, device):
        return device.last_used_at or DASH

    @admin.display(description="连续验证失败次数")
    def failures(self, device) -> int:
        return device.throttling_failure_count


class TotpDeviceChineseAdmin(ChineseDeviceAdmin, TOTPDeviceAdmin):
    pass


class StaticDeviceChineseAdmin(ChineseDeviceAdmin, StaticDeviceAdmin):
    inlines: list = []


def chinese_model_names() -> None:
    from django.apps import apps

    for model, name in [(TOTPDevice, "动态口令设备"), (StaticDevice, "备用恢复码")]:
        model._meta.verbose_name = model._meta.verbose_name_plural = name
    # Their AppConfigs have no verbose name: the sections would read "Otp_Totp".
    apps.get_app_config("otp_totp").verbose_name = "双因素认证（动态口令）"
    apps.get_app_config("otp_static").verbose_name = "双因素认证（恢复码）"


def register_otp_admins(site: admin.AdminSite) -> None:
    chinese_model_names()
    for model, model_admin in [
        (TOTPDevice, TotpDeviceChineseAdmin),
        (StaticDevice, StaticDeviceChineseAdmin),
    ]:
        if site.is_registered(model):
            site.unregister(model)
            site.register(model, model_admin)
