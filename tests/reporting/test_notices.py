"""站内通知 and e-mail for the workflow's steps, through the one outbound log: a return
or a reopen tells the department's clerks (in-app and e-mail), a submission tells the
reviewers (in-app, one notice per department and batch); the header's bell and
/notices/ show a user their own notices only."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core import mail
from django.urls import reverse

from org.models import OutboundChannel, OutboundEvent, OutboundMessage, Role
from org.outbound import notify, unread
from targets.models import EntryState, ProgressEntry
from tests import factories as f
from tests.reporting.conftest import JUNE
from tests.reporting.test_excel import DATA_SHEET, as_upload, download, fill

OCTOBER = date(2025, 10, 1)


def notices(user, event=None) -> list[OutboundMessage]:
    rows = OutboundMessage.objects.filter(recipient=user, channel=OutboundChannel.INAPP)
    if event:
        rows = rows.filter(event=event)
    return list(rows)


def submit(world, target, period=JUNE, value="200", version="0", who="own_staff"):
    return world.client(who).post(
        reverse("reporting:target_entry", args=[target.pk, period]),
        {"version": version, "action": "submit", "value": value, "narrative": "按计划推进。"},
    )


def review(world, entry, action, reason="", who="reviewer"):
    return world.client(who).post(
        reverse("reporting:review_target", args=[entry.pk]),
        {"action": action, "reason": reason, "version": entry.version, "next": "/review/"},
    )


def test_a_return_of_october_mails_the_clerk_and_shows_first_in_november(
    world, settings, django_capture_on_commit_callbacks
):
    settings.SITE_TODAY = date(2025, 11, 20)
    entry = f.entry(world.cumulative, OCTOBER, value=D(5), submitted_by=world.users["own_staff"])
    with django_capture_on_commit_callbacks(execute=True):
        response = review(world, entry, "return", "累计数与统计口径不一致，请核实。")
    assert response.status_code == 302
    entry_url = reverse("reporting:target_entry", args=[world.cumulative.pk, OCTOBER])

    # the e-mail, to the department's clerk (not to the other department's)
    [message] = mail.outbox
    assert message.to == ["staff@example.org"]
    assert message.subject == "【退回修改】8.1 测试指标（2025年10月）"
    assert "原因：累计数与统计口径不一致，请核实。" in message.body
    # the in-app notice, with who returned it and the link to the entry
    clerk = world.users["own_staff"]
    [notice] = notices(clerk)
    assert (notice.event, notice.link, notice.actor) == (
        OutboundEvent.RETURNED,
        entry_url,
        world.users["reviewer"],
    )
    assert notices(world.users["other_staff"]) == []

    # November's /report/: the returned entry on top, the notice in the header
    client = world.client("own_staff")
    page = client.get(reverse("reporting:my_month"))
    assert page.context["period"] == date(2025, 11, 1)
    assert [r.entry.pk for r in page.context["page"].returned] == [entry.pk]
    html = page.content.decode()
    assert html.index('data-testid="notice-menu"') < html.index('data-testid="returned-entries"')
    assert 'data-testid="notice-count">1<' in html
    assert "【退回修改】8.1 测试指标（2025年10月）" in html
    open_url = reverse("notice_open", args=[notice.pk])
    assert f'href="{open_url}"' in html

    # opened: marked read, and on to the entry
    opened = client.get(open_url)
    assert (opened.status_code, opened["Location"]) == (302, entry_url)
    notice.refresh_from_db()
    assert notice.read_at is not None
    html = client.get(reverse("reporting:my_month")).content.decode()
    assert 'data-testid="notice-count"' not in html
    assert "没有未读通知。" in html


def test_a_reopen_tells_the_clerk_too(world, django_capture_on_commit_callbacks):
    entry = f.entry(world.cumulative, JUNE, value=D(5), state=EntryState.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        review(world, entry, "reopen", "数据需要更正。")
    [notice] = notices(world.users["own_staff"])
    assert notice.event == OutboundEvent.REOPENED
    assert notice.subject == "【重新打开】8.1 测试指标（2025年6月）"
    assert [m.to for m in mail.outbox] == [["staff@example.org"]]


def test_an_approval_tells_nobody(world):
    entry = f.entry(world.cumulative, JUNE, value=D(5), submitted_by=world.users["own_staff"])
    review(world, entry, "approve")
    assert not OutboundMessage.objects.exists()


def test_reviewers_get_a_notice_on_submit_and_on_resubmit_without_e_mail(world):
    second = f.user("reviewer-2", Role.REVIEWER, email="rev2@example.org")
    reviewers = [world.users["reviewer"], second]
    assert submit(world, world.cumulative).status_code == 302
    for reviewer in reviewers:
        [notice] = notices(reviewer, OutboundEvent.SUBMITTED)
        assert notice.subject == "【待审核】区自有局提交了指标“8.1 测试指标（2025年6月）”"
        assert notice.link == reverse("reporting:target_entry", args=[world.cumulative.pk, JUNE])
        assert notice.actor == world.users["own_staff"]
    # in-app only: no e-mail row for the reviewers
    assert not OutboundMessage.objects.filter(channel=OutboundChannel.EMAIL).exists()
    # the clerk, the leader, the admin hear nothing of it
    assert notices(world.users["own_staff"]) == notices(world.users["leader"]) == []

    # editing a report still waiting in the queue tells nobody again
    entry = ProgressEntry.objects.get(target=world.cumulative, period=JUNE)
    submit(world, world.cumulative, value="210", version=str(entry.version))
    assert len(notices(second, OutboundEvent.SUBMITTED)) == 1

    entry.refresh_from_db()
    review(world, entry, "return", "请补充说明。")
    entry.refresh_from_db()
    assert (
        submit(world, world.cumulative, value="220", version=str(entry.version)).status_code == 302
    )
    for reviewer in reviewers:
        latest = notices(reviewer, OutboundEvent.SUBMITTED)[0]  # newest first
        assert latest.subject == "【待审核】区自有局重新提交了指标“8.1 测试指标（2025年6月）”"
        assert len(notices(reviewer, OutboundEvent.SUBMITTED)) == 2


def test_a_draft_tells_nobody(world):
    world.client("own_staff").post(
        reverse("reporting:target_entry", args=[world.cumulative.pk, JUNE]),
        {"version": "0", "action": "save", "value": "200"},
    )
    assert not OutboundMessage.objects.exists()


def test_an_excel_upload_is_one_notice_per_reviewer(world):
    second = f.user("reviewer-2", Role.REVIEWER)
    programme = world.cumulative.programme
    codes = [
        f.target(programme, code=f"8.{100 + i}", lead_department=world.own).code for i in range(20)
    ]
    codes += [
        f.project(world.year, programme, code=f"X{i:03d}", lead_department=world.own).code
        for i in range(20)
    ]
    book = download(world)
    for code in codes:
        # A target's year-to-date total and a project's month amount: own columns.
        figure = "investment" if code.startswith("X") else "figure"
        fill(book[DATA_SHEET], code, **{figure: 300}, narrative="进展。")
    response = world.client("own_staff").post(
        "/report/excel/", {"workbook": as_upload(book), "submit": "1"}
    )
    assert response.status_code == 302
    for reviewer in (world.users["reviewer"], second):
        [notice] = notices(reviewer)
        assert notice.subject == "【待审核】区自有局提交了 40 条进展"
        assert notice.link == reverse("reporting:review") + "?department=own&month=2025-06"
        assert len(notice.body.splitlines()) == 40
        assert notice.actor == world.users["own_staff"]
    assert OutboundMessage.objects.count() == 2


def test_an_excel_upload_refused_tells_nobody(world):
    book = download(world)
    fill(book[DATA_SHEET], "8.1", figure="很多")
    response = world.client("own_staff").post(
        "/report/excel/", {"workbook": as_upload(book), "submit": "1"}
    )
    assert response.status_code == 400  # the rows' problems listed, nothing written
    assert not OutboundMessage.objects.exists()


# --- the bell and /notices/ -------------------------------------------------------------


@pytest.fixture
def two_inboxes(world):
    own, other = world.users["own_staff"], world.users["other_staff"]
    [mine] = notify(
        OutboundEvent.REMINDER,
        recipients=[own],
        subject="给自有局的通知",
        link="/report/",
        email=False,
    )
    [theirs] = notify(
        OutboundEvent.REMINDER,
        recipients=[other],
        subject="给其他局的通知",
        link="/report/",
        email=False,
    )
    return mine, theirs


def test_notices_page_shows_only_the_users_own(world, two_inboxes):
    mine, _theirs = two_inboxes
    response = world.client("own_staff").get(reverse("notices"))
    assert response.status_code == 200
    assert [n.pk for n in response.context["page"].object_list] == [mine.pk]
    html = response.content.decode()
    assert "给自有局的通知" in html
    assert "给其他局的通知" not in html


def test_opening_another_users_notice_does_nothing(world, two_inboxes):
    _mine, theirs = two_inboxes
    response = world.client("own_staff").get(reverse("notice_open", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_all_marks_only_the_users_own(world, two_inboxes):
    _mine, _theirs = two_inboxes
    response = world.client("own_staff").post(reverse("notices_read"), {"next": "/report/"})
    assert (response.status_code, response["Location"]) == (302, "/report/")
    assert unread(world.users["own_staff"]).count() == 0
    assert unread(world.users["other_staff"]).count() == 1


@pytest.mark.parametrize(
    "link",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", ""],
)
def test_a_notice_never_sends_its_reader_off_the_site(world, link):
    [notice] = notify(
        OutboundEvent.OTHER,
        recipients=[world.users["own_staff"]],
        subject="x",
        link=link,
        email=False,
    )
    response = world.client("own_staff").get(reverse("notice_open", args=[notice.pk]))
    assert (response.status_code, response["Location"]) == (302, reverse("notices"))
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_read_all_goes_back_only_to_a_local_page(world):
    response = world.client("own_staff").post(
        reverse("notices_read"), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("notices")


def test_the_bell_counts_at_most_nine_plus(world):
    clerk = world.users["own_staff"]
    for n in range(12):
        notify(OutboundEvent.OTHER, recipients=[clerk], subject=f"通知{n}", email=False)
    html = world.client("own_staff").get(reverse("notices")).content.decode()
    assert 'data-testid="notice-count">9+<' in html
    menu = html.split('data-testid="notice-menu"')[1].split("</details>")[0]
    assert menu.count("/notices/") >= 9
    # the newest nine：通知11 … 通知3
    assert "通知11" in menu and "通知3" in menu and "通知2" not in menu
