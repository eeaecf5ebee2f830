"""The registry of report kinds: one adapter per kind of monthly report.

Shaped like the metric registry (targets/metrics.py): the app that owns a kind of
report registers its adapter when it loads (targets/adapters.py, projects/adapters.py),
so this app never imports them, and the services (workflow/services.py) and the pages
(reporting) loop over the adapters instead of switching on the kind. A new kind of
report is one more adapter; the contract test (tests/workflow/test_contract.py) runs
the whole workflow once for every registered adapter.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import date
from types import SimpleNamespace
from typing import Any, ClassVar

from django import forms
from django.db import models

from workflow.models import EvidenceBase, WorkflowEntry
from workflow.states import COUNTED_STATES


@dataclass(frozen=True)
class ReportValues:
    """The base of a kind's values dataclass (what a department reports: the
    figures and texts, not the workflow's bookkeeping). Every kind's values carry
    the plausibility outcome: a figure the checks warned about and the clerk
    confirmed, with the warning and the clerk's one-line explanation (异常)."""

    unusual: bool = False
    unusual_warning: str = ""
    unusual_reason: str = ""

    @classmethod
    def of(cls, entry: WorkflowEntry):
        """The values as ``entry`` holds them."""
        return cls(**{f.name: getattr(entry, f.name) for f in fields(cls)})


@dataclass(frozen=True)
class Change:
    """What one workflow write did, for the adapter's after-change hook: the entry as
    saved, and whether (and with which values) it counted before."""

    entry: WorkflowEntry
    action: str
    user: Any
    counted_before: bool
    values_before: Any | None  # the kind's values dataclass; None for a new entry


def counted_changes(change: Change, values_after: Any, names: tuple[str, ...]) -> set[str]:
    """The fields whose COUNTED value moved: a counted report's value changed, or a
    report started or stopped counting with a value. A draft edited into another
    draft changes nothing any figure reads."""

    def counted(values: Any | None, counts: bool, name: str):
        value = getattr(values, name) if counts and values is not None else None
        return None if value == "" else value  # a blank field holds no value

    return {
        name
        for name in names
        if counted(change.values_before, change.counted_before, name)
        != counted(values_after, change.entry.counts, name)
    }


@dataclass(frozen=True)
class SheetSpec:
    """How one subject's row reads in the monthly workbook (reporting/excel). Column
    keys are the workbook's: figure, done_on, choice, narrative, problems,
    next_steps, correction_reason (inputs); category, code, name, measure, unit,
    previous (shown)."""

    # Input column → the form field it feeds.
    inputs: dict[str, str]
    # The choice column's labels → codes (a drop-down list in the sheet).
    choices: dict[str, str] = field(default_factory=dict)
    # Columns a fresh template fills in: by themselves they are not a report.
    prefilled: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DerivedRow:
    """A subject whose figure the system derives (nothing to report), as the month
    page lists it: where its figure comes from and its latest value."""

    subject: Any
    title: str
    source: str
    figure: str
    as_of: date | None  # the month the figure is of
    url: str


@dataclass(frozen=True)
class Cells:
    """How one report reads in a table row of the pages (a presenter: formatted text,
    no rules left for the template). ``detail`` and ``texts`` are optional lines."""

    title: str  # what the report is on: "8.1 测试指标", "P-OWN 测试项目"
    figure: str  # this month's figure
    previous: str  # the previous report's figure
    detail: str = ""  # what is reported (a kind and unit, a stage …)
    summary: str = ""  # the report's narrative
    texts: tuple[tuple[str, str], ...] = ()  # labelled texts: (存在问题, …)


