from datetime import date

from django.urls import path, register_converter

from reporting.views import entry, month, review
from targets.periods import format_period, parse_period


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

urlpatterns = [
    path("report/", month.my_month, name="my_month"),
    # One entry page and one review action for every kind of report; the URL names
    # say the kind (reverse("reporting:target_entry", …)), the view asks its adapter.
    path(
        "report/target/<int:subject_id>/<yyyy_mm:period>/",
        entry.entry_page,
        {"kind": "target"},
        name="target_entry",
    ),
    path(
        "report/project/<int:subject_id>/<yyyy_mm:period>/",
        entry.entry_page,
        {"kind": "project"},
        name="project_entry",
    ),
    # Evidence belongs to target entries (the one kind that has it).
    path("report/evidence/<int:pk>/", entry.evidence_download, {"kind": "target"}, name="evidence"),
    path(
        "report/evidence/<int:pk>/delete/",
        entry.evidence_delete,
        {"kind": "target"},
        name="evidence_delete",
    ),
    path("report/excel/", month.excel_upload, name="excel"),
    path("report/excel/template/", month.excel_download, name="excel_template"),
    path("review/", review.review_queue, name="review"),
    path("review/target/<int:pk>/", review.review_entry, {"kind": "target"}, name="review_target"),
    path(
        "review/project/<int:pk>/", review.review_entry, {"kind": "project"}, name="review_project"
    ),
    path("review/approve/", review.review_bulk, name="review_bulk"),
    path("review/missing/", review.missing_reports, name="missing"),
    path("review/missing/remind/", review.send_reminder, name="remind"),
]
