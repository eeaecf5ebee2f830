"""When the snapshots were computed, said honestly: the time is the server's clock, so
while the site's day is pinned to another (SITE_TODAY, the demo) the pages label it
（服务器时间） rather than set a 2026 time beside a 2025 today."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from targets.presenters import computed_at_text
from tests.targets.test_dashboard_data import TODAY, build_small_year, texts_of

MOMENT = datetime(2026, 12, 1, 16, 40)


@pytest.mark.parametrize(
    ("site_today", "clock_today", "text"),
    [
        (date(2026, 12, 1), date(2026, 12, 1), "2026年12月1日 16:40"),
        (date(2025, 11, 20), date(2026, 12, 1), "2026年12月1日 16:40（服务器时间）"),
        (date(2026, 12, 2), date(2026, 12, 1), "2026年12月1日 16:40（服务器时间）"),
    ],
)
def test_computed_at_text_labels_the_servers_time_under_a_pinned_day(site_today, clock_today, text):
    assert computed_at_text(MOMENT, site_today=site_today, clock_today=clock_today) == text


def test_computed_at_text_pads_minutes():
    moment = datetime(2025, 7, 5, 9, 5)
    assert computed_at_text(moment, site_today=date(2025, 7, 5), clock_today=date(2025, 7, 5)) == (
        "2025年7月5日 09:05"
    )


@pytest.mark.django_db
def test_pages_label_the_computed_at_time_under_the_pinned_day(client, settings):
    from org.models import Role
    from tests import factories as f

    settings.SITE_TODAY = TODAY  # a 2025 day; the snapshots were computed today
    build_small_year()
    client.force_login(f.user("leader-1", Role.LEADER))
    html = client.get("/").content.decode()
    now = timezone.localtime()
    stamp = f"{now.year}年{now.month}月{now.day}日"
    freshness = texts_of(html, "freshness")[0]
    assert freshness.startswith(f"数据截至2025年6月末 · 最近计算于 {stamp} ")
    assert freshness.endswith("（服务器时间）")


@pytest.mark.django_db
def test_pages_need_no_label_on_the_real_day(client, settings):
    from org.models import Role
    from tests import factories as f

    build_small_year()
    settings.SITE_TODAY = None
    client.force_login(f.user("leader-1", Role.LEADER))
    html = client.get("/?month=2025-06").content.decode()
    freshness = texts_of(html, "freshness")[0]
    assert "最近计算于" in freshness
    assert "服务器时间" not in freshness
