from datetime import date

from django.urls import path, register_converter

from reporting.views import entry, month, review, timeliness
from targets.periods import format_period, parse_period
from workflow.registry import registry


class MonthConverter:
    """``2025-10`` in a URL, the period (first day of the month) in the view."""

    regex = r"\d{4}-\d{2}"

    def to_python(self, value: str) -> date:
        return parse_period(value)  # a ValueError (2025-13) makes the URL not match: 404

    def to_url(self, value: date | str) -> str:
        return format_period(value) if isinstance(value, date) else value


# Converter names are global to the project: this one says whose it is.
register_converter(MonthConverter, "yyyy_mm")

app_name = "reporting"


def _kind_patterns() -> list:
    """One entry page and one review action per registered kind of report (the
    adapters are registered by the time the URLconf loads), all served by the same
    views: reverse("reporting:target_entry", …), "reporting:review_project" …"""
    patterns = []
    for adapter in registry:
        kind = {"kind": adapter.kind}
        patterns += [
            path(
                f"report/{adapter.kind}/<int:subject_id>/<yyyy_mm:period>/",
                entry.entry_page,
                kind,
                name=f"{adapter.kind}_entry",
            ),
            path(
                f"review/{adapter.kind}/<int:pk>/",
                review.review_entry,
                kind,
                name=f"review_{adapter.kind}",
            ),
        ]
        if adapter.evidence_model is not None:
            patterns += [
                path(
                    f"report/{adapter.kind}/evidence/<int:pk>/",
                    entry.evidence_download,
                    kind,
                    name=f"{adapter.kind}_evidence",
                ),
                path(
                    f"report/{adapter.kind}/evidence/<int:pk>/delete/",
                    entry.evidence_delete,
                    kind,
                    name=f"{adapter.kind}_evidence_delete",
                ),
            ]
    return patterns


urlpatterns = [
    path("report/", month.my_month, name="my_month"),
    *_kind_patterns(),
    path("report/excel/", month.excel_upload, name="excel"),
    path("report/excel/template/", month.excel_download, name="excel_template"),
    path("review/", review.review_queue, name="review"),
    path("review/approve/", review.review_bulk, name="review_bulk"),
    path("review/missing/", review.missing_reports, name="missing"),
    path("review/missing/remind/", review.send_reminder, name="remind"),
    path("review/timeliness/", timeliness.timeliness_page, name="timeliness"),
]
