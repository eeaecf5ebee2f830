from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    default = True
    name = "supervision"
    verbose_name = "督查督办"

    def ready(self) -> None:
        from supervision.panels import register_panels

        register_panels()
