from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "targets"
    verbose_name = "目标任务"

    def ready(self) -> None:
        # Registers target entries into the workflow's adapter registry.
        from targets import adapters, signals  # noqa: F401
