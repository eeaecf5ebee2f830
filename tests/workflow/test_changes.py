"""Which counted values a write moved (workflow.registry.counted_changes): a table."""

from dataclasses import dataclass
from decimal import Decimal as D

import pytest

from workflow.registry import Change, counted_changes
from workflow.states import EntryState


@dataclass(frozen=True)
class Values:
    amount: D | None = None
    note: str = ""


@dataclass
class Entry:
    state: str

    @property
    def counts(self) -> bool:
        return self.state in (EntryState.SUBMITTED, EntryState.APPROVED)


DRAFT, SUBMITTED, APPROVED, RETURNED = "draft", "submitted", "approved", "returned"


@pytest.mark.parametrize(
    ("before", "counted_before", "state_after", "after", "changed"),
    [
        # a new draft, a draft over a draft: nothing counted moves
        (None, False, DRAFT, Values(D(1)), set()),
        (Values(D(1)), False, DRAFT, Values(D(2)), set()),
        # a first submission starts counting its value
        (Values(D(1)), False, SUBMITTED, Values(D(1)), {"amount"}),
        (None, False, SUBMITTED, Values(D(1)), {"amount"}),
        # approval of what was submitted: the counted value is the same
        (Values(D(1)), True, APPROVED, Values(D(1)), set()),
        # a counted value edited while submitted
        (Values(D(1)), True, SUBMITTED, Values(D(2)), {"amount"}),
        # only the fields asked about are compared: here the note is one of them
        (Values(D(1), "a"), True, SUBMITTED, Values(D(1), "b"), {"note"}),
        # returned or reopened: the value stops counting
        (Values(D(1)), True, RETURNED, Values(D(1)), {"amount"}),
        # nothing typed: starting or stopping to count moves nothing
        (Values(None), False, SUBMITTED, Values(None), set()),
        (Values(D(1), ""), True, RETURNED, Values(D(1), ""), {"amount"}),
    ],
)
def test_counted_changes(before, counted_before, state_after, after, changed):
    change = Change(Entry(state_after), "any", None, counted_before, before)
    assert counted_changes(change, after, ("amount", "note")) == changed
