"""The supervision pages run a fixed number of queries at 1 and 20 rows."""

from datetime import date

import pytest
from django.utils import timezone

from supervision.models import Instruction, InstructionAnswer, SupervisionOrder
from tests import factories as f
from tests.reporting.conftest import world  # noqa: F401 (the fixture)
from workflow.states import EntryState

JUNE = date(2025, 6, 1)


def grow(w, size: int) -> None:
    opened = timezone.make_aware(timezone.datetime(2025, 6, 2, 9))
    for n in range(size):
        target = f.target(w.cumulative.programme, code=f"8.{80 + n}", lead_department=w.own)
        order = SupervisionOrder.objects.create(
            plan_year=w.year,
            target=target,
            programme=target.programme,
            lead_department=w.own,
            requirement=f"要求{n}",
            deadline=date(2025, 7, 1),
            colour="red",
            opened_at=opened,
            opened_by=w.users["reviewer"],
        )
        instruction = Instruction.objects.create(
            plan_year=w.year,
            author=w.users["leader"],
            text=f"批示{n}",
            target=target,
            lead_department=w.own,
            created_at=opened,
        )
        InstructionAnswer.objects.create(
            instruction=instruction, period=JUNE, state=EntryState.SUBMITTED, answer=f"办理{n}"
        )
        assert order.pk


@pytest.mark.parametrize("size", [1, 20])
def test_order_list_query_count_is_fixed(world, django_assert_num_queries, size):  # noqa: F811
    grow(world, size)
    client = world.client("reviewer")
    # session, user, profile; the filter's department (validated); the orders with
    # their subjects, departments and who opened them; the demo banner; the filter's
    # department choices
    # (+1: the header's unread notices)
    with django_assert_num_queries(8):
        response = client.get(f"/supervision/orders/?overdue=on&department={world.own.pk}")
    assert len(response.context["rows"]) == size
    assert all(row.overdue for row in response.context["rows"])


@pytest.mark.parametrize("size", [1, 20])
def test_instruction_list_query_count_is_fixed(world, django_assert_num_queries, size):  # noqa: F811
    grow(world, size)
    client = world.client("leader")
    # session, user, profile; the leader's instructions with their subjects; their
    # answers; the demo banner
    # (+1: the header's unread notices)
    with django_assert_num_queries(7):
        response = client.get("/supervision/instructions/")
    assert len(response.context["open_rows"]) == size
    assert response.context["open_rows"][0].answer.answer.startswith("办理")


@pytest.mark.parametrize("size", [1, 20])
def test_report_panel_query_count_is_fixed(world, django_assert_num_queries, size):  # noqa: F811
    grow(world, size)
    client = world.client("own_staff")
    client.get("/report/?month=2025-06")
    # /report/'s own 21 (tests/reporting/test_pages.py), and the panel's instructions'
    # answers once there are instructions
    # (+1: the header's unread notices)
    with django_assert_num_queries(23):
        response = client.get("/report/?month=2025-06")
    page = response.content.decode()
    assert "批示0" in page and "逾期" in page