class ReportAdapter:
    """How one kind of monthly report plugs into the shared workflow.

    Subclasses set the class attributes and implement the methods that raise
    NotImplementedError; the rest has defaults that follow from ``model`` and
    ``subject_field`` (the entry's foreign key to what it reports on).
    """

    kind: ClassVar[str]  # stable code: "target", "project"
    label: ClassVar[str]  # what one subject is called: "指标", "项目"
    model: ClassVar[type[WorkflowEntry]]
    subject_field: ClassVar[str]
    values_class: ClassVar[type]
    evidence_model: ClassVar[type[EvidenceBase] | None] = None
    # The history shown on the entry page: the reported fields, in order.
    history_fields: ClassVar[tuple[str, ...]] = ()
    not_yours: ClassVar[str] = "只能填报本单位负责的内容。"
    created_meanwhile: ClassVar[str] = "本月的记录刚被他人创建，请刷新页面查看后再修改。"

    # Paths from the subject to its plan year and to its department (for filters).
    plan_year_path: ClassVar[str] = "plan_year"
    department_path: ClassVar[str] = "lead_department"

    # --- loading and locking -----------------------------------------------------------

    @property
    def subject_model(self) -> type[models.Model]:
        return self.model._meta.get_field(self.subject_field).related_model

    def subjects(self) -> models.QuerySet:
        """What can be reported on, with what the pages and permissions read."""
        return self.subject_model.objects.all()

    def subject_of(self, entry: WorkflowEntry) -> models.Model:
        return getattr(entry, self.subject_field)

    def subject_of_id(self, entry: WorkflowEntry) -> int:
        return getattr(entry, f"{self.subject_field}_id")

    def entries(self) -> models.QuerySet:
        return self.model.objects.all()

    def entry_for(self, subject: models.Model, period: date) -> WorkflowEntry | None:
        return self.entries().filter(**{self.subject_field: subject, "period": period}).first()

    def lock_entry(self, subject: models.Model, period: date) -> WorkflowEntry | None:
        return (
            self.model.objects.select_for_update()
            .filter(**{self.subject_field: subject, "period": period})
            .first()
        )

    def lock_entry_by_id(self, entry_id: int) -> WorkflowEntry:
        """Raises the model's DoesNotExist when there is no such entry."""
        return (
            self.model.objects.select_for_update()
            .select_related(self.subject_field)
            .get(pk=entry_id)
        )

    def new_entry(self, subject: models.Model, period: date) -> WorkflowEntry:
        return self.model(**{self.subject_field: subject, "period": period})

    def values_of(self, entry: WorkflowEntry) -> Any:
        return self.values_class.of(entry)

    def apply_values(self, entry: WorkflowEntry, values: Any) -> None:
        for f in fields(values):
            setattr(entry, f.name, getattr(values, f.name))

    def plan_year_of(self, subject: models.Model) -> Any:
        return subject.plan_year

    def plausibility(
        self, subject: models.Model, values: Any, *, period: date, history: list | None = None
    ) -> list[str]:
        """Why ``values`` (a report on ``subject`` for ``period``) look implausible,
        in Chinese, by the kind's pure rules and the plan year's thresholds; empty
        when they look right. ``history``: the subject's reports up to the month when
        the caller loaded them (else they are read). Its form calls it on preview and
        on every write (web page and workbook row); a kind without checks keeps the
        default."""
        return []

    def month_problem(self, subject: models.Model, period: date) -> str | None:
        """Why ``subject`` takes no report for ``period`` (within its plan year), in
        Chinese; None when it does."""
        return None

    # --- who may do what ---------------------------------------------------------------

    def department_id(self, subject: models.Model) -> int | None:
        """The department that owns the subject's reports."""
        return subject.lead_department_id

    def can_report(self, user, subject: models.Model) -> bool:
        raise NotImplementedError

    def can_review(self, user) -> bool:
        raise NotImplementedError

    def read_only_reason(self, subject: models.Model) -> str | None:
        """Why nobody types this subject's reports (a figure the system derives), in
        Chinese; None when it is reported by hand."""
        return None

    # --- pages ---------------------------------------------------------------------------

    def entry_label(self, entry: WorkflowEntry) -> str:
        period = entry.period
        return f"{self.subject_of(entry).code} {period.year}年{period.month}月"

    def entry_url(self, subject_id: int, period: date) -> str:
        raise NotImplementedError

    def review_url(self, entry: WorkflowEntry) -> str:
        raise NotImplementedError

    def form_class(self, subject: models.Model) -> type[forms.Form]:
        raise NotImplementedError

    def form(
        self,
        subject: models.Model,
        *,
        period: date,
        today: date,
        action: str = "save",
        data=None,
        files=None,
        entry: WorkflowEntry | None = None,
        preview: bool = False,
        history: list | None = None,
    ) -> forms.Form | None:
        """The kind's form for ``subject``'s month: bound to ``data`` (a POST, a
        workbook row), else showing ``entry``'s values (with what they would mean
        once submitted when ``preview``). None when nothing is typed by hand.
        ``history``: the subject's reports up to the month, when the caller loaded
        them for many rows at once (the form then reads nothing more)."""
        raise NotImplementedError

    # The entry page's kind-specific parts (templates): facts, values, fields, and
    # optionally status (beside the form), evidence, read_only (a derived figure).
    page_parts: ClassVar[dict[str, str]] = {}

    def page_context(
        self, subject: models.Model, entry: WorkflowEntry | None, period: date
    ) -> dict[str, Any]:
        """What the entry page's parts show besides the form (the previous report, the
        kind's figures, evidence), named as the parts expect, and its ``heading``."""
        return {}

    # --- what is owed (the kind's pure rule, on rows already loaded) --------------------

    def year_subjects(self, plan_year, department=None) -> models.QuerySet:
        """What reports of this kind exist for in a plan year (one department's)."""
        queryset = self.subjects().filter(**{self.plan_year_path: plan_year})
        if department is not None:
            queryset = queryset.filter(**{self.department_path: department})
        return queryset

    def year_reports(self, plan_year, *, up_to: date, department=None) -> models.QuerySet:
        """Every report of the plan year up to ``up_to`` (one department's): what the
        owed rule and the month pages read, in one query."""
        subject = self.subject_field
        queryset = self.entries().filter(
            **{f"{subject}__{self.plan_year_path}": plan_year, "period__lte": up_to}
        )
        if department is not None:
            queryset = queryset.filter(**{f"{subject}__{self.department_path}": department})
        return queryset

    # The report fields the owed rule reads besides period and state (so a page that
    # only asks what is owed can load those columns alone).
    owed_fields: ClassVar[tuple[str, ...]] = ()

    def owed_subjects(self, plan_year) -> models.QuerySet:
        """Every subject of the plan year, with what the owed rule and a missing
        report's line read (no more: a district may have thousands)."""
        return self.year_subjects(plan_year)

    def report_facts(self, reports: models.QuerySet) -> dict[int, list]:
        """Reports as the owed rule reads them, grouped by subject: the columns it
        needs as light rows, not models (a district's year holds tens of thousands)."""
        subject_id = f"{self.subject_field}_id"
        grouped: dict[int, list] = defaultdict(list)
        for row in reports.values(subject_id, "period", "state", *self.owed_fields):
            grouped[row.pop(subject_id)].append(
                SimpleNamespace(**row, counts=row["state"] in COUNTED_STATES)
            )
        return grouped

    def owed_facts(self, plan_year, period: date) -> dict[int, list]:
        """Enough of the plan year's reports to decide, for every subject, what is
        owed for ``period`` and whether it is in: by default all up to the month."""
        return self.report_facts(self.year_reports(plan_year, up_to=period))

    def owes(self, subject: models.Model, period: date, reports: list[WorkflowEntry]) -> bool:
        """Whether ``subject`` owes a report for ``period``. ``reports``: its reports
        (any state) up to at least ``period``, already loaded: no query here. Each
        has ``period``, ``state``, ``counts`` and the ``owed_fields``."""
        raise NotImplementedError

    def owed_note(self, subject: models.Model, period: date, reports: list[WorkflowEntry]) -> str:
        """A word beside an owed report that is more than missing (逾期未完成)."""
        return ""

    # --- pages: the month, the review queue ---------------------------------------------

    month_heading: ClassVar[str] = ""
    # Rows per page of the kind's section of the review queue: every section pages on
    # its own, so the queue's rows (and its time) stay bounded at any district's size.
    review_page_size: ClassVar[int] = 50

    def month_subjects(self, *, department, plan_year, period: date) -> models.QuerySet:
        """A department's subjects for its month page (with what the rows show)."""
        return self.year_subjects(plan_year, department)

    def derived_rows(self, subjects: list, period: date) -> list[DerivedRow]:
        """The subjects among ``subjects`` whose figure is derived, with it."""
        return []

    def review_queryset(self) -> models.QuerySet:
        """Reports with what the review queue shows, in its order."""
        return (
            self.entries()
            .select_related(self.subject_field, "submitted_by")
            .order_by("period", f"{self.subject_field}__code")
        )

    def lagging(self, queryset: models.QuerySet) -> models.QuerySet:
        """The reports in ``queryset`` whose subject is now behind 序时 (进度滞后 or
        严重滞后), by the kind's own status; a kind without such a status has none."""
        return queryset.none()

    def previous_reports(self, entries: list[WorkflowEntry]) -> dict[int, WorkflowEntry]:
        """Each entry's previous report (entry pk → report), in one query."""
        raise NotImplementedError

    def sort_key(self, subject: models.Model) -> tuple:
        return (subject.code,)

    def figure_text(self, subject: models.Model, entry: WorkflowEntry | None) -> str:
        """A report's figure the way its kind reads (318亿元, 85%, 已完成(3月26日))."""
        raise NotImplementedError

    def cells(self, subject: models.Model, entry: WorkflowEntry | None, previous) -> Cells:
        """How a report reads in the month's and the review queue's tables."""
        raise NotImplementedError

    # --- the monthly workbook ------------------------------------------------------------

    def sheet_spec(self, subject: models.Model) -> SheetSpec:
        raise NotImplementedError

    def sheet_values(
        self,
        subject: models.Model,
        entry: WorkflowEntry | None,
        previous: WorkflowEntry | None,
        period: date,
    ) -> dict[str, Any]:
        """The cells a subject's row shows (by column key), current values filled in."""
        raise NotImplementedError

    # --- after a change ------------------------------------------------------------------

    def after_change(self, change: Change) -> None:
        """What to recompute (and any state derived from an approval) once a write is
        made; called inside the write's transaction, once per write."""
        raise NotImplementedError

    def after_changes(self, changes: list[Change]) -> None:
        """``after_change`` for many writes at once (the workbook import): a kind
        whose hook queries overrides this to ask once for all of them."""
        for change in changes:
            self.after_change(change)


