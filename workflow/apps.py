from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    """The monthly-report workflow every kind of report shares: the abstract entry
    base, the state machine, one set of services and the adapter registry. It sits
    below `targets` and `projects` and imports neither: each kind registers an
    adapter (targets/adapters.py, projects/adapters.py) when its app loads."""

    name = "workflow"
    verbose_name = "月度填报流程"
