"""What a project's monthly report would change once submitted, for its entry page:
its pace against the year's plan (projects/pace.py) and the derived targets whose
figures it moves, each judged by the targets' own preview (targets.services.
preview_entry), as a target entry's preview is. Nothing is written."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from projects.models import KeyProject, ProjectProgress
from projects.pace import PlanPace
from targets import completion
from targets.metrics import registry as metrics
from targets.models import Target
from targets.periods import month_end
from targets.services import EntryValues, preview_entry

# What a month's investment is, to the metrics that read it.
INVESTMENT_FIELDS = frozenset({"ProjectProgress.investment"})


@dataclass(frozen=True)
class DerivedMove:
    """One derived target this report moves: its figure now and after, and what the
    month would look like then."""

    target: Target
    before: Decimal
    after: Decimal
    result: completion.TargetResult


@dataclass(frozen=True)
class ProgressPreview:
    pace: PlanPace | None
    moves: list[DerivedMove]


def derived_moves(
    *, project: KeyProject, period: date, investment: Decimal | None, today: date
) -> list[DerivedMove]:
    """The derived targets of the project's year whose metric reads the month's
    investment, with their month-end figure before and after this report counts."""
    plan_year = project.plan_year
    as_of = month_end(period)
    sources = metrics.reading(INVESTMENT_FIELDS)
    if not sources or not project.listed_at(as_of):
        return []
    targets = list(
        Target.objects.filter(programme__plan_year=plan_year, source__in=sources)
        .select_related("programme__plan_year")
        .order_by("programme__number", "sort_order", "code")
    )
    if not targets:
        return []
    counted = (
        ProjectProgress.objects.filter(
            project=project, period=period, state__in=completion.COUNTED_STATES
        )
        .values_list("investment", flat=True)
        .first()
    )
    delta = (investment or Decimal(0)) - (counted or Decimal(0))
    moves = []
    for target in targets:
        before = metrics.get(target.source)(plan_year, as_of)
        after = before + delta
        result = preview_entry(
            target=target, period=period, values=EntryValues(value=after), today=today, history=[]
        )
        moves.append(DerivedMove(target=target, before=before, after=after, result=result))
    return moves
