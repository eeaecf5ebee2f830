from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    default = True
    name = "supervision"
    verbose_name = "督查督办"

    def ready(self) -> None:
        # The answers to 督办单 and 批示 as kinds of monthly report (workflow registry),
        # the panels on the lower apps' pages, and the group robots as outbound channels.
        from supervision import adapters, panels, push  # noqa: F401

        panels.register()
        push.register()
