"""What is particular to target entries in the shared workflow: the values a
department reports, and the reads the forms need (last month's figure, the preview).
The writes themselves are workflow/services.py's, through targets/adapters.py."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from targets import completion
from targets.models import ProgressEntry, Target
from targets.periods import month_end, month_start, report_due_date
from workflow.registry import ReportValues


# The fields a department reports (everything else is workflow bookkeeping).
@dataclass(frozen=True)
class EntryValues(ReportValues):
    value: Decimal | None = None
    percent: Decimal | None = None
    done_on: date | None = None
    assessment: str = ""
    narrative: str = ""
    problems: str = ""
    next_steps: str = ""
    correction_reason: str = ""


# --- reads the forms need ------------------------------------------------------------


def previous_counted_entry(
    target: Target, period: date, history: list[ProgressEntry] | None = None
) -> ProgressEntry | None:
    """The latest submitted or approved entry before ``period`` (last month's figure).
    ``history``: the target's entries, already loaded (no query then)."""
    if history is not None:
        before = [e for e in history if e.period < month_start(period) and e.counts]
        return max(before, key=lambda e: e.period) if before else None
    return (
        ProgressEntry.objects.filter(
            target=target, period__lt=month_start(period), state__in=completion.COUNTED_STATES
        )
        .order_by("-period")
        .first()
    )


def preview_entry(
    *,
    target: Target,
    period: date,
    values: EntryValues,
    today: date,
    history: list[ProgressEntry] | None = None,
) -> completion.TargetResult:
    """What the target's month would look like if this entry were submitted: its ratio
    against 序时进度 and the status it would get. Nothing is written. ``history``: the
    target's entries, already loaded (no query then)."""
    period = month_start(period)
    rules = target.programme.plan_year.rules
    if history is None:
        history = list(target.entries.filter(period__lte=period))
    others = [e.fact() for e in history if e.period != period and e.period <= period]
    # Under 仅计入已审核 a submitted figure waits for approval: the preview shows what
    # it will count for once approved.
    counted = completion.counts_toward_figure(completion.SUBMITTED, rules)
    hypothetical = completion.EntryFact(
        period=period,
        state=completion.SUBMITTED if counted else completion.APPROVED,
        value=values.value,
        percent=values.percent,
        done_on=values.done_on,
        assessment=values.assessment or None,
    )
    return completion.evaluate_target(
        target.spec(),
        [*others, hypothetical],
        as_of=month_end(period),
        # Judged as if this month's report were in: the preview is about the figure.
        today=max(today, report_due_date(period, rules.due_day)),
        rules=rules,
    )
