"""The departments' answers to 督办单 (反馈) and to 领导批示 (办理情况) as two kinds of
monthly report in the shared workflow (workflow.registry): the entry page, the
review queue, the month page, history and permissions are the reporting app's, the
writes workflow/services.py's. What is owed is supervision/rules.py's."""

from datetime import date, datetime, time

from django import forms
from django.urls import reverse
from django.utils import timezone

from org import roles
from supervision import rules
from supervision.forms import (
    InstructionAnswerForm,
    InstructionAnswerValues,
    OrderAnswerForm,
    OrderAnswerValues,
    answer_initial,
)
from supervision.models import (
    ACTIVE_STATES,
    Instruction,
    InstructionAnswer,
    InstructionAnswerEvidence,
    OrderAnswer,
    OrderAnswerEvidence,
    SupervisionOrder,
)
from targets.periods import add_months
from workflow.people import display_name
from workflow.registry import Cells, Change, ReportAdapter, SheetSpec, registry
from workflow.states import EntryState

DASH = "—"


def _month_end(period: date) -> datetime:
    """The first moment after ``period``'s month (local time)."""
    return timezone.make_aware(datetime.combine(add_months(period, 1), time.min))


def _short(text: str, limit: int = 40) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _AnswerAdapter(ReportAdapter):
    """What the two answer kinds share: texts and evidence files（佐证材料），no figure."""

    answer_form: type[forms.Form]
    text_fields: tuple[str, ...]

    def can_report(self, user, subject) -> bool:
        return roles.can_report_for_department(user, subject.lead_department_id)

    def can_review(self, user) -> bool:
        return roles.is_reviewer(user)

    def entry_url(self, subject_id: int, period: date) -> str:
        return reverse(f"reporting:{self.kind}_entry", args=[subject_id, period])

    def review_url(self, entry) -> str:
        return reverse(f"reporting:review_{self.kind}", args=[entry.pk])

    def form_class(self, subject) -> type[forms.Form]:
        return self.answer_form

    def form(
        self,
        subject,
        *,
        period: date,
        today: date,
        action: str = "save",
        data=None,
        files=None,
        entry=None,
        preview: bool = False,
        history: list | None = None,
    ) -> forms.Form:
        if data is None:
            return self.answer_form(initial=answer_initial(entry, self.values_class))
        return self.answer_form(data, files, action=action)

    def entry_label(self, entry) -> str:
        period = entry.period
        return f"{self.subject_of(entry).code} {period.year}年{period.month}月"

    def sort_key(self, subject) -> tuple:
        return (subject.pk,)

    def previous_reports(self, entries: list) -> dict[int, object]:
        field = f"{self.subject_field}_id"
        before = {
            (getattr(e, field), e.period): e
            for e in self.model.objects.filter(
                **{f"{field}__in": {getattr(e, field) for e in entries}},
                period__in={add_months(e.period, -1) for e in entries},
            )
        }
        return {
            e.pk: before[(getattr(e, field), add_months(e.period, -1))]
            for e in entries
            if (getattr(e, field), add_months(e.period, -1)) in before
        }

    def review_queryset(self):
        return self.model.objects.select_related(
            f"{self.subject_field}__lead_department", "submitted_by"
        ).order_by("period", f"{self.subject_field}_id")

    def evidence_context(self, entry) -> dict:
        """The evidence part's context: the entry's files, and the download and
        delete URL names that reporting/urls.py generates for the kind."""
        return {
            "evidence": list(entry.evidence.select_related("uploaded_by")) if entry else [],
            "evidence_download": f"reporting:{self.kind}_evidence",
            "evidence_delete": f"reporting:{self.kind}_evidence_delete",
        }

    def figure_text(self, subject, entry) -> str:
        if entry is None:
            return DASH
        return _short(getattr(entry, self.text_fields[0]), 20) or DASH

    def sheet_spec(self, subject) -> SheetSpec:
        # The workbook's main input column ("本月" figure) takes the answer's first
        # text; an order's measures go in the narrative column.
        inputs = {"figure": self.text_fields[0]}
        if len(self.text_fields) > 1:
            inputs["narrative"] = self.text_fields[1]
        return SheetSpec(inputs)

    def sheet_values(self, subject, entry, previous, period: date) -> dict:
        values = {
            "category": self.label,
            "code": subject.code,
            "name": _short(self.title_of(subject), 60),
            "measure": self.label,
        }
        if entry is not None:
            values["figure"] = getattr(entry, self.text_fields[0])
            if len(self.text_fields) > 1:
                values["narrative"] = getattr(entry, self.text_fields[1])
        return values

    def title_of(self, subject) -> str:
        raise NotImplementedError

    def _answered(self, reports, period: date) -> bool:
        """Whether an answer counted in a month before ``period`` (this month's own
        report is what the month owes, not what excuses it)."""
        return any(r.counts for r in reports if r.period < period)


