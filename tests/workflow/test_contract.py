"""The adapter contract: the whole workflow — save, submit, return, resubmit,
approve, reopen, and evidence where the kind has it — run once for every registered
kind of report, through the one set of services. A new kind is covered by
registering its adapter and giving it an example below (a test fails until it has one)."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal as D
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from org.models import Role
from projects.services import ProgressValues
from targets.services import EntryValues
from tests import factories as f
from tests.reporting.helpers import pdf_bytes
from workflow import services
from workflow.machine import LOCKED, ConflictError, WorkflowError
from workflow.registry import ReportAdapter, registry
from workflow.services import NewEvidence
from workflow.states import EntryState

JUNE = date(2025, 6, 1)


@dataclass
class Case:
    subject: Any
    first: Any  # the values of the first save
    second: Any  # other values, for the resubmission


def target_case(year, programme, department) -> Case:
    target = f.target(programme, code="9.1", target_value=D(400), lead_department=department)
    return Case(target, EntryValues(value=D(100)), EntryValues(value=D(120), narrative="补充"))


def project_case(year, programme, department) -> Case:
    project = f.project(year, programme, code="P-CONTRACT", lead_department=department)
    return Case(
        project,
        ProgressValues(investment=D("1.5")),
        ProgressValues(investment=D(2), notes="补充"),
    )


def order_case(year, programme, department) -> Case:
    from supervision.forms import OrderAnswerValues
    from supervision.models import SupervisionOrder

    target = f.target(programme, code="9.2", target_value=D(400), lead_department=department)
    order = SupervisionOrder.objects.create(
        plan_year=year,
        target=target,
        programme=programme,
        lead_department=department,
        requirement="限期整改",
        deadline=date(2025, 8, 31),
        opened_at=timezone.make_aware(datetime(2025, 6, 2, 9)),
    )
    return Case(
        order,
        OrderAnswerValues(measures="专班推进", progress="已完成一半"),
        OrderAnswerValues(measures="专班推进", progress="补充", unusual=False),
    )


def instruction_case(year, programme, department) -> Case:
    from supervision.forms import InstructionAnswerValues
    from supervision.models import Instruction

    target = f.target(programme, code="9.3", target_value=D(400), lead_department=department)
    instruction = Instruction.objects.create(
        plan_year=year,
        author=f.user("leader-contract", Role.LEADER),
        text="请抓紧推进",
        target=target,
        programme=programme,
        lead_department=department,
    )
    Instruction.objects.filter(pk=instruction.pk).update(
        created_at=timezone.make_aware(datetime(2025, 6, 2, 9))
    )
    instruction.refresh_from_db()
    return Case(
        instruction,
        InstructionAnswerValues(answer="已部署"),
        InstructionAnswerValues(answer="已部署，补充"),
    )


EXAMPLES = {
    "target": target_case,
    "project": project_case,
    "order": order_case,
    "instruction": instruction_case,
}


@dataclass
class World:
    adapter: ReportAdapter
    case: Case
    staff: Any
    stranger: Any
    reviewer: Any


@pytest.fixture(params=registry.kinds())
def world(request, db, settings, tmp_path) -> World:
    settings.SITE_TODAY = date(2025, 7, 20)
    settings.MEDIA_ROOT = tmp_path / "media"
    year = f.plan_year()
    own, other = f.department("own"), f.department("other")
    case = EXAMPLES[request.param](year, f.programme(year, 3), own)
    return World(
        adapter=registry.get(request.param),
        case=case,
        staff=f.user("staff-own", Role.STAFF, own),
        stranger=f.user("staff-other", Role.STAFF, other),
        reviewer=f.user("reviewer", Role.REVIEWER),
    )


def test_every_registered_kind_has_an_example():
    assert sorted(EXAMPLES) == sorted(registry.kinds())


def save(w: World, values, version: int, *, submit: bool = False, user=None, evidence=()):
    return services.save_entry(
        adapter=w.adapter,
        subject=w.case.subject,
        period=JUNE,
        user=user or w.staff,
        values=values,
        expected_version=version,
        submit=submit,
        evidence=evidence,
    )


def review(w: World, action: str, entry, *, user=None, reason: str = ""):
    extra = {} if action == "approve" else {"reason": reason}
    return services.REVIEW_SERVICES[action](
        adapter=w.adapter,
        entry_id=entry.pk,
        user=user or w.reviewer,
        expected_version=entry.version,
        **extra,
    )


def test_the_whole_workflow_runs_for_every_kind(world):
    w = world
    entry = save(w, w.case.first, 0)
    assert (entry.state, entry.version) == (EntryState.DRAFT, 1)
    assert w.adapter.values_of(entry) == w.case.first
    assert not entry.counts

    entry = save(w, w.case.first, 1, submit=True)
    assert (entry.state, entry.version, entry.submitted_by) == (EntryState.SUBMITTED, 2, w.staff)
    assert entry.counts

    with pytest.raises(WorkflowError, match="请填写退回原因"):
        review(w, "return", entry)
    entry = review(w, "return", entry, reason="数据需核实")
    assert (entry.state, entry.return_reason, entry.version) == (
        EntryState.RETURNED,
        "数据需核实",
        3,
    )
    # Saving a returned report keeps it returned (its reason shown) until resubmitted.
    entry = save(w, w.case.second, 3)
    assert entry.state == EntryState.RETURNED

    entry = save(w, w.case.second, 4, submit=True)
    assert entry.state == EntryState.SUBMITTED
    with pytest.raises(PermissionDenied):
        review(w, "approve", entry, user=w.staff)

    entry = review(w, "approve", entry)
    assert (entry.state, entry.reviewed_by, entry.version) == (EntryState.APPROVED, w.reviewer, 6)
    assert entry.is_locked
    with pytest.raises(WorkflowError, match=LOCKED[:8]):
        save(w, w.case.first, 6)

    with pytest.raises(WorkflowError, match="请填写重新打开的原因"):
        review(w, "reopen", entry)
    entry = review(w, "reopen", entry, reason="更正")
    assert (entry.state, entry.version) == (EntryState.RETURNED, 7)
    entry = save(w, w.case.second, 7, submit=True)
    assert entry.state == EntryState.SUBMITTED

    # Every write is kept, newest first, with who made it.
    history = list(entry.history.order_by("-history_date", "-history_id"))
    assert len(history) == 8
    assert history[0].history_user == w.staff
    assert w.adapter.entry_for(w.case.subject, JUNE) == entry


def test_returned_twice_keeps_the_first_submission_and_counts_returns_for_every_kind(world):
    w = world
    entry = save(w, w.case.first, 0)
    assert (entry.first_submitted_at, entry.return_count) == (None, 0)  # a draft is not in
    entry = save(w, w.case.first, 1, submit=True)
    first = entry.first_submitted_at
    assert first == entry.submitted_at
    # Pretend that first submission was three days after the due date: it stays so.
    late = timezone.make_aware(datetime(2025, 7, 8, 9, 0))
    w.adapter.model.objects.filter(pk=entry.pk).update(first_submitted_at=late)
    entry.refresh_from_db()
    entry = review(w, "return", entry, reason="数据需核实")
    entry = save(w, w.case.second, entry.version, submit=True)
    entry = review(w, "return", entry, reason="仍需核实")
    assert entry.return_count == 2
    entry = save(w, w.case.first, entry.version, submit=True)
    entry = review(w, "approve", entry)
    entry = review(w, "reopen", entry, reason="更正")  # a reopen is not a return
    entry = save(w, w.case.second, entry.version, submit=True)
    entry.refresh_from_db()
    assert (entry.first_submitted_at, entry.return_count) == (late, 2)
    assert entry.submitted_at > late


def test_a_bulk_submission_records_the_first_submission_for_every_kind(world):
    w = world
    write = services.BulkWrite(
        key=1, subject=w.case.subject, values=w.case.first, expected_version=0
    )
    assert services.save_entries(adapter=w.adapter, period=JUNE, user=w.staff, writes=[write]) == []
    entry = w.adapter.entry_for(w.case.subject, JUNE)
    assert entry.first_submitted_at is None
    write = services.BulkWrite(
        key=1, subject=w.case.subject, values=w.case.second, expected_version=1
    )
    refusals = services.save_entries(
        adapter=w.adapter, period=JUNE, user=w.staff, writes=[write], submit=True
    )
    assert refusals == []
    entry.refresh_from_db()
    assert entry.first_submitted_at is not None
    assert entry.first_submitted_at == entry.submitted_at


def test_a_stale_version_is_refused_for_every_kind(world):
    w = world
    entry = save(w, w.case.first, 0)
    with pytest.raises(ConflictError):
        save(w, w.case.second, 0)  # the form was opened before the first save
    with pytest.raises(ConflictError):
        save(w, w.case.second, entry.version + 1)
    entry.refresh_from_db()
    assert (entry.version, w.adapter.values_of(entry)) == (1, w.case.first)


def test_another_departments_staff_cannot_write_for_every_kind(world):
    w = world
    with pytest.raises(PermissionDenied):
        save(w, w.case.first, 0, user=w.stranger)
    assert w.adapter.entry_for(w.case.subject, JUNE) is None


def upload(name: str) -> NewEvidence:
    content = pdf_bytes()
    file = SimpleUploadedFile(name, content, content_type="application/pdf")
    return NewEvidence(
        file=file, original_name=name, content_type="application/pdf", size=len(content)
    )


def test_evidence_is_added_removed_and_locked_where_the_kind_has_it(world):
    w = world
    if w.adapter.evidence_model is None:
        with pytest.raises(WorkflowError):
            save(w, w.case.first, 0, evidence=[upload("a.pdf")])
        assert w.adapter.entry_for(w.case.subject, JUNE) is None
        return
    entry = save(w, w.case.first, 0, evidence=[upload("a.pdf")])
    entry = services.add_evidence(
        adapter=w.adapter,
        entry_id=entry.pk,
        user=w.staff,
        files=[upload("b.pdf")],
        expected_version=entry.version,
    )
    rows = w.adapter.evidence_model.objects.filter(entry=entry).order_by("pk")
    assert [r.original_name for r in rows] == ["a.pdf", "b.pdf"]
    assert entry.version == 2
    entry = services.remove_evidence(
        adapter=w.adapter, evidence_id=rows[0].pk, user=w.staff, expected_version=entry.version
    )
    assert entry.version == 3
    assert [r.original_name for r in rows.all()] == ["b.pdf"]
    entry = save(w, w.case.first, 3, submit=True)
    entry = review(w, "approve", entry)
    remaining = rows.get()
    with pytest.raises(WorkflowError):
        services.remove_evidence(
            adapter=w.adapter,
            evidence_id=remaining.pk,
            user=w.staff,
            expected_version=entry.version,
        )
    assert rows.all().count() == 1


def test_every_kind_answers_what_the_pages_ask(world):
    """The hooks the pages, the workbook and the owed rule call, for every kind: a
    new kind that forgets one fails here, not on a page."""
    w = world
    subject = w.case.subject
    entry = save(w, w.case.first, 0, submit=True)
    adapter = w.adapter
    assert adapter.entry_url(subject.pk, JUNE).endswith("/2025-06/")
    assert adapter.review_url(entry)
    assert adapter.entry_label(entry) == f"{subject.code} 2025年6月"
    assert adapter.department_id(subject) == w.staff.profile.department_id
    assert adapter.read_only_reason(subject) is None
    assert adapter.month_problem(subject, JUNE) is None
    assert adapter.plan_year_of(subject).year == 2025
    reports = list(adapter.year_reports(adapter.plan_year_of(subject), up_to=JUNE))
    assert reports == [entry]
    assert adapter.owes(subject, JUNE, reports) is True
    assert adapter.owed_note(subject, JUNE, reports) == ""
    cells = adapter.cells(subject, entry, None)
    assert cells.figure == adapter.figure_text(subject, entry) != "—"
    assert cells.previous == "—"
    spec = adapter.sheet_spec(subject)
    assert "figure" in spec.inputs or "choice" in spec.inputs
    assert adapter.sheet_values(subject, entry, None, JUNE)["code"] == subject.code
    form = adapter.form(subject, period=JUNE, today=date(2025, 7, 20), entry=entry)
    assert form.initial["version"] == entry.version
    assert adapter.previous_reports([entry]) == {}
    assert list(adapter.review_queryset().filter(pk=entry.pk)) == [entry]
    assert registry.for_subject(subject) is adapter
