from django.apps import AppConfig


class ReportingConfig(AppConfig):
    """The monthly workflow pages: a department's month (every kind of report
    together), the review queue, missing reports, the Excel round trip.

    It sits above `targets` and `projects` because its pages combine them, and it
    loops over the adapters of the `workflow` registry instead of switching on the
    kind of report; the workflow itself (states, services) is the `workflow` app's.
    """

    name = "reporting"
    verbose_name = "月度填报与审核"
