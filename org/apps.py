from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "org"
    verbose_name = "单位与账号"

    def ready(self) -> None:
        # Connects the audit log's receivers (login, logout, lockout, role changes).
        from org import audit_hooks  # noqa: F401
