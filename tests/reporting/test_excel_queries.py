"""The Excel import runs a fixed number of queries, however many rows the upload
holds (it cost about ten a row: 41 for one row, 141 for eleven).

On SQLite one INSERT carries at most 999 parameters, so Django splits a bulk insert
of more than about 38 rows of one kind into several; the uploads here stay within
one batch per kind (PostgreSQL's limit is 65535)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import ProjectProgress
from targets.models import ProgressEntry
from tests import factories as f
from tests.reporting.conftest import JUNE
from tests.reporting.test_excel import DATA_SHEET, as_upload, download, fill


def grow(world, targets: int, projects: int) -> list[str]:
    """Rows to fill: new cumulative targets and projects of the department."""
    programme = world.cumulative.programme
    # A derived target that reads the projects' investment, so that a project import
    # asks which targets to recompute (with none reading it, no query is needed).
    f.target(programme, code="8.99", source="key_project_investment_completed")
    codes = [
        f.target(programme, code=f"8.{100 + i}", lead_department=world.own).code
        for i in range(targets)
    ]
    codes += [
        f.project(world.year, programme, code=f"X{i:03d}", lead_department=world.own).code
        for i in range(projects)
    ]
    return codes


def import_queries(world, targets: int, projects: int) -> int:
    codes = grow(world, targets, projects)
    book = download(world)
    for code in codes:
        # A target's year-to-date total and a project's month amount: own columns.
        figure = "investment" if code.startswith("X") else "figure"
        fill(book[DATA_SHEET], code, **{figure: 300}, narrative="进展。")
    client, file = world.client("own_staff"), as_upload(book)
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/report/excel/", {"workbook": file, "submit": "1"})
    assert response.status_code == 302, response.context and response.context.get("row_errors")
    written = ProgressEntry.objects.filter(period=JUNE).count()
    written += ProjectProgress.objects.filter(period=JUNE).count()
    assert written == targets + projects
    return len(queries)


# The request: session, user, profile; the department (from the file); the plan
# year three times (the page's month, its year, the file's month) = 7.
# Checking the rows, per kind in the sheet (the world's rows put both in every
# sheet): the rows' subjects and their reports up to the month = 4.
# Writing: the import's savepoint and its release, the batched outbox rows = 3;
# per kind written: a savepoint and its release, the month's rows locked, the
# insert and its history inside a savepoint and its release = 7; projects also
# ask once which derived targets to recompute = 1.
# Telling the reviewers, once for the whole upload (workflow.notices.batched): who
# they are, the department, the notices inserted in one statement, and the group
# robots that hear the event (supervision.push's dispatcher) = 4.
TARGETS_ONLY = 7 + 4 + 3 + 7 + 4
PROJECTS_ONLY = 7 + 4 + 3 + 7 + 1 + 4
BOTH = 7 + 4 + 3 + 7 + 7 + 1 + 4


@pytest.mark.parametrize(
    ("targets", "projects", "expected"),
    [
        (1, 0, TARGETS_ONLY),
        (30, 0, TARGETS_ONLY),
        (0, 1, PROJECTS_ONLY),
        (0, 30, PROJECTS_ONLY),
    ],
)
def test_excel_import_of_one_kind_costs_the_same_at_1_and_30_rows(
    world, targets, projects, expected
):
    assert import_queries(world, targets, projects) == expected


@pytest.mark.parametrize(("targets", "projects"), [(1, 1), (25, 25)])
def test_excel_import_query_count_is_the_same_at_2_and_50_rows(world, targets, projects):
    assert import_queries(world, targets, projects) == BOTH


@pytest.mark.parametrize(
    ("targets", "projects", "expected"),
    [
        (1, 0, TARGETS_ONLY),
        (50, 0, TARGETS_ONLY),
        (0, 1, PROJECTS_ONLY),
        (0, 50, PROJECTS_ONLY),
    ],
)
def test_on_postgresql_one_kind_costs_the_same_at_1_and_50_rows(
    postgres, world, targets, projects, expected
):
    # PostgreSQL takes 65535 parameters a query: 50 rows are still one bulk insert.
    assert import_queries(world, targets, projects) == expected
