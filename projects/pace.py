"""Whether a key project's investment is behind its plan for the year (pure: no ORM,
no clock). The year's cumulative investment is held against the annual plan × 序时
进度, with the plan year's tolerance, the way a target's ratio is held against 序时
(targets/completion.py): a project more than the tolerance behind must say what the
problems are and what comes next, as a lagging target must."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from targets import completion


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
