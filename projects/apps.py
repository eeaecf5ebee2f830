from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "重点项目"

    def ready(self) -> None:
        # Registers the project sums into targets' metric registry, and project
        # progress into the workflow's adapter registry.
        from projects import adapters, metrics  # noqa: F401
