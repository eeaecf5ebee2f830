"""Panels an app higher up adds to a page lower down.

The supervision app shows its escalation card, 督办单 and 领导批示 on the target and
project pages, on the overview and at the top of a clerk's ``/report/``; those pages
live in apps below it and must not import it. So the page names a slot
(``{% page_panels "target" target %}``) and the higher app registers what goes in
it. A panel's ``context`` returns None to show nothing for this object and request.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

# The slots pages offer; a typo in a registration fails loudly at start-up.
SLOTS = frozenset({"overview", "programme", "target", "project", "report"})


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable[[HttpRequest, Any], dict | None]
    order: int = 100


_panels: dict[str, dict[str, Panel]] = defaultdict(dict)


def register(slot: str, panel: Panel) -> None:
    """Add a panel to a slot (re-registering a name replaces it)."""
    if slot not in SLOTS:
        raise ValueError(f"unknown panel slot {slot!r}; known: {sorted(SLOTS)}")
    _panels[slot][panel.name] = panel


def unregister(slot: str, name: str) -> None:
    _panels[slot].pop(name, None)


def panels_for(slot: str, request: HttpRequest, obj: Any = None) -> list[tuple[str, dict]]:
    """The (template, context) pairs to render in ``slot``, in order."""
    shown = []
    for panel in sorted(_panels[slot].values(), key=lambda p: (p.order, p.name)):
        context = panel.context(request, obj)
        if context is not None:
            shown.append((panel.template, context))
    return shown
