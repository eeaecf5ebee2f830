"""Plausibility checks end to end: a warned figure is written only with a confirmation
and a reason (web form and workbook), and is then flagged 异常 in the review queue, on
the target page and in the entry's history."""

from decimal import Decimal as D

from django.urls import reverse

from projects.models import ProjectProgress
from reporting.excel.layout import INDEX
from targets.models import EntryState, ProgressEntry
from tests import factories as f
from tests.reporting.conftest import JUNE, MAY
from tests.reporting.helpers import footprint
from tests.reporting.test_excel import as_upload, download, fill, rows_by_code, upload
from workflow.confirm import EXCEL_HINT
from workflow.plausibility import CONFIRM_HINT

SLIP = "数值约为上月的 11,583 倍，是否把平方米误填为万平方米？"
SCHOOLS = "数值 1,000所 超过目标值 9所 的 3 倍，请核实。"
REASON = "本月集中办理历史遗留项目的产权登记。"


def entry_url(target, period=JUNE) -> str:
    return reverse("reporting:target_entry", args=[target.pk, period])


def post(world, target, data: dict, who="own_staff"):
    payload = {"version": "0", "action": "save", **data}
    return world.client(who).post(entry_url(target), payload)


def with_may(world):
    f.entry(world.cumulative, MAY, value=D(240))


def test_the_unit_slip_is_refused_without_confirmation_and_nothing_written(world):
    with_may(world)
    before = footprint()
    response = post(world, world.cumulative, {"value": "2780000", "action": "submit"})
    assert response.status_code == 200
    [message] = response.context["form"].errors["unusual_reason"]
    assert message.startswith(SLIP) and message.endswith(CONFIRM_HINT)
    assert SLIP in response.content.decode()
    assert footprint() == before


