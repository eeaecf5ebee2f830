"""What this app adds to lower pages (workflow/panels.py): the overview's
"生成本月通报" button and the target page's escalation card. Registered in
SupervisionConfig.ready()."""

from django.http import HttpRequest

from supervision import access, queries
from workflow.panels import Panel, register


def overview_context(request: HttpRequest, as_of) -> dict | None:
    """The button for the month the overview shows (no query: whether the month is
    closed is checked when the button is pressed)."""
    user = getattr(request, "user", None)
    if user is None or not access.can_generate(user) or as_of is None or as_of.period is None:
        return None
    return {
        "period": as_of.period,
        "can_publish": access.can_publish(user),
        "can_close": access.can_close(user),
    }


def target_context(request: HttpRequest, target) -> dict | None:
    """The target's card and its history (one query)."""
    user = getattr(request, "user", None)  # none on a request that skipped the middleware
    if target is None or user is None or not user.is_authenticated:
        return None
    steps = queries.target_steps(target)
    if not steps:
        return None
    return {"steps": list(reversed(steps)), "current": steps[-1]}


def register_panels() -> None:
    register(
        "overview",
        Panel(
            name="supervision.bulletin",
            template="supervision/_overview_panel.html",
            context=overview_context,
            order=50,
        ),
    )
    register(
        "target",
        Panel(
            name="supervision.escalation",
            template="supervision/_target_panel.html",
            context=target_context,
            order=50,
        ),
    )
