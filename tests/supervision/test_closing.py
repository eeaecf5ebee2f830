"""Closing a month freezes it; a later entry shows as a correction; reopening is
audited; the ladder runs when a month closes. On the reporting tests' small world
(today 2025-07-20: January to June have ended)."""

import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from org.audit_models import AuditEvent
from org.models import OutboundEvent, OutboundMessage
from supervision import closing, escalation, queries, services
from supervision.ladder import LISTED, RED, YELLOW
from supervision.models import Bulletin, EscalationStep
from targets.models import ClosedMonth, ProgrammeSnapshot, TargetSnapshot
from targets.snapshots import recompute_plan_year
from tests import factories as f
from tests.reporting.conftest import JUNE, TODAY, world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db
JULY = date(2025, 7, 1)
LATER = date(2025, 8, 20)  # July has ended too


def snapshot_rows(period):
    return (
        list(TargetSnapshot.objects.filter(period=period).order_by("target_id").values()),
        list(ProgrammeSnapshot.objects.filter(period=period).order_by("pk").values()),
    )


@pytest.fixture
def closed(world, django_capture_on_commit_callbacks):  # noqa: F811
    """Entries for 8.1 January to May (June not reported), computed, January to June
    closed by the reviewer (the ladder runs as each closes)."""
    for month, value in zip(range(1, 6), (20, 50, 80, 110, 140), strict=True):
        f.entry(world.cumulative, date(2025, month, 1), value=D(value))
    recompute_plan_year(plan_year=world.year, today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        closing.close_through(
            plan_year=world.year, through=JUNE, user=world.users["reviewer"], today=TODAY
        )
    return world


def test_closing_freezes_snapshots_and_a_later_entry_is_a_correction(closed, settings, tmp_path):
    world = closed  # noqa: F811 (the world, closed)
    settings.MEDIA_ROOT = tmp_path
    before = snapshot_rows(JUNE)
    june = TargetSnapshot.objects.get(target=world.cumulative, period=JUNE)
    assert june.status == "not_reported"
    draft = services.generate_bulletin(
        plan_year=world.year, period=JUNE, user=world.users["reviewer"], number=3
    )
    published = services.publish_bulletin(bulletin_row=draft, user=world.users["reviewer"])
    published_bytes = published.file.open("rb").read()

    # June's report comes in late, after June was closed; the daily recompute runs.
    late = f.entry(world.cumulative, JUNE, value=D(200))
    recompute_plan_year(plan_year=world.year, today=LATER)

    assert snapshot_rows(JUNE) == before  # frozen: not one field moved
    july = TargetSnapshot.objects.get(target=world.cumulative, period=JULY)
    assert july.actual == D(200)  # the open month after it carries the figure
    fixes = queries.corrections(plan_year=world.year, periods=[JUNE])
    assert [(c.target.code, c.entry_id) for c in fixes[JUNE]] == [("8.1", late.pk)]
    # The published bulletin is as it was, and regenerating June reads the same.
    published.refresh_from_db()
    assert published.is_published
    assert published.file.open("rb").read() == published_bytes
    again = services.generate_bulletin(
        plan_year=world.year, period=JUNE, user=world.users["reviewer"], number=3
    )
    assert again.text_digest == published.text_digest
    # The months page lists the correction.
    response = world.client("reviewer").get("/supervision/months/")
    assert response.status_code == 200
    row = response.content.decode().split('data-month="2025-06"')[1].split("</tr>")[0]
    assert "8.1" in row and "更正" in row


def test_recompute_rewrites_open_months_only(closed):
    world = closed  # noqa: F811 (the world, closed)
    ProgrammeSnapshot.objects.filter(period=JUNE).update(target_count=99)
    recompute_plan_year(plan_year=world.year, today=LATER)
    assert set(
        ProgrammeSnapshot.objects.filter(period=JUNE).values_list("target_count", flat=True)
    ) == {99}
    assert ProgrammeSnapshot.objects.filter(period=JULY).exists()


def test_reopen_is_audited_and_lets_the_recompute_rewrite_the_month(closed):
    world = closed  # noqa: F811 (the world, closed)
    reviewer = world.users["reviewer"]
    row = ClosedMonth.objects.get(plan_year=world.year, period=JUNE)
    with pytest.raises(closing.ClosingError, match="原因"):
        closing.reopen_month(closed_month=row, user=reviewer, reason="  ")
    may = ClosedMonth.objects.get(plan_year=world.year, period=date(2025, 5, 1))
    with pytest.raises(closing.ClosingError, match="最近关账"):
        closing.reopen_month(closed_month=may, user=reviewer, reason="更正")
    with pytest.raises(PermissionDenied):
        closing.reopen_month(closed_month=row, user=world.users["leader"], reason="更正")
    assert not AuditEvent.objects.filter(action="supervision.reopen_month").exists()

    f.entry(world.cumulative, JUNE, value=D(200))
    closing.reopen_month(closed_month=row, user=reviewer, reason="区征收中心补报6月数据")
    event = AuditEvent.objects.get(action="supervision.reopen_month")
    assert (event.actor_username, event.detail) == (
        "reviewer",
        {"month": "2025-06", "reason": "区征收中心补报6月数据"},
    )
    row.refresh_from_db()
    assert (row.closed, row.reopened_by, row.reopen_reason) == (
        False,
        reviewer,
        "区征收中心补报6月数据",
    )
    recompute_plan_year(plan_year=world.year, today=TODAY)
    june = TargetSnapshot.objects.get(target=world.cumulative, period=JUNE)
    assert june.actual == D(200)
    # Closed again, by the page.
    response = world.client("reviewer").post("/supervision/months/2025-06/close/")
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.closed
    assert AuditEvent.objects.filter(action="supervision.close_month").count() == 7


def test_closing_is_refused_out_of_order_or_before_the_month_ends(world):  # noqa: F811
    reviewer = world.users["reviewer"]
    with pytest.raises(closing.ClosingError, match="请先关账2025年5月"):
        closing.close_month(plan_year=world.year, period=JUNE, user=reviewer, today=TODAY)
    with pytest.raises(closing.ClosingError, match="尚未结束"):
        closing.close_month(plan_year=world.year, period=JULY, user=reviewer, today=TODAY)
    with pytest.raises(PermissionDenied):
        closing.close_month(
            plan_year=world.year, period=date(2025, 1, 1), user=world.users["leader"], today=TODAY
        )
    assert not ClosedMonth.objects.exists()


def test_the_ladder_runs_when_months_close_and_notifies(closed):
    world = closed  # noqa: F811 (the world, closed)
    # 8.2 (the other department's) was never reported: a card each month.
    steps = list(EscalationStep.objects.filter(target=world.foreign).values_list("period", "level"))
    assert steps == [
        (date(2025, 1, 1), YELLOW),
        (date(2025, 2, 1), RED),
        (date(2025, 3, 1), LISTED),
    ]
    yellow, red = EscalationStep.objects.filter(target=world.foreign).order_by("period")[:2]
    assert set(yellow.notified.all()) == {world.users["other_staff"]}
    assert set(red.notified.all()) == {world.users["other_staff"], world.users["leader"]}
    assert OutboundMessage.objects.filter(
        event=OutboundEvent.ESCALATION, recipient=world.users["leader"]
    ).exists()
    # 8.1 reported January to May on its pace: June's missing report is its first card.
    assert list(
        EscalationStep.objects.filter(target=world.cumulative).values_list("period", "level")
    ) == [(JUNE, YELLOW)]
    # red_steps: the cards that turned red that month, for a 督办单 each.
    assert world.foreign in [s.target for s in escalation.red_steps(date(2025, 2, 1))]
    assert world.foreign not in [s.target for s in escalation.red_steps(date(2025, 3, 1))]
    # Running a month again (the command) records nothing new.
    count = EscalationStep.objects.count()
    out = io.StringIO()
    call_command("run_escalation", month="2025-03", stdout=out)
    assert "0 条" in out.getvalue()
    assert EscalationStep.objects.count() == count


def test_target_page_shows_the_card_and_its_history(closed):
    world = closed  # noqa: F811 (the world, closed)
    response = world.client("leader").get(f"/targets/{world.foreign.pk}/")
    html = response.content.decode()
    panel = html.split('data-testid="escalation-panel"')[1].split("</section>")[0]
    assert "红牌（列入通报）" in panel and "2025年1月" in panel and "黄牌" in panel


def test_a_leader_drafts_for_themselves_and_cannot_publish(closed, settings, tmp_path):
    world = closed  # noqa: F811 (the world, closed)
    settings.MEDIA_ROOT = tmp_path
    leader = world.users["leader"]
    draft = services.generate_bulletin(plan_year=world.year, period=JUNE, user=leader)
    assert draft.private
    with pytest.raises(PermissionDenied):
        services.publish_bulletin(bulletin_row=draft, user=leader)
    with pytest.raises(services.BulletinError, match="个人草稿"):
        services.publish_bulletin(bulletin_row=draft, user=world.users["reviewer"])
    # Nobody else sees a leader's own draft.
    assert (
        world.client("reviewer").get(f"/supervision/bulletins/{draft.pk}/download/").status_code
        == 403
    )
    assert (
        world.client("leader").get(f"/supervision/bulletins/{draft.pk}/download/").status_code
        == 200
    )


def test_publishing_needs_a_number_and_tells_the_leaders(closed, settings, tmp_path):
    world = closed  # noqa: F811 (the world, closed)
    settings.MEDIA_ROOT = tmp_path
    reviewer = world.users["reviewer"]
    client = world.client("reviewer")
    response = client.post("/supervision/bulletins/generate/", {"month": "2025-06"})
    assert response.status_code == 302
    draft = Bulletin.objects.get()
    assert (draft.private, draft.number, draft.generated_by) == (False, None, reviewer)
    with pytest.raises(services.BulletinError, match="文号"):
        services.publish_bulletin(bulletin_row=draft, user=reviewer)
    client.post("/supervision/bulletins/generate/", {"month": "2025-06", "number": "12"})
    numbered = Bulletin.objects.get(number=12)
    response = client.post(f"/supervision/bulletins/{numbered.pk}/publish/")
    assert response.status_code == 302
    numbered.refresh_from_db()
    assert numbered.is_published and numbered.published_by == reviewer
    assert OutboundMessage.objects.filter(
        event=OutboundEvent.BULLETIN, recipient=world.users["leader"]
    ).exists()
    assert AuditEvent.objects.filter(action="supervision.publish_bulletin").count() == 1
    # A month that is not closed: a clear message, nothing written.
    response = client.post("/supervision/bulletins/generate/", {"month": "2025-07"}, follow=True)
    assert "尚未关账" in response.content.decode()
    assert Bulletin.objects.count() == 2


def test_months_and_bulletins_pages_run_a_fixed_number_of_queries(
    closed, settings, tmp_path, django_assert_num_queries
):
    world = closed  # noqa: F811 (the world, closed)
    settings.MEDIA_ROOT = tmp_path
    client = world.client("reviewer")
    client.get("/supervision/months/")  # the session's first write is not counted
    # session, user, profile, plan year, closed months (with who closed them), the
    # closed months' entries with their frozen snapshot's sources (corrections: one
    # query, the snapshots a subquery), the bulletins, demo banner, the header's
    # unread notices
    with django_assert_num_queries(9):
        assert client.get("/supervision/months/").status_code == 200
    services.generate_bulletin(plan_year=world.year, period=JUNE, user=world.users["reviewer"])
    for month in range(1, 7):
        f.entry(world.foreign, date(2025, month, 1), value=D(1))
    with django_assert_num_queries(9):
        assert client.get("/supervision/months/").status_code == 200
    # session, user, profile, the bulletins (with who made and published them), demo
    # banner, the header's unread notices
    with django_assert_num_queries(6):
        assert client.get("/supervision/bulletins/").status_code == 200