def test_the_preview_shows_the_warning_and_writes_nothing(world):
    with_may(world)
    before = footprint()
    response = post(world, world.cumulative, {"value": "2780000", "action": "preview"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.plausibility_warnings[0] == SLIP
    assert not form.errors
    page = response.content.decode()
    assert 'data-testid="plausibility"' in page and SLIP in page
    assert footprint() == before


def test_a_checkbox_without_a_reason_is_not_a_confirmation(world):
    with_may(world)
    before = footprint()
    response = post(world, world.cumulative, {"value": "2780000", "confirm_unusual": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors["unusual_reason"]
    assert footprint() == before


def test_a_thousand_schools_against_nine_warns(world):
    before = footprint()
    response = post(world, world.foreign, {"value": "1,000"}, who="other_staff")
    assert response.status_code == 200
    assert response.context["form"].errors["unusual_reason"] == [SCHOOLS + CONFIRM_HINT]
    assert footprint() == before


def test_a_normal_month_passes_unflagged(world):
    with_may(world)
    response = post(world, world.cumulative, {"value": "260", "action": "submit"})
    assert response.status_code == 302
    entry = ProgressEntry.objects.get(target=world.cumulative, period=JUNE)
    assert (entry.value, entry.unusual, entry.unusual_reason) == (D(260), False, "")


def test_the_thresholds_are_read_from_the_plan_year(world):
    world.year.plausibility_max_multiple = D(200)  # 1,000 is under 200 × 9
    world.year.save()
    response = post(world, world.foreign, {"value": "1,000"}, who="other_staff")
    assert response.status_code == 302
    assert ProgressEntry.objects.get(target=world.foreign).unusual is False


def test_a_confirmed_value_is_saved_and_flagged_everywhere(world):
    with_may(world)
    response = post(
        world,
        world.cumulative,
        {
            "value": "2780000",
            "action": "submit",
            "confirm_unusual": "on",
            "unusual_reason": REASON,
        },
    )
    assert response.status_code == 302
    entry = ProgressEntry.objects.get(target=world.cumulative, period=JUNE)
    assert (entry.value, entry.state, entry.unusual) == (D(2780000), EntryState.SUBMITTED, True)
    assert entry.unusual_reason == REASON
    assert entry.unusual_warning.startswith(SLIP)

    queue = world.client("reviewer").get("/review/").content.decode()
    assert 'data-testid="unusual-flag"' in queue and REASON in queue and "异常" in queue

    target_page = world.client("leader").get(reverse("targets:target", args=[world.cumulative.pk]))
    assert target_page.status_code == 200
    page = target_page.content.decode()
    assert 'data-testid="unusual-flag"' in page and REASON in page

    history = world.client("reviewer").get(entry_url(world.cumulative)).content.decode()
    assert 'data-testid="unusual"' in history
    assert "异常说明" in history and REASON in history  # the history's changed fields


def test_a_corrected_value_clears_the_flag(world):
    with_may(world)
    confirmed = {"value": "2780000", "confirm_unusual": "on", "unusual_reason": REASON}
    assert post(world, world.cumulative, confirmed).status_code == 302
    response = post(world, world.cumulative, {"value": "278", "version": "1"})
    assert response.status_code == 302
    entry = ProgressEntry.objects.get(target=world.cumulative, period=JUNE)
    assert (entry.value, entry.unusual, entry.unusual_reason) == (D(278), False, "")


def test_a_project_investment_over_the_remaining_plan_needs_a_confirmation(world):
    project = world.project
    project.annual_plan, project.total_investment = D(10), D(40)
    project.save()
    f.progress(project, MAY, investment=D(9), state=EntryState.SUBMITTED)
    url = reverse("reporting:project_entry", args=[project.pk, JUNE])
    data = {"version": "0", "action": "submit", "investment": "3", "stage": "under_construction"}
    before = footprint()
    response = world.client("own_staff").post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["unusual_reason"] == [
        "本月投资 3亿元 超过年度计划尚余的 1亿元，请核实。" + CONFIRM_HINT
    ]
    assert footprint() == before
    response = world.client("own_staff").post(
        url, {**data, "confirm_unusual": "on", "unusual_reason": "提前支付设备款。"}
    )
    assert response.status_code == 302
    progress = ProjectProgress.objects.get(project=project, period=JUNE)
    assert (progress.investment, progress.unusual, progress.unusual_reason) == (
        D(3),
        True,
        "提前支付设备款。",
    )


def test_excel_a_warned_row_without_an_explanation_is_listed_and_nothing_written(world):
    with_may(world)
    book = download(world)
    fill(book.active, "8.1", figure=2780000)
    before = footprint()
    response = upload(world, as_upload(book))
    assert response.status_code == 400
    row = rows_by_code(book.active)["8.1"]
    assert [(e.row, e.column, e.message) for e in response.context["row_errors"]] == [
        (row, "说明", SLIP + EXCEL_HINT)
    ]
    assert footprint() == before


def test_excel_a_warned_row_with_an_explanation_is_saved_and_flagged(world):
    with_may(world)
    book = download(world)
    fill(book.active, "8.1", figure=2780000, unusual_reason=REASON)
    response = upload(world, as_upload(book))
    assert response.status_code == 302, response.context and response.context.get("row_errors")
    entry = ProgressEntry.objects.get(target=world.cumulative, period=JUNE)
    assert (entry.value, entry.unusual, entry.unusual_reason) == (D(2780000), True, REASON)
    # the template shows the explanation back in its column
    sheet = download(world).active
    fill_row = rows_by_code(sheet)["8.1"]
    assert sheet.cell(row=fill_row, column=INDEX["unusual_reason"]).value == REASON


# --- the services decide too: whoever calls them (a script, a future page) -------------


def _service_save(world, values, *, submit=True):
    from targets.adapters import TARGET_ENTRIES
    from workflow import services

    return services.save_entry(
        adapter=TARGET_ENTRIES,
        subject=world.cumulative,
        period=JUNE,
        user=world.users["own_staff"],
        values=values,
        expected_version=0,
        submit=submit,
    )


def test_service_refuses_an_unconfirmed_warned_value_and_writes_nothing(world):
    from targets.services import EntryValues
    from workflow.machine import WorkflowError

    with_may(world)
    before = footprint()
    for values in (
        EntryValues(value=D(2780000)),
        EntryValues(value=D(2780000), unusual=True),  # confirmed without a reason
        EntryValues(value=D(2780000), unusual_reason=REASON),  # a reason, not confirmed
    ):
        for submit in (False, True):
            try:
                _service_save(world, values, submit=submit)
            except WorkflowError as error:
                assert error.message == SLIP + CONFIRM_HINT
            else:
                raise AssertionError("the service wrote a warned value")
    assert footprint() == before


def test_service_accepts_a_confirmed_warned_value_and_flags_it(world):
    from targets.services import EntryValues

    with_may(world)
    entry = _service_save(
        world,
        # A caller's own warning text is not trusted: the service writes the rule's.
        EntryValues(value=D(2780000), unusual=True, unusual_reason=f" {REASON} "),
    )
    entry.refresh_from_db()
    assert (entry.state, entry.unusual, entry.unusual_reason) == (
        EntryState.SUBMITTED,
        True,
        REASON,
    )
    assert entry.unusual_warning == SLIP
    queue = world.client("reviewer").get("/review/").content.decode()
    assert 'data-testid="unusual-flag"' in queue and REASON in queue


def test_service_never_flags_a_plausible_value(world):
    from targets.services import EntryValues

    with_may(world)
    entry = _service_save(
        world, EntryValues(value=D(260), unusual=True, unusual_reason="多余的说明")
    )
    entry.refresh_from_db()
    assert (entry.unusual, entry.unusual_warning, entry.unusual_reason) == (False, "", "")


def test_service_bulk_refuses_an_unconfirmed_warned_row(world):
    from targets.adapters import TARGET_ENTRIES
    from targets.services import EntryValues
    from workflow import services

    with_may(world)
    before = footprint()
    refusals = services.save_entries(
        adapter=TARGET_ENTRIES,
        period=JUNE,
        user=world.users["own_staff"],
        writes=[
            services.BulkWrite(1, world.cumulative, EntryValues(value=D(2780000)), 0),
            services.BulkWrite(2, world.level, EntryValues(value=D(5)), 0),
        ],
        submit=True,
    )
    assert [(r.key, r.about, r.message) for r in refusals] == [(1, "unusual", SLIP + CONFIRM_HINT)]
    assert footprint() == before
