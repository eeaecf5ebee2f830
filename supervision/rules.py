"""The 督办单's and 批示's rules, pure (no ORM, no clock): table-tested in
tests/supervision/test_rules.py and called from the services, queries and adapters."""

from datetime import date

# Order states (supervision.models.OrderState's codes; repeated here so the rules
# import no model).
DRAFT, OPEN, EXTENDED, CLOSED = "draft", "open", "extended", "closed"
ACTIVE = frozenset({OPEN, EXTENDED})


def order_is_overdue(*, state: str, deadline: date, as_of: date) -> bool:
    """Still being worked on after the day of its deadline."""
    return state in ACTIVE and deadline < as_of


def order_can_close(*, state: str) -> bool:
    return state in ACTIVE


def order_can_extend(*, state: str, deadline: date, new_deadline: date) -> bool:
    return state in ACTIVE and new_deadline > deadline


def order_takes_answer(*, state: str, opened_on: date | None, period: date) -> bool:
    """A department answers an order while it is being worked on, for a month from
    the one it was opened in."""
    if state not in ACTIVE or opened_on is None:
        return False
    return period >= opened_on.replace(day=1)


def order_owes_answer(*, state: str, opened_on: date | None, period: date, answered: bool) -> bool:
    """An order being worked on owes one answer (反馈), in the month it was opened or
    any later month until one counts (submitted or approved; ``answered``: in an
    earlier month). Never counted against the monthly due day: the
    order's own deadline is what makes it late (``order_is_overdue``)."""
    return order_takes_answer(state=state, opened_on=opened_on, period=period) and not answered


def instruction_takes_answer(*, answered: bool, created_on: date, period: date) -> bool:
    """An open instruction is answered for a month from the one it was written in."""
    return not answered and period >= created_on.replace(day=1)
