from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    default = True
    name = "supervision"
    verbose_name = "督查督办"

    def ready(self) -> None:
        # The answers to 督办单 and 批示 as kinds of monthly report (workflow registry),
        # the panels on the lower apps' pages (the month's bulletin button and escalation
        # card, and the orders' panels for 督办单 and 批示 too) and the group robots as
        # outbound channels.
        from supervision import adapters, order_panels, panels, push  # noqa: F401

        panels.register_panels()
        order_panels.register()
        push.register()
