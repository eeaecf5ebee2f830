from django.urls import ResolverMatch
from django.utils.functional import SimpleLazyObject

from targets.models import PlanYear

# Which navigation entry a page belongs to, by URL namespace, then by URL name.
NAV_SECTIONS = {"targets": "dashboards", "projects": "projects"}
REPORTING_SECTIONS = {
    "review": "review",
    "review_target": "review",
    "review_project": "review",
    "review_bulk": "review",
    "missing": "missing",
    "remind": "missing",
    "timeliness": "timeliness",
}


def nav_section(match: ResolverMatch | None) -> str | None:
    if match is None:
        return None
    if match.namespace == "reporting":
        return REPORTING_SECTIONS.get(match.url_name, "report")
    return NAV_SECTIONS.get(match.namespace)


def site(request) -> dict:
    """The current section for the navigation and the 演示数据 banner (one query,
    when the template asks). The user's role flags come from org.context_processors."""
    return {
        "nav_section": nav_section(getattr(request, "resolver_match", None)),
        "demo_data": SimpleLazyObject(lambda: PlanYear.objects.filter(has_demo_data=True).exists()),
    }
