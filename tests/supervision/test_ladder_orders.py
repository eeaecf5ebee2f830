"""Where the month's close meets the 督办单: a red card drafts one for the reviewer to
confirm and is told to the 分管区领导; the bulletin counts overdue orders."""

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from django.utils import timezone

from org.models import OutboundEvent, OutboundMessage, Role
from supervision import closing, queries
from supervision.ladder import RED
from supervision.models import (
    DepartmentLeader,
    EscalationStep,
    OrderColour,
    OrderState,
    SupervisionOrder,
)
from supervision.orders import close_order, open_order
from targets.snapshots import recompute_plan_year
from tests import factories as f
from tests.reporting.conftest import JUNE, TODAY, world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def _close_through_june(world, capture):  # noqa: F811
    for month, value in zip(range(1, 6), (20, 50, 80, 110, 140), strict=True):
        f.entry(world.cumulative, date(2025, month, 1), value=D(value))
    recompute_plan_year(plan_year=world.year, today=TODAY)
    with capture(execute=True):
        closing.close_through(
            plan_year=world.year, through=JUNE, user=world.users["reviewer"], today=TODAY
        )


def test_a_red_card_drafts_one_order_told_to_nobody_until_confirmed(
    world,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    _close_through_june(world, django_capture_on_commit_callbacks)
    # 8.2 was never reported: yellow in January, red in February, listed in March.
    [order] = SupervisionOrder.objects.filter(target=world.foreign)
    assert (order.state, order.colour, order.deadline) == (
        OrderState.DRAFT,
        OrderColour.RED,
        date(2025, 3, 31),
    )
    assert order.lead_department == world.other
    assert "8.2" in order.requirement and "2025年2月" in order.requirement
    assert not OutboundMessage.objects.filter(event=OutboundEvent.ORDER).exists()
    # 8.1's first card (June, yellow) drafts nothing.
    assert not SupervisionOrder.objects.filter(target=world.cumulative).exists()


def test_a_red_card_is_told_to_the_overseeing_leader_only(
    world,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    overseer = f.user("overseer", Role.LEADER)
    DepartmentLeader.objects.create(department=world.other, leader=overseer)
    _close_through_june(world, django_capture_on_commit_callbacks)
    red = EscalationStep.objects.get(target=world.foreign, period=date(2025, 2, 1))
    assert set(red.notified.all()) == {world.users["other_staff"], overseer}


def test_the_bulletin_counts_orders_overdue_at_the_months_end(
    world,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    reviewer = world.users["reviewer"]
    overdue = open_order(
        subject=world.foreign,
        department=None,
        requirement="限期报送。",
        deadline=date(2025, 6, 10),
        colour=OrderColour.YELLOW,
        actor=reviewer,
        today=date(2025, 6, 1),
    )
    done = open_order(
        subject=world.cumulative,
        department=None,
        requirement="加快进度。",
        deadline=date(2025, 6, 10),
        colour=OrderColour.YELLOW,
        actor=reviewer,
        today=date(2025, 6, 1),
    )
    SupervisionOrder.objects.filter(pk__in=[overdue.pk, done.pk]).update(
        opened_at=timezone.make_aware(datetime(2025, 6, 1, 9))
    )
    close_order(order_id=done.pk, actor=reviewer, reason="已赶上进度。")
    SupervisionOrder.objects.filter(pk=done.pk).update(
        closed_at=timezone.make_aware(datetime(2025, 6, 20, 9))
    )
    _close_through_june(world, django_capture_on_commit_callbacks)
    data = queries.bulletin_data(plan_year=world.year, period=JUNE)
    assert [(o.title, o.department, o.deadline) for o in data.overdue_orders] == [
        ("8.2 测试指标", "其他局", date(2025, 6, 10))
    ]


def test_the_overview_shows_red_cards_and_the_orders_in_hand(
    world,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    _close_through_june(world, django_capture_on_commit_callbacks)
    reviewer = world.client("reviewer")
    page = reviewer.get("/?month=2025-06").content.decode()
    assert 'data-testid="red-cards"' in page
    assert "8.2 测试指标" in page and "红牌（列入通报）" in page
    # One draft per card that turned red (8.2 and the small world's other unreported
    # targets), for the 督查室 to confirm.
    turned_red = EscalationStep.objects.filter(level__gte=RED, previous_level__lt=RED).count()
    assert turned_red == SupervisionOrder.objects.filter(state=OrderState.DRAFT).count() > 1
    assert f"待确认交办 {turned_red} 件" in page
    # A leader sees the cards and the orders in hand, not the drafts.
    leader = world.client("leader")
    page = leader.get("/?month=2025-06").content.decode()
    assert "8.2 测试指标" in page and "办理中的督办单 0 件" in page
    assert "待确认交办" not in page
    # In January the cards were yellow: no red card on January's overview.
    assert 'data-testid="red-cards"' not in leader.get("/?month=2025-01").content.decode()