class AdapterRegistry:
    def __init__(self) -> None:
        self._adapters: dict[str, ReportAdapter] = {}

    def register(self, adapter: ReportAdapter) -> ReportAdapter:
        existing = self._adapters.get(adapter.kind)
        if existing is not None and type(existing) is not type(adapter):
            raise ValueError(f"report kind {adapter.kind!r} is registered twice")
        self._adapters[adapter.kind] = adapter
        return adapter

    def get(self, kind: str) -> ReportAdapter:
        """Raises LookupError for a kind nobody registered."""
        try:
            return self._adapters[kind]
        except KeyError:
            raise LookupError(f"no report adapter for kind {kind!r}") from None

    def for_model(self, model: type[models.Model]) -> ReportAdapter:
        for adapter in self:
            if adapter.model is model or adapter.evidence_model is model:
                return adapter
        raise LookupError(f"no report adapter for {model.__name__}")

    def for_subject(self, subject: models.Model) -> ReportAdapter:
        for adapter in self:
            if isinstance(subject, adapter.subject_model):
                return adapter
        raise LookupError(f"no report adapter for {type(subject).__name__}")

    def __contains__(self, kind: object) -> bool:
        return kind in self._adapters

    def __iter__(self) -> Iterator[ReportAdapter]:
        return iter(list(self._adapters.values()))

    def kinds(self) -> list[str]:
        return list(self._adapters)


registry = AdapterRegistry()
