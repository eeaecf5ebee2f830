"""What is owed agrees everywhere: the overview, /review/missing/, /report/ and the
reminder e-mail read the same fixture the same way (one rule per kind: targets/owed.py,
projects/owed.py). Today is 2025-07-20: June's report was due on July 5."""

from datetime import date
from decimal import Decimal as D

from django.core import mail
from django.urls import reverse

from projects.models import Stage
from reporting.excel.layout import DATA_SHEET, INDEX
from reporting.services import send_reminders
from targets import completion
from targets.models import EntryState, Kind, TargetSnapshot
from targets.snapshots import recompute_plan_year
from tests import factories as f
from tests.reporting.conftest import JUNE, MAY, TODAY
from tests.reporting.test_excel import download, rows_by_code

OVERDUE_NOTE = "逾期未完成"


def test_overview_missing_report_and_reminder_agree(world, django_capture_on_commit_callbacks):
    p1 = world.milestone.programme
    programme = world.project.programme
    # A milestone due by the end of May, half done in May, silent in June: it still
    # owes June's report, and it is 逾期未完成（not 未报送）.
    late = f.target(
        p1,
        code="1.5",
        kind=Kind.MILESTONE,
        unit="",
        baseline=None,
        target_value=None,
        deadline=date(2025, 5, 31),
        lead_department=world.own,
    )
    f.entry(late, MAY, percent=D(50))
    # June is in for these; 1.2, 1.3 and 8.2 (another department's) are not.
    f.entry(world.cumulative, JUNE, value=D(100))
    f.entry(world.ceiling, JUNE, value=D(3))
    f.entry(world.assessed, JUNE, assessment="on_track")
    # Projects: P-OWN（在建） is silent in June; one at 谋划 owes nothing; one that
    # was approved 竣工投产 in July was still being built at the end of June (its May
    # report was approved at 在建), so it owes June too.
    f.project(world.year, programme, code="P-PLAN", lead_department=world.own, stage=Stage.PLANNING)
    done = f.project(
        world.year, programme, code="P-DONE", lead_department=world.own, stage=Stage.COMPLETED
    )
    f.progress(
        done, MAY, investment=D(1), stage=Stage.UNDER_CONSTRUCTION, state=EntryState.APPROVED
    )
    f.progress(
        done, date(2025, 7, 1), investment=D(1), stage=Stage.COMPLETED, state=EntryState.APPROVED
    )
    recompute_plan_year(plan_year=world.year, today=TODAY)

    # The overview (June's snapshots)：未报送 for the silent ones，逾期未完成 for 1.5.
    statuses = dict(
        TargetSnapshot.objects.filter(period=JUNE, target__source="manual").values_list(
            "target__code", "status"
        )
    )
    not_reported = {code for code, status in statuses.items() if status == completion.NOT_REPORTED}
    assert not_reported == {"1.2", "1.3", "8.2"}
    assert statuses["1.5"] == completion.OVERDUE
    overview = world.client("leader").get(reverse("targets:overview")).context["data"]
    assert {t.code for d in overview.missing for t in d.targets} == not_reported

    # /review/missing/: every report owed and not in, 1.5 with its 逾期未完成.
    rows = world.client("reviewer").get(reverse("reporting:missing") + "?month=2025-06")
    rows = rows.context["rows"]
    missing = {
        (kind, item.subject.code, item.note)
        for row in rows
        for kind, found in row.kinds.items()
        for item in found.missing
    }
    assert missing == {
        ("target", "1.2", ""),
        ("target", "1.3", ""),
        ("target", "1.5", OVERDUE_NOTE),
        ("target", "8.2", ""),  # another department's
        ("project", "P-OTHER", ""),  # another department's
        ("project", "P-OWN", ""),
        ("project", "P-DONE", ""),
    }
    # …which is the overview's 未报送 plus what is owed though already 逾期未完成.
    assert {code for kind, code, _ in missing if kind == "target"} == not_reported | {
        code for code, status in statuses.items() if status == completion.OVERDUE
    }

    # /report/ (the department's month): the same rows owe and are not in.
    page = world.client("own_staff").get(reverse("reporting:my_month") + "?month=2025-06")
    page = page.context["page"]
    owed_here = {
        (row.kind, row.subject.code, row.note)
        for row in page.rows
        if row.owes and not (row.entry and row.entry.counts)
    }
    assert owed_here == {m for m in missing if m[1] not in ("8.2", "P-OTHER")}

    # The workbook marks them the same way: owed and empty, or nothing owed.
    sheet = download(world)[DATA_SHEET]
    state = {
        code: sheet.cell(row=n, column=INDEX["state"]).value
        for code, n in rows_by_code(sheet).items()
    }
    assert {code for code, text in state.items() if text.startswith("未填")} == {
        code for _, code, _ in owed_here
    }
    assert state["1.5"] == f"未填（{OVERDUE_NOTE}）"
    assert state["P-PLAN"] == "无需填报"

    # The reminder names the same ones.
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(plan_year=world.year, period=JUNE, department_ids=[world.own.pk])
    # one e-mail to the department's address and one to its clerk, the same text
    [body] = {message.body for message in mail.outbox}
    listed = {
        line.strip()[2:].split(" ")[0] for line in body.splitlines() if line.startswith("  - ")
    }
    assert listed == {code for _, code, _ in owed_here}
    assert f"1.5 测试指标（{OVERDUE_NOTE}）" in body
