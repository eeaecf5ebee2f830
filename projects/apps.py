from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "重点项目"

    def ready(self) -> None:
        # Registers the project sums into targets' metric registry.
        from projects import metrics  # noqa: F401
