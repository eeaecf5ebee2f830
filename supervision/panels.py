"""What this app adds to lower pages (workflow/panels.py): the overview's
"生成本月通报" button and its line on corrections to the latest closed month, the
target and project pages' escalation card and the target page's corrections after a
month closed. Registered in SupervisionConfig.ready()."""

from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from reporting.access import can_read_department
from supervision import access, ladder, prose, queries
from supervision.escalation import cards_at
from supervision.models import ACTIVE_STATES, OrderState, SupervisionOrder
from targets import cache as page_cache
from workflow.panels import Panel, register

# Red cards listed on the overview before "另有 N 项".
CARDS_SHOWN = 20


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


def _card(request: HttpRequest, subject, steps_of) -> dict | None:
    user = getattr(request, "user", None)  # none on a request that skipped the middleware
    if subject is None or user is None or not user.is_authenticated:
        return None
    steps = steps_of(subject)
    if not steps:
        return None
    return {"steps": list(reversed(steps)), "current": steps[-1]}


def target_context(request: HttpRequest, target) -> dict | None:
    """The target's card and its history (one query; a second when it has steps)."""
    return _card(request, target, queries.target_steps)


def project_context(request: HttpRequest, project) -> dict | None:
    """The key project's card and its history, as the target's."""
    return _card(request, project, queries.project_steps)


def target_corrections_context(request: HttpRequest, target) -> dict | None:
    """The target's entries for closed months that came in or changed after the month
    closed (one query): where the corrected figure is counted, and that the month's
    bulletin stays as it was."""
    user = getattr(request, "user", None)
    if target is None or user is None or not user.is_authenticated:
        return None
    found = queries.corrections(
        plan_year=target.programme.plan_year,
        periods=queries.closed_periods(target.programme.plan_year),
        target=target,
    )
    if not found:
        return None
    # The entry page (its history) is for those who may read the department's reports.
    linked = can_read_department(user, target.lead_department_id)
    notes = []
    for period in sorted(found):
        for fix in found[period]:
            corrected_on = timezone.localdate(fix.submitted_at) if fix.submitted_at else None
            notes.append(
                {
                    "text": prose.correction_note(
                        period, corrected_on, fix.version, published=fix.bulletin_published
                    ),
                    "url": reverse("reporting:target_entry", args=[target.pk, period])
                    if linked
                    else None,
                }
            )
    return {"notes": notes}


def overview_corrections_context(request: HttpRequest, as_of) -> dict | None:
    """How many corrections the latest closed month has (one query), for those who may
    see the months page it links to."""
    user = getattr(request, "user", None)
    plan_year = getattr(as_of, "plan_year", None)
    if user is None or not access.can_read(user) or plan_year is None:
        return None

    def count() -> tuple:
        found = queries.corrections(
            plan_year=plan_year, periods=queries.latest_closed_period(plan_year)
        )
        (period, fixes), *_ = found.items() or [(None, [])]  # the one month asked about
        return (period, len(fixes))

    # Under the year's generation (the query is a third of a warm overview's time): a
    # correction is an entry whose recompute bumps it, and closing or reopening a month
    # bumps it too (supervision/closing.py).
    period, number = page_cache.cached(plan_year.pk, "supervision:corrections", (), count)
    if not number:
        return None
    return {"period": period, "count": number, "months_url": reverse("supervision:months")}


def cards_context(request: HttpRequest, as_of) -> dict | None:
    """The red cards held at the overview's month (steps exist for closed months
    only) and how many 督办单 are being worked on or wait for the reviewer's
    confirmation (two queries)."""
    user = getattr(request, "user", None)
    plan_year = getattr(as_of, "plan_year", None)
    if user is None or not user.is_authenticated or plan_year is None or as_of.period is None:
        return None
    held = cards_at(plan_year=plan_year, period=as_of.period).values()
    red = sorted(
        (step for step in held if step.level >= ladder.RED),
        key=lambda step: (-step.level, step.target.programme.number, step.target.sort_order),
    )
    counts = SupervisionOrder.objects.filter(plan_year=plan_year).aggregate(
        active=Count("pk", filter=Q(state__in=ACTIVE_STATES)),
        drafts=Count("pk", filter=Q(state=OrderState.DRAFT)),
    )
    if not red and not counts["active"] and not counts["drafts"]:
        return None
    return {
        "cards": red[:CARDS_SHOWN],
        "more": max(0, len(red) - CARDS_SHOWN),
        "active": counts["active"],
        "drafts": counts["drafts"] if access.can_close(user) else 0,
        "orders_url": reverse("supervision:orders"),
    }


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
        "overview",
        Panel(
            name="supervision.cards",
            template="supervision/_cards_panel.html",
            context=cards_context,
            order=40,
        ),
    )
    register(
        "overview",
        Panel(
            name="supervision.corrections",
            template="supervision/_overview_corrections.html",
            context=overview_corrections_context,
            order=45,
        ),
    )
    register(
        "target",
        Panel(
            name="supervision.corrections",
            template="supervision/_target_corrections.html",
            context=target_corrections_context,
            order=45,
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
    register(
        "project",
        Panel(
            name="supervision.escalation",
            # The target's card: it shows steps only, whatever their subject.
            template="supervision/_target_panel.html",
            context=project_context,
            order=50,
        ),
    )
