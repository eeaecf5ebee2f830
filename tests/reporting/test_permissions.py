"""Who may do what: every reporting and review URL (its GET and its POST actions) ×
every kind of user, asserting the status code of each cell.

Columns: anonymous, staff of the department that owns the row, staff of another
department, reviewer, leader, admin. 302 is a redirect after success — or, for the
anonymous column, to the login page (checked separately below).
"""

import io
from dataclasses import dataclass
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting.excel.template import build_template
from reporting.queries import month_page
from targets.models import EntryState, Evidence
from tests import factories as f
from tests.reporting.conftest import JUNE, MAY, TODAY
from tests.reporting.helpers import pdf_bytes

ROLES = ("anonymous", "own_staff", "other_staff", "reviewer", "leader", "admin")


@dataclass
class Rows:
    submitted: object
    approved: object
    submitted_progress: object
    approved_progress: object
    evidence: Evidence
    workbook: bytes


@pytest.fixture
def rows(world) -> Rows:
    submitted = f.entry(world.cumulative, JUNE, value=D(200))
    approved = f.entry(world.level, JUNE, value=D(9), state=EntryState.APPROVED)
    evidence = Evidence.objects.create(
        entry=submitted,
        file=SimpleUploadedFile("证明.pdf", pdf_bytes()),
        original_name="证明.pdf",
        size=len(pdf_bytes()),
        content_type="application/pdf",
        uploaded_by=world.users["own_staff"],
    )
    submitted_progress = f.progress(world.project, JUNE, investment=D(1))
    approved_progress = f.progress(world.project, MAY, state=EntryState.APPROVED)
    page = month_page(department=world.own, plan_year=world.year, period=JUNE, today=TODAY)
    return Rows(
        submitted=submitted,
        approved=approved,
        submitted_progress=submitted_progress,
        approved_progress=approved_progress,
        evidence=evidence,
        workbook=build_template(page),
    )


def workbook(w, r):
    return {"submit": "1", "workbook": SimpleUploadedFile("月报.xlsx", r.workbook)}


def review(action, attr, name="reporting:review_target"):
    def data(w, r):
        obj = getattr(r, attr)
        return {"action": action, "reason": "请核实。", "version": obj.version}

    return data, lambda w, r: reverse(name, args=[getattr(r, attr).pk])


