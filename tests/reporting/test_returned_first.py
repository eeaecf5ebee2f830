"""Returned work comes first for the clerk: /report/ lists every returned report of
the department, of any month, at the top with the reviewer's reason, whatever month
is shown."""

from datetime import date
from decimal import Decimal as D

from django.urls import reverse

from targets.models import EntryState
from tests import factories as f

OCTOBER = date(2025, 10, 1)


def test_a_returned_entry_of_october_is_at_the_top_of_report_in_november(world, settings):
    settings.SITE_TODAY = date(2025, 11, 20)
    reviewer = world.users["reviewer"]
    f.entry(
        world.cumulative,
        OCTOBER,
        value=D(5),
        state=EntryState.RETURNED,
        return_reason="累计数与统计口径不一致，请核实。",
        reviewed_by=reviewer,
    )
    f.progress(
        world.project,
        date(2025, 9, 1),
        investment=D(1),
        state=EntryState.RETURNED,
        return_reason="缺少佐证材料。",
    )
    # Another department's returned report is not this clerk's.
    f.entry(world.foreign, OCTOBER, value=D(1), state=EntryState.RETURNED, return_reason="补")
    f.entry(world.level, OCTOBER, value=D(1))  # submitted: not returned
    client = world.client("own_staff")

    for query in ("", "?month=2025-06"):  # the default month (November) and any other
        response = client.get(reverse("reporting:my_month") + query)
        page = response.context["page"]
        assert [(r.entry.period, r.title, r.reason) for r in page.returned] == [
            (date(2025, 9, 1), "P-OWN 测试项目", "缺少佐证材料。"),
            (OCTOBER, "8.1 测试指标", "累计数与统计口径不一致，请核实。"),
        ]
        assert page.returned[1].url == reverse(
            "reporting:target_entry", args=[world.cumulative.pk, OCTOBER]
        )
        html = response.content.decode()
        block = html.index('data-testid="returned-entries"')
        # At the top: before the month's deadline line and its tables.
        assert block < html.index('class="due-line"')
        assert "累计数与统计口径不一致，请核实。" in html[block:]
    assert response.context["period"] == date(2025, 6, 1)
