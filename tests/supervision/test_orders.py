"""督办单 from 交办 to 销号 and 领导批示, through the pages: the reviewer opens an order
from the target page, the department answers (反馈) through the shared workflow, the
reviewer returns it, the department resubmits, the reviewer closes (销号) or extends;
a leader writes an instruction, the department sees it on /report/ and answers it, the
leader sees the answer. Permissions: another department cannot answer, a leader
cannot close, a clerk cannot open."""

from datetime import date

import pytest
from django.urls import reverse

from org.audit_models import AuditEvent
from org.models import OutboundChannel, OutboundEvent, OutboundMessage
from supervision import orders, rules
from supervision.models import (
    Instruction,
    InstructionAnswer,
    OrderAnswer,
    OrderState,
    ProgrammeLeader,
    SupervisionOrder,
)
from tests.reporting.conftest import world  # noqa: F401 (the fixture)
from workflow.states import EntryState

JULY = date(2025, 7, 1)


def _open(w, **extra) -> SupervisionOrder:
    response = w.client("reviewer").post(
        reverse("supervision:open_target", args=[w.cumulative.pk]),
        {
            "order-requirement": "请于月底前补齐进度",
            "order-deadline": "2025-07-31",
            "order-colour": "red",
            **extra,
        },
    )
    assert response.status_code == 302
    return SupervisionOrder.objects.get()


def _answer(w, order, who="own_staff", version=0, action="submit", **values):
    data = {"version": version, "action": action, "measures": "成立专班", "progress": "已签约两项"}
    data.update(values)
    return w.client(who).post(reverse("reporting:order_entry", args=[order.pk, JULY]), data)


def _review(w, kind, entry, action, reason="", who="reviewer"):
    return w.client(who).post(
        reverse(f"reporting:review_{kind}", args=[entry.pk]),
        {"action": action, "reason": reason, "version": entry.version},
    )


def test_order_open_answer_return_resubmit_close(world):  # noqa: F811
    w = world
    # The target page offers the form to the reviewer.
    page = w.client("reviewer").get(reverse("targets:target", args=[w.cumulative.pk]))
    assert "开具督办单" in page.content.decode()
    order = _open(w)
    assert order.state == OrderState.OPEN
    assert order.lead_department == w.own and order.opened_by == w.users["reviewer"]
    # The department's clerks are told (in-app and e-mail).
    told = OutboundMessage.objects.filter(event=OutboundEvent.ORDER)
    assert {m.channel for m in told} == {OutboundChannel.INAPP, OutboundChannel.EMAIL}
    assert {m.recipient for m in told} == {w.users["own_staff"]}
    # The target page lists it; /report/ shows it to the department.
    assert order.code in w.client("leader").get(f"/targets/{w.cumulative.pk}/").content.decode()
    assert order.code in w.client("own_staff").get("/report/").content.decode()

    # 反馈 through the shared workflow.
    assert _answer(w, order).status_code == 302
    answer = OrderAnswer.objects.get()
    assert answer.state == EntryState.SUBMITTED and answer.measures == "成立专班"
    # It waits in the one review queue.
    assert "督办单反馈" in w.client("reviewer").get("/review/").content.decode()
    assert _review(w, "order", answer, "return", "措施不具体").status_code == 302
    answer.refresh_from_db()
    assert answer.state == EntryState.RETURNED and answer.return_reason == "措施不具体"
    assert _answer(w, order, version=answer.version, measures="每周调度").status_code == 302
    answer.refresh_from_db()
    assert answer.state == EntryState.SUBMITTED and answer.measures == "每周调度"
    _review(w, "order", answer, "approve")
    answer.refresh_from_db()
    assert answer.state == EntryState.APPROVED
    # The history (shared) holds every step.
    assert answer.history.count() >= 4

    # 销号，with a reason.
    response = w.client("reviewer").post(
        reverse("supervision:order_close", args=[order.pk]), {"close-reason": "反馈已采纳"}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.state == OrderState.CLOSED and order.close_reason == "反馈已采纳"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"supervision.order_open", "supervision.order_close"} <= actions
    page = w.client("reviewer").get(reverse("supervision:order", args=[order.pk]))
    assert "已销号" in page.content.decode()