OK, NO, AWAY = 200, 403, 302
# name: (method, url, data, codes for ROLES)
CASES = {
    "my_month": ("get", lambda w, r: "/report/", None, (AWAY, OK, OK, NO, NO, OK)),
    "my_month_of_department": (
        "get",
        lambda w, r: "/report/?department=own&month=2025-06",
        None,
        (AWAY, OK, NO, NO, NO, OK),
    ),
    "target_entry": (
        "get",
        lambda w, r: reverse("reporting:target_entry", args=[w.milestone.pk, JUNE]),
        None,
        (AWAY, OK, NO, OK, OK, OK),
    ),
    "target_entry_save": (
        "post",
        lambda w, r: reverse("reporting:target_entry", args=[w.milestone.pk, JUNE]),
        lambda w, r: {"version": "0", "action": "save", "percent": "10"},
        (AWAY, AWAY, NO, NO, NO, AWAY),
    ),
    "derived_target_save": (
        "post",
        lambda w, r: reverse("reporting:target_entry", args=[w.derived.pk, JUNE]),
        lambda w, r: {"version": "0", "action": "save", "value": "10"},
        (AWAY, NO, NO, NO, NO, NO),
    ),
    "project_entry": (
        "get",
        lambda w, r: reverse("reporting:project_entry", args=[w.project.pk, JUNE]),
        None,
        (AWAY, OK, NO, OK, OK, OK),
    ),
    "project_entry_save": (
        "post",
        lambda w, r: reverse("reporting:project_entry", args=[w.project.pk, TODAY]),
        lambda w, r: {"version": "0", "action": "save", "investment": "1"},
        (AWAY, AWAY, NO, NO, NO, AWAY),
    ),
    "evidence_download": (
        "get",
        lambda w, r: reverse("reporting:target_evidence", args=[r.evidence.pk]),
        None,
        (AWAY, OK, NO, OK, OK, OK),
    ),
    "evidence_delete": (
        "post",
        lambda w, r: reverse("reporting:target_evidence_delete", args=[r.evidence.pk]),
        lambda w, r: {"version": r.submitted.version},
        (AWAY, AWAY, NO, NO, NO, AWAY),
    ),
    "excel_page": ("get", lambda w, r: "/report/excel/", None, (AWAY, OK, OK, NO, NO, OK)),
    "excel_template": (
        "get",
        lambda w, r: "/report/excel/template/?department=own&month=2025-06",
        None,
        (AWAY, OK, NO, NO, NO, OK),
    ),
    "excel_upload": (
        "post",
        lambda w, r: "/report/excel/",
        workbook,
        (AWAY, AWAY, NO, NO, NO, AWAY),
    ),
    "review_queue": ("get", lambda w, r: "/review/", None, (AWAY, NO, NO, OK, NO, OK)),
    "review_bulk_approve": (
        "post",
        lambda w, r: reverse("reporting:review_bulk"),
        lambda w, r: {
            "item": [
                f"target:{r.submitted.pk}:{r.submitted.version}",
                f"project:{r.submitted_progress.pk}:{r.submitted_progress.version}",
            ]
        },
        (AWAY, NO, NO, AWAY, NO, AWAY),
    ),
    "missing": ("get", lambda w, r: "/review/missing/", None, (AWAY, NO, NO, OK, NO, OK)),
    "remind": (
        "post",
        lambda w, r: reverse("reporting:remind"),
        lambda w, r: {"month": "2025-06", "department": "own"},
        (AWAY, NO, NO, AWAY, NO, AWAY),
    ),
}
for _action, _attr in (("approve", "submitted"), ("return", "submitted"), ("reopen", "approved")):
    _data, _url = review(_action, _attr)
    CASES[f"review_target_{_action}"] = ("post", _url, _data, (AWAY, NO, NO, AWAY, NO, AWAY))
    _data, _url = review(_action, f"{_attr}_progress", "reporting:review_project")
    CASES[f"review_project_{_action}"] = ("post", _url, _data, (AWAY, NO, NO, AWAY, NO, AWAY))

MATRIX = [
    pytest.param(name, role, codes[i], id=f"{name}-{role}")
    for name, (_m, _u, _d, codes) in CASES.items()
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("case", "role", "expected"), MATRIX)
def test_permission_matrix_status_code(world, rows, case, role, expected):
    method, url, data, _codes = CASES[case]
    client = world.client(role)
    response = getattr(client, method)(url(world, rows), data(world, rows) if data else None)
    assert response.status_code == expected
    if expected == AWAY:
        went_to_login = response["Location"].startswith("/login/")
        assert went_to_login is (role == "anonymous")


def test_permission_refusal_is_a_page_that_says_why(world):
    response = world.client("other_staff").get(
        reverse("reporting:target_entry", args=[world.cumulative.pk, JUNE])
    )
    assert response.status_code == 403
    assert response.context["message"] == "只能查看和填报本单位牵头的指标和项目。"


def test_permission_evidence_is_served_as_an_attachment_with_its_name(world, rows):
    response = world.client("reviewer").get(
        reverse("reporting:target_evidence", args=[rows.evidence.pk])
    )
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E8%AF%81%E6%98%8E.pdf"
    )
    assert (response["Content-Type"], response["X-Content-Type-Options"]) == (
        "application/pdf",
        "nosniff",
    )
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_permission_evidence_file_is_not_under_a_public_url(world, rows, settings):
    assert settings.MEDIA_URL == "/media-not-served/"
    response = world.client("own_staff").get("/media-not-served/" + rows.evidence.file.name)
    assert response.status_code == 404


def test_permission_other_departments_template_is_refused_whole(world, rows):
    before = io.BytesIO(rows.workbook).getvalue()
    response = world.client("other_staff").post("/report/excel/", workbook(world, rows))
    assert response.status_code == 403
    assert (
        response.context["file_error"]
        == "该文件是其他单位的填报表，只能上传本单位（所选单位）的文件。"
    )
    assert rows.workbook == before
