"""Two people editing the same entry: the second save is refused with a message that
says who changed it, the first one's data stays, and the second one's input is kept
on the page so that nothing of either is lost."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from org.models import Role
from targets.models import ProgressEntry
from tests import factories as f
from tests.reporting.conftest import JUNE
from tests.reporting.helpers import footprint


@pytest.fixture
def colleague(world):
    return f.user("staff-own-2", Role.STAFF, world.own, first_name="李四")


def url(world):
    return reverse("reporting:target_entry", args=[world.cumulative.pk, JUNE])


def opened_version(client, world) -> str:
    response = client.get(url(world))
    assert response.status_code == 200
    return str(response.context["form"]["version"].value())


@pytest.mark.parametrize("existing", [True, False], ids=["existing-entry", "new-entry"])
def test_conflict_second_save_is_refused_and_both_inputs_survive(world, colleague, existing):
    if existing:
        f.entry(world.cumulative, JUNE, value=D(100), state="draft", version=3)
    first, second = world.client("own_staff"), world.client("own_staff")
    second.force_login(colleague)
    version_first, version_second = opened_version(first, world), opened_version(second, world)
    assert version_first == version_second == ("3" if existing else "0")

    response = first.post(
        url(world), {"version": version_first, "action": "save", "value": "200", "narrative": "甲"}
    )
    assert response.status_code == 302
    saved = ProgressEntry.objects.get(target=world.cumulative, period=JUNE)
    before = footprint()

    response = second.post(
        url(world),
        {"version": version_second, "action": "save", "value": "300", "narrative": "乙的内容"},
    )
    assert response.status_code == 409
    message = response.context["conflict"]
    assert message.startswith("这条记录已")
    assert "staff-own于" in message  # who changed it (and when)
    assert "本次保存未生效" in message
    # The second person's unsaved input is still in the form, to copy from.
    html = response.content.decode()
    assert response.context["form"].data["value"] == "300"
    assert 'value="300"' in html
    assert "乙的内容" in html
    # The first person's data is intact, and nothing of the refused save was written.
    entry = ProgressEntry.objects.get(pk=saved.pk)
    assert (entry.value, entry.narrative, entry.version) == (D(200), "甲", saved.version)
    assert footprint() == before


def test_conflict_shows_the_message_naming_the_other_editor(world, colleague):
    f.entry(world.cumulative, JUNE, value=D(100), state="draft")
    theirs = world.client("own_staff")
    theirs.force_login(colleague)
    theirs.post(url(world), {"version": "1", "action": "save", "value": "120"})
    response = world.client("own_staff").post(
        url(world), {"version": "1", "action": "save", "value": "130"}
    )
    assert response.status_code == 409
    assert response.context["conflict"].startswith("这条记录已被李四于")
    assert "（当前为第2版，您打开的是第1版）" in response.context["conflict"]


def test_conflict_a_form_without_its_version_is_refused(world):
    before = footprint()
    response = world.client("own_staff").post(url(world), {"action": "save", "value": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors["version"] == ["页面已过期，请刷新后重新填写。"]
    assert footprint() == before