def test_order_extend_and_overdue(world):  # noqa: F811
    w = world
    order = _open(w)
    # Overdue after the deadline: on the list's filter and the overview.
    assert list(orders.overdue_orders(w.year, date(2025, 8, 1))) == [order]
    assert list(orders.overdue_orders(w.year, date(2025, 7, 31))) == []
    response = w.client("reviewer").post(
        reverse("supervision:order_extend", args=[order.pk]),
        {"extend-new_deadline": "2025-08-31", "extend-reason": "需省级审批"},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.state == OrderState.EXTENDED and order.deadline == date(2025, 8, 31)
    assert order.extensions.get().reason == "需省级审批"
    assert list(orders.overdue_orders(w.year, date(2025, 8, 1))) == []
    assert list(orders.overdue_orders(w.year, date(2025, 9, 1))) == [order]
    # An extension to an earlier day is refused with a reason, nothing written.
    w.client("reviewer").post(
        reverse("supervision:order_extend", args=[order.pk]),
        {"extend-new_deadline": "2025-08-01", "extend-reason": "再议"},
    )
    order.refresh_from_db()
    assert order.deadline == date(2025, 8, 31) and order.extensions.count() == 1
    # The list page filters overdue orders.
    page = w.client("reviewer").get("/supervision/orders/?overdue=on&state=extended")
    assert page.status_code == 200


def test_order_permissions(world):  # noqa: F811
    w = world
    # A clerk and a leader cannot open one.
    for who in ("own_staff", "leader"):
        response = w.client(who).post(
            reverse("supervision:open_target", args=[w.cumulative.pk]),
            {"order-requirement": "x", "order-deadline": "2025-07-31", "order-colour": "red"},
        )
        assert response.status_code == 403
    assert not SupervisionOrder.objects.exists()
    order = _open(w)
    # Another department cannot answer.
    assert _answer(w, order, who="other_staff").status_code == 403
    assert not OrderAnswer.objects.exists()
    # Nor read it.
    assert w.client("other_staff").get(f"/supervision/orders/{order.pk}/").status_code == 403
    # A leader cannot close or extend it.
    response = w.client("leader").post(
        reverse("supervision:order_close", args=[order.pk]), {"close-reason": "好"}
    )
    assert response.status_code == 403
    response = w.client("leader").post(
        reverse("supervision:order_extend", args=[order.pk]),
        {"extend-new_deadline": "2025-09-30", "extend-reason": "好"},
    )
    assert response.status_code == 403
    order.refresh_from_db()
    assert order.state == OrderState.OPEN
    # A clerk cannot return their own answer.
    _answer(w, order)
    answer = OrderAnswer.objects.get()
    assert _review(w, "order", answer, "return", "x", who="own_staff").status_code == 403
    # Closing without a reason says why and writes nothing.
    w.client("reviewer").post(reverse("supervision:order_close", args=[order.pk]), {})
    order.refresh_from_db()
    assert order.state == OrderState.OPEN


def test_a_drafted_order_waits_for_confirmation(world):  # noqa: F811
    w = world
    order = orders.open_order(
        subject=w.project,
        department=None,
        requirement="连续两月严重滞后",
        deadline=date(2025, 8, 15),
        colour="red",
        actor=None,
        draft=True,
    )
    assert order.state == OrderState.DRAFT and order.lead_department == w.own
    assert not OutboundMessage.objects.filter(event=OutboundEvent.ORDER).exists()
    w.client("reviewer").post(reverse("supervision:order_confirm", args=[order.pk]))
    order.refresh_from_db()
    assert order.state == OrderState.OPEN
    assert OutboundMessage.objects.filter(event=OutboundEvent.ORDER).exists()


def test_instruction_seen_answered_and_shown_to_the_leader(world):  # noqa: F811
    w = world
    ProgrammeLeader.objects.create(programme=w.cumulative.programme, leader=w.users["leader"])
    # The leader sees their programmes first on the overview.
    assert "我分管的工程" in w.client("leader").get("/").content.decode()
    # A reviewer has no instruction form; the leader has.
    url = f"/targets/{w.cumulative.pk}/"
    assert "作出批示" not in w.client("reviewer").get(url).content.decode()
    assert "作出批示" in w.client("leader").get(url).content.decode()
    response = w.client("leader").post(
        reverse("supervision:instruct_target", args=[w.cumulative.pk]),
        {"instruction-text": "请加快签约进度，月底前报告。"},
    )
    assert response.status_code == 302
    instruction = Instruction.objects.get()
    assert instruction.lead_department == w.own and instruction.is_open
    assert OutboundMessage.objects.filter(
        event=OutboundEvent.INSTRUCTION, recipient=w.users["own_staff"]
    ).exists()
    # The department sees it at the top of /report/; another does not.
    mine = w.client("own_staff").get("/report/").content.decode()
    assert "请加快签约进度" in mine and "办理批示" in mine
    assert "请加快签约进度" not in w.client("other_staff").get("/report/").content.decode()
    # Answered through the workflow; a thin answer is returned.
    entry_url = reverse("reporting:instruction_entry", args=[instruction.pk, JULY])
    w.client("own_staff").post(entry_url, {"version": 0, "action": "submit", "answer": "收到"})
    answer = InstructionAnswer.objects.get()
    _review(w, "instruction", answer, "return", "请写明具体措施")
    answer.refresh_from_db()
    assert answer.state == EntryState.RETURNED
    # Another department cannot answer it.
    response = w.client("other_staff").post(
        entry_url, {"version": answer.version, "action": "submit", "answer": "x"}
    )
    assert response.status_code == 403
    w.client("own_staff").post(
        entry_url,
        {
            "version": answer.version,
            "action": "submit",
            "answer": "已与三家企业签约，余下月底完成。",
        },
    )
    answer.refresh_from_db()
    _review(w, "instruction", answer, "approve")
    instruction.refresh_from_db()
    assert not instruction.is_open
    # The leader sees the answer under the instruction.
    page = w.client("leader").get("/supervision/instructions/").content.decode()
    assert "已与三家企业签约" in page
    assert "已与三家企业签约" in w.client("leader").get(url).content.decode()
    assert "supervision.instruction" in set(AuditEvent.objects.values_list("action", flat=True))
    # Staff have no instruction list; a clerk cannot write one.
    assert w.client("own_staff").get("/supervision/instructions/").status_code == 403
    response = w.client("own_staff").post(
        reverse("supervision:instruct_target", args=[w.cumulative.pk]),
        {"instruction-text": "x"},
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("state", "deadline", "as_of", "overdue"),
    [
        ("open", date(2025, 7, 31), date(2025, 7, 31), False),
        ("open", date(2025, 7, 31), date(2025, 8, 1), True),
        ("extended", date(2025, 7, 31), date(2025, 8, 1), True),
        ("closed", date(2025, 7, 31), date(2025, 8, 1), False),
        ("draft", date(2025, 7, 31), date(2025, 8, 1), False),
    ],
)
def test_order_is_overdue(state, deadline, as_of, overdue):
    assert rules.order_is_overdue(state=state, deadline=deadline, as_of=as_of) is overdue


@pytest.mark.parametrize(
    ("state", "opened", "period", "answered", "owes"),
    [
        ("open", date(2025, 7, 3), date(2025, 7, 1), False, True),
        ("open", date(2025, 7, 3), date(2025, 6, 1), False, False),  # before it was opened
        ("open", date(2025, 7, 3), date(2025, 8, 1), True, False),  # answered in July
        ("closed", date(2025, 7, 3), date(2025, 7, 1), False, False),
        ("draft", None, date(2025, 7, 1), False, False),
    ],
)
def test_order_owes_answer(state, opened, period, answered, owes):
    result = rules.order_owes_answer(
        state=state, opened_on=opened, period=period, answered=answered
    )
    assert result is owes
