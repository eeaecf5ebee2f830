"""Whether a key project's investment is behind its plan for the year (pure: no ORM,
no clock). The year's cumulative investment is held against the annual plan × 序时
进度, with the plan year's tolerance, the way a target's ratio is held against 序时
(targets/completion.py): a project more than the tolerance behind must say what the
problems are and what comes next, as a lagging target must. ``month_status`` turns
the same rule into a project's month for the escalation ladder (supervision/ladder.py)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from projects import owed
from targets import completion
from targets.periods import month_end


@dataclass(frozen=True)
class PlanPace:
    invested: Decimal  # the year's investment up to the month, this report included
    plan: Decimal  # the annual plan
    ratio: Decimal  # invested / plan
    expected: Decimal  # 序时进度 (a share of the year)
    status: str  # completion's on_track / lagging / behind

    @property
    def expected_amount(self) -> Decimal:
        return completion.q(self.plan * self.expected)

    @property
    def behind(self) -> bool:
        """Behind its plan by more than the tolerance: problems and next steps are due."""
        return self.status == completion.BEHIND


def plan_pace(
    *,
    invested_before: Decimal,
    investment: Decimal | None,
    annual_plan: Decimal | None,
    year_starts: date,
    year_ends: date,
    as_of: date,
    tolerance: Decimal,
) -> PlanPace | None:
    """The year's investment up to ``as_of`` (the counted months before, plus this
    month's ``investment``) against the annual plan × 序时进度. None when the project
    has no annual plan (nothing to be behind)."""
    if annual_plan is None or annual_plan <= 0:
        return None
    invested = invested_before + (investment or Decimal(0))
    spec = completion.TargetSpec(
        kind=completion.CUMULATIVE, starts_on=year_starts, deadline=year_ends
    )
    expected = completion.expected_progress(spec, as_of)
    ratio = completion.q(invested / annual_plan)
    return PlanPace(
        invested=invested,
        plan=annual_plan,
        ratio=ratio,
        expected=expected,
        status=completion.status_from_gap(ratio, expected, tolerance),
    )


def month_status(
    *,
    period: date,
    reports: Iterable,
    annual_plan: Decimal | None,
    registered_stage: str,
    year_starts: date,
    year_ends: date,
    rules: completion.Rules,
) -> str | None:
    """A project's status at the end of ``period`` for the escalation ladder, from its
    reports up to that month (anything with period, state, investment and stage):

    - 未报送（not_reported）when the month's report is not in (missing, a draft or
      returned) and the project owes one （projects/owed.py：not at 谋划 or 竣工投产）；
      None when it owes none and sent none (nothing to judge);
    - else the pace rule above on the year's counted investment （the plan year's
      计入口径），so 严重滞后（behind）is exactly ``PlanPace.behind``: more than the
      tolerance short of annual plan × 序时；a project with no annual plan is on track.

    A report waiting for approval is in（never 未报送），as for targets; whether its
    figure counts is the plan year's counting rule."""
    mine = [r for r in reports if r.period <= period]
    this = next((r for r in mine if r.period == period), None)
    if this is None or not completion.is_reported(this.state):
        stage = owed.stage_at_month_end(period=period, reports=mine, registered=registered_stage)
        return completion.NOT_REPORTED if owed.project_owes(stage=stage) else None
    counted = [
        r
        for r in mine
        if r.period >= year_starts and completion.counts_toward_figure(r.state, rules)
    ]
    pace = plan_pace(
        invested_before=sum((r.investment or 0 for r in counted if r.period < period), Decimal(0)),
        investment=this.investment if completion.counts_toward_figure(this.state, rules) else None,
        annual_plan=annual_plan,
        year_starts=year_starts,
        year_ends=year_ends,
        as_of=month_end(period),
        tolerance=rules.tolerance,
    )
    return completion.ON_TRACK if pace is None else pace.status
