"""Check an uploaded workbook's rows against the database, with the same forms the
web page uses (each kind's, through its adapter), and turn them into the writes an
import would make.

Every row is checked before anything is written, and every problem is reported
(row number, column, message); the import goes ahead only when there are none.
"""

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from org.models import Department
from reporting.excel.layout import HEADERS
from reporting.excel.reader import ParsedWorkbook, RowError, SheetRow, blank
from reporting.services import Write
from workflow.registry import ReportAdapter, SheetSpec, registry
from workflow.services import Refusal
from workflow.states import EntryState

LOCKED = "该记录已审核通过并锁定，不能通过上传修改；如需修改，请联系督查室重新打开。"
# Which column a refusal of the workflow points at (reporting.services.Refusal.about).
REFUSAL_COLUMN = {
    "state": HEADERS["state"],
    "subject": HEADERS["code"],
    "unusual": HEADERS["unusual_reason"],
}


@dataclass
class _Context:
    department: Department
    period: date
    today: date
    submit: bool
    errors: list[RowError]


def _form_data(row: SheetRow, spec: SheetSpec, ctx: _Context) -> dict | None:
    """The row's cells as form data, or None (with errors) if it fills a column that
    is not its own or names a choice that does not exist."""
    data, ok = {"version": row.version}, True
    for key, value in row.cells.items():
        if key not in spec.inputs:
            if not blank(value):
                ctx.errors.append(RowError(row.number, HEADERS[key], "这一行不填写此列，请留空。"))
                ok = False
            continue
        name = spec.inputs[key]
        if key == "choice" and not blank(value):
            code = spec.choices.get(str(value).strip())
            if code is None:
                ctx.errors.append(
                    RowError(
                        row.number,
                        HEADERS[key],
                        f"“{value}”不是可选项，请从下拉列表中选择：{'、'.join(spec.choices)}。",
                    )
                )
                ok = False
                continue
            value = code
        data[name] = value
    if not blank(data.get("unusual_reason")):
        # The 说明 column is the workbook's confirmation of an unusual figure.
        data["confirm_unusual"] = "on"
    return data if ok else None


def _form_errors(row: SheetRow, form, inputs: dict[str, str], ctx: _Context) -> None:
    column_of = {name: key for key, name in inputs.items()}
    for name, messages in form.errors.items():
        key = column_of.get(name)
        header = HEADERS[key] if key else HEADERS["id"] if name == "version" else "—"
        for message in messages:
            ctx.errors.append(RowError(row.number, header, message))


def _same(current, values) -> bool:
    """Equal values, reading text as the forms store it (a spreadsheet round trip
    turns CRLF into LF and drops trailing spaces)."""

    def normal(obj):
        texts = {k: _text(v) for k, v in vars(obj).items() if isinstance(v, str)}
        return replace(obj, **texts)

    return normal(current) == normal(values)


def _text(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _unchanged(current, values, state: str, submit: bool) -> bool:
    """Nothing to write: same values, and already in the state the upload asks for."""
    if not _same(current, values):
        return False
    return state in (EntryState.SUBMITTED, EntryState.APPROVED) or not submit


def _check(row: SheetRow, adapter: ReportAdapter, subject, history, ctx: _Context) -> Write | None:
    entry = next((r for r in history if r.period == ctx.period), None)
    read_only = adapter.read_only_reason(subject)
    if read_only:
        ctx.errors.append(RowError(row.number, HEADERS["code"], read_only))
        return None
    spec = adapter.sheet_spec(subject)
    filled = {k for k, v in row.cells.items() if not blank(v)}
    if row.version == 0 and filled <= spec.prefilled:
        return None  # a row left as downloaded: not reported in this upload
    problem = adapter.month_problem(subject, ctx.period)
    if problem:
        ctx.errors.append(RowError(row.number, HEADERS["code"], problem))
        return None
    data = _form_data(row, spec, ctx)
    if data is None:
        return None
    locked = entry is not None and entry.is_locked
    form = adapter.form(
        subject,
        period=ctx.period,
        today=ctx.today,
        # A locked row is only compared, so the submit-only requirements do not apply.
        action="submit" if ctx.submit and not locked else "save",
        data=data,
        history=history,
    )
    form.from_workbook = True  # its plausibility hint names the 说明 column
    valid = form.is_valid()
    if locked:
        if not valid or not _same(form.values(), adapter.values_of(entry)):
            ctx.errors.append(RowError(row.number, HEADERS["state"], LOCKED))
        return None
    if not valid:
        _form_errors(row, form, spec.inputs, ctx)
        return None
    values = form.values()
    if entry is not None and _unchanged(adapter.values_of(entry), values, entry.state, ctx.submit):
        return None
    return Write(row.number, adapter.kind, subject, values, row.version, ctx.submit, history)


def check_rows(
    parsed: ParsedWorkbook, *, department: Department, today: date, submit: bool
) -> tuple[list[Write], list[RowError]]:
    """The writes the upload asks for, and every problem found in its rows. The
    month itself (not in the future, in a plan year) is the caller's to check."""
    period = parsed.period
    ctx = _Context(department, period, today, submit, list(parsed.errors))
    # Per kind, two queries whatever the number of rows: the rows' subjects, and
    # their reports up to the month (this month's, and what the forms compare with).
    subjects, histories = {}, {}
    for adapter in registry:
        ids = [r.pk for r in parsed.rows if r.kind == adapter.kind]
        subjects[adapter.kind] = adapter.subjects().in_bulk(ids)
        histories[adapter.kind] = defaultdict(list)
        for report in adapter.entries().filter(
            **{f"{adapter.subject_field}_id__in": ids, "period__lte": period}
        ):
            histories[adapter.kind][adapter.subject_of_id(report)].append(report)
    writes, seen = [], {}
    for row in parsed.rows:
        key = (row.kind, row.pk)
        if key in seen:
            ctx.errors.append(
                RowError(
                    row.number,
                    HEADERS["id"],
                    f"与第 {seen[key]} 行是同一个指标或项目，请删去重复的行。",
                )
            )
            continue
        seen[key] = row.number
        adapter = registry.get(row.kind)
        subject = subjects[row.kind].get(row.pk)
        if subject is None or adapter.plan_year_of(subject).year != period.year:
            ctx.errors.append(
                RowError(
                    row.number, HEADERS["id"], "找不到这一行对应的指标或项目，请重新下载模板。"
                )
            )
            continue
        if adapter.department_id(subject) != department.pk:
            ctx.errors.append(
                RowError(
                    row.number,
                    HEADERS["code"],
                    (
                        f"{subject.code} 由{subject.lead_department}负责，"
                        f"不属于{department}，不能填报。"
                    ),
                )
            )
            continue
        write = _check(row, adapter, subject, histories[row.kind][row.pk], ctx)
        if write is not None:
            writes.append(write)
    ctx.errors.sort(key=lambda error: error.row)
    return writes, ctx.errors


def refusal_errors(refusals: list[Refusal]) -> list[RowError]:
    """The workflow's refusals of an import, as the rows and columns they concern."""
    return [RowError(r.key, REFUSAL_COLUMN[r.about], r.message) for r in refusals]
