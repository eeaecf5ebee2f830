from django.apps import AppConfig


class ReportingConfig(AppConfig):
    """The monthly workflow pages: a department's month (targets and projects
    together), the review queue, missing reports, the Excel round trip.

    It sits above both `targets` and `projects` because its pages combine them;
    the workflow rules themselves live in targets/services.py and projects/services.py.
    """

    name = "reporting"
    verbose_name = "月度填报与审核"
