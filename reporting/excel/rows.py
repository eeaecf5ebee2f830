"""Check an uploaded workbook's rows against the database, with the same forms the
web page uses, and turn them into the writes an import would make.

Every row is checked before anything is written, and every problem is reported
(row number, column, message); the import goes ahead only when there are none.
"""

from dataclasses import dataclass, replace
from datetime import date

from org.models import Department
from projects.models import KeyProject, ProjectProgress, Stage
from projects.services import ProgressValues
from reporting.excel.layout import HEADERS, PROJECT, TARGET, inputs_for
from reporting.excel.reader import ParsedWorkbook, RowError, SheetRow, blank
from reporting.forms import ProjectProgressForm, entry_form_class
from reporting.months import MonthError, check_target_month
from targets.models import Assessment, EntryState, ProgressEntry, Target
from targets.services import EntryValues, previous_counted_entry

LOCKED = "该记录已审核通过并锁定,不能通过上传修改;如需修改,请联系督查室重新打开。"
CHOICES = {
    "assessment": {label: code for code, label in Assessment.choices},
    "stage": {label: code for code, label in Stage.choices},
}


@dataclass(frozen=True)
class ImportItem:
    row: int
    kind: str
    obj: Target | KeyProject
    values: EntryValues | ProgressValues
    version: int
    submit: bool


@dataclass
class _Context:
    department: Department
    period: date
    today: date
    submit: bool
    errors: list[RowError]


def _form_data(row: SheetRow, inputs: dict[str, str], ctx: _Context) -> dict | None:
    """The row's cells as form data, or None (with errors) if it fills a column that
    is not its own or names a choice that does not exist."""
    data, ok = {"version": row.version}, True
    for key, value in row.cells.items():
        if key not in inputs:
            if not blank(value):
                ctx.errors.append(RowError(row.number, HEADERS[key], "这一行不填写此列,请留空。"))
                ok = False
            continue
        name = inputs[key]
        if name in CHOICES and not blank(value):
            code = CHOICES[name].get(str(value).strip())
            if code is None:
                ctx.errors.append(
                    RowError(
                        row.number,
                        HEADERS[key],
                        f"“{value}”不是可选项,请从下拉列表中选择:{'、'.join(CHOICES[name])}。",
                    )
                )
                ok = False
                continue
            value = code
        data[name] = value
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


def _check_target(row: SheetRow, target: Target, entry: ProgressEntry | None, ctx: _Context):
    if target.is_derived:
        ctx.errors.append(
            RowError(
                row.number, HEADERS["code"], "派生指标由系统根据重点项目台账自动汇总,不能填报。"
            )
        )
        return None
    inputs = inputs_for(target.kind)
    if row.version == 0 and all(blank(v) for v in row.cells.values()):
        return None  # a row left empty: not reported in this upload
    try:
        check_target_month(target, ctx.period, ctx.today)
    except MonthError as error:
        ctx.errors.append(RowError(row.number, HEADERS["code"], str(error)))
        return None
    data = _form_data(row, inputs, ctx)
    if data is None:
        return None
    locked = entry is not None and entry.state == EntryState.APPROVED
    form = entry_form_class(target)(
        data,
        target=target,
        period=ctx.period,
        today=ctx.today,
        previous=previous_counted_entry(target, ctx.period),
        # A locked row is only compared, so the submit-only requirements do not apply.
        action="submit" if ctx.submit and not locked else "save",
    )
    valid = form.is_valid()
    if locked:
        if not valid or not _same(form.values(), EntryValues.of(entry)):
            ctx.errors.append(RowError(row.number, HEADERS["state"], LOCKED))
        return None
    if not valid:
        _form_errors(row, form, inputs, ctx)
        return None
    values = form.values()
    if entry is not None and _unchanged(EntryValues.of(entry), values, entry.state, ctx.submit):
        return None
    return ImportItem(row.number, TARGET, target, values, row.version, ctx.submit)


def _check_project(
    row: SheetRow, project: KeyProject, progress: ProjectProgress | None, ctx: _Context
):
    inputs = inputs_for(PROJECT)
    filled = {k for k, v in row.cells.items() if not blank(v)}
    # A fresh template shows the project's stage; that alone is not a report.
    if row.version == 0 and filled <= {"choice"}:
        return None
    data = _form_data(row, inputs, ctx)
    if data is None:
        return None
    locked = progress is not None and progress.state == EntryState.APPROVED
    form = ProjectProgressForm(data, action="submit" if ctx.submit and not locked else "save")
    valid = form.is_valid()
    if locked:
        if not valid or not _same(form.values(), ProgressValues.of(progress)):
            ctx.errors.append(RowError(row.number, HEADERS["state"], LOCKED))
        return None
    if not valid:
        _form_errors(row, form, inputs, ctx)
        return None
    values = form.values()
    if progress is not None and _unchanged(
        ProgressValues.of(progress), values, progress.state, ctx.submit
    ):
        return None
    return ImportItem(row.number, PROJECT, project, values, row.version, ctx.submit)


def check_rows(
    parsed: ParsedWorkbook, *, department: Department, today: date, submit: bool
) -> tuple[list[ImportItem], list[RowError]]:
    """The writes the upload asks for, and every problem found in its rows."""
    period = parsed.period
    ctx = _Context(department, period, today, submit, list(parsed.errors))
    target_ids = [r.pk for r in parsed.rows if r.kind == TARGET]
    project_ids = [r.pk for r in parsed.rows if r.kind == PROJECT]
    targets = Target.objects.select_related("programme__plan_year", "lead_department").in_bulk(
        target_ids
    )
    entries = {
        e.target_id: e
        for e in ProgressEntry.objects.filter(target_id__in=target_ids, period=period)
    }
    projects = KeyProject.objects.select_related("plan_year", "lead_department").in_bulk(
        project_ids
    )
    progress = {
        p.project_id: p
        for p in ProjectProgress.objects.filter(project_id__in=project_ids, period=period)
    }
    items, seen = [], {}
    for row in parsed.rows:
        key = (row.kind, row.pk)
        if key in seen:
            ctx.errors.append(
                RowError(
                    row.number,
                    HEADERS["id"],
                    f"与第 {seen[key]} 行是同一个指标或项目,请删去重复的行。",
                )
            )
            continue
        seen[key] = row.number
        obj = (targets if row.kind == TARGET else projects).get(row.pk)
        year = None
        if obj is not None:
            year = obj.programme.plan_year.year if row.kind == TARGET else obj.plan_year.year
        if obj is None or year != period.year:
            ctx.errors.append(
                RowError(row.number, HEADERS["id"], "找不到这一行对应的指标或项目,请重新下载模板。")
            )
            continue
        if obj.lead_department_id != department.pk:
            ctx.errors.append(
                RowError(
                    row.number,
                    HEADERS["code"],
                    f"{obj.code} 由{obj.lead_department}负责,不属于{department},不能填报。",
                )
            )
            continue
        if row.kind == TARGET:
            item = _check_target(row, obj, entries.get(obj.pk), ctx)
        else:
            item = _check_project(row, obj, progress.get(obj.pk), ctx)
        if item is not None:
            items.append(item)
    ctx.errors.sort(key=lambda error: error.row)
    return items, ctx.errors
