"""Transitional: no signal receivers live here any more (recompute requests come from
the services and the admin, once per change: projects.metrics.request_derived_recompute).

``projects/services.py`` still imports this name until the workflow branch rewrites it
to call ``request_derived_recompute`` itself; delete this module then.
"""

from projects.metrics import request_derived_recompute

# What a monthly progress write can change: its counted investment and state, and,
# once approved, the project's stage.
PROGRESS_CHANGE = (
    "ProjectProgress.investment",
    "ProjectProgress.state",
    "ProjectProgress.stage",
    "KeyProject.stage",
)


def recompute_derived_targets(plan_year_id: int, reason: str) -> None:
    request_derived_recompute(plan_year_id=plan_year_id, changed=PROGRESS_CHANGE, reason=reason)