class OrderAnswerAdapter(_AnswerAdapter):
    kind = "order"
    label = "督办单"
    model = OrderAnswer
    subject_field = "order"
    values_class = OrderAnswerValues
    answer_form = OrderAnswerForm
    evidence_model = OrderAnswerEvidence
    text_fields = ("progress", "measures")
    history_fields = ("state", "measures", "progress", "return_reason")
    not_yours = "只能反馈本单位承办的督办单。"
    created_meanwhile = "同一督办单本月的反馈刚被他人创建，请刷新页面查看后再修改。"
    month_heading = "督办单反馈"
    owed_fields = ()

    page_parts = {
        "facts": "supervision/kinds/order_facts.html",
        "values": "supervision/kinds/order_values.html",
        "fields": "supervision/kinds/order_fields.html",
        "evidence": "supervision/kinds/answer_evidence.html",
    }

    def subjects(self):
        return SupervisionOrder.objects.with_subject()

    def title_of(self, subject: SupervisionOrder) -> str:
        return f"{subject.code} {subject.subject_title}"

    def month_problem(self, subject: SupervisionOrder, period: date) -> str | None:
        opened = timezone.localdate(subject.opened_at) if subject.opened_at else None
        if rules.order_takes_answer(state=subject.state, opened_on=opened, period=period):
            return None
        if subject.state not in rules.ACTIVE:
            return f"该督办单{subject.get_state_display()}，无需反馈。"
        return "该督办单交办之前的月份无需反馈。"

    def page_context(self, subject, entry, period: date) -> dict:
        return {
            **self.evidence_context(entry),
            "heading": f"{subject.code} 反馈",
            "order": subject,
            "extensions": list(subject.extensions.all()),
        }

    def owes(self, subject: SupervisionOrder, period: date, reports) -> bool:
        opened = timezone.localdate(subject.opened_at) if subject.opened_at else None
        return rules.order_owes_answer(
            state=subject.state,
            opened_on=opened,
            period=period,
            answered=self._answered(reports, period),
        )

    def month_subjects(self, *, department, plan_year, period: date):
        return (
            SupervisionOrder.objects.with_subject()
            .filter(
                plan_year=plan_year,
                lead_department=department,
                state__in=ACTIVE_STATES,
                opened_at__lt=_month_end(period),
            )
            .order_by("pk")
        )

    def owed_subjects(self, plan_year):
        return SupervisionOrder.objects.with_subject().filter(plan_year=plan_year)

    def cells(self, subject: SupervisionOrder, entry, previous) -> Cells:
        texts = []
        if entry is not None and entry.progress:
            texts.append(("进展", entry.progress))
        return Cells(
            title=self.title_of(subject),
            figure=self.figure_text(subject, entry),
            previous=self.figure_text(subject, previous),
            detail=f"{subject.get_colour_display()} · 时限 {subject.deadline:%Y-%m-%d}",
            summary=entry.measures if entry is not None else subject.requirement,
            texts=tuple(texts),
        )

    def after_change(self, change: Change) -> None:
        pass  # an answer moves no figure; the reviewer closes the order explicitly


class InstructionAnswerAdapter(_AnswerAdapter):
    kind = "instruction"
    label = "领导批示"
    model = InstructionAnswer
    subject_field = "instruction"
    values_class = InstructionAnswerValues
    answer_form = InstructionAnswerForm
    evidence_model = InstructionAnswerEvidence
    text_fields = ("answer",)
    history_fields = ("state", "answer", "return_reason")
    not_yours = "只能办理本单位的领导批示。"
    created_meanwhile = "同一批示本月的办理情况刚被他人创建，请刷新页面查看后再修改。"
    month_heading = "领导批示办理"

    page_parts = {
        "facts": "supervision/kinds/instruction_facts.html",
        "values": "supervision/kinds/instruction_values.html",
        "fields": "supervision/kinds/instruction_fields.html",
        "evidence": "supervision/kinds/answer_evidence.html",
    }

    def subjects(self):
        return Instruction.objects.with_subject()

    def title_of(self, subject: Instruction) -> str:
        return f"{subject.code} {subject.subject_title}"

    def month_problem(self, subject: Instruction, period: date) -> str | None:
        created = timezone.localdate(subject.created_at)
        if period < created.replace(day=1):
            return "批示作出之前的月份无需办理。"
        return None

    def page_context(self, subject, entry, period: date) -> dict:
        return {
            **self.evidence_context(entry),
            "heading": f"{subject.code} 办理情况",
            "instruction": subject,
        }

    def owes(self, subject: Instruction, period: date, reports) -> bool:
        return rules.instruction_takes_answer(
            answered=self._answered(reports, period),
            created_on=timezone.localdate(subject.created_at),
            period=period,
        )

    def month_subjects(self, *, department, plan_year, period: date):
        return (
            Instruction.objects.with_subject()
            .filter(
                plan_year=plan_year,
                lead_department=department,
                answered_at__isnull=True,
                created_at__lt=_month_end(period),
            )
            .order_by("pk")
        )

    def owed_subjects(self, plan_year):
        return Instruction.objects.with_subject().filter(plan_year=plan_year)

    def cells(self, subject: Instruction, entry, previous) -> Cells:
        return Cells(
            title=self.title_of(subject),
            figure=self.figure_text(subject, entry),
            previous=self.figure_text(subject, previous),
            detail=f"{display_name(subject.author)}批示",
            summary=subject.text,
        )

    def after_change(self, change: Change) -> None:
        # An approved answer closes the instruction; reopening it opens it again.
        instruction = change.entry.instruction
        if change.entry.state == EntryState.APPROVED:
            when = change.entry.reviewed_at or timezone.now()
        elif change.action == "reopen":
            when = None
        else:
            return
        Instruction.objects.filter(pk=instruction.pk).update(answered_at=when)


ORDER_ANSWERS = registry.register(OrderAnswerAdapter())
INSTRUCTION_ANSWERS = registry.register(InstructionAnswerAdapter())
