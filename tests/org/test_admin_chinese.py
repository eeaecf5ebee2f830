"""The admin reads in Chinese: a crawl of every page a system admin (and the audit
admin, for the audit log) opens, looking for Django's and django-axes' English
leftovers and for raw source and kind codes in the visible text."""

import contextlib
import json
import re
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from org import audit
from org.models import Role
from targets.models import Kind, ProgrammeSnapshot, TargetSnapshot
from tests import factories as f

pytestmark = pytest.mark.django_db

# Words Django, django-axes and simple_history show when their Chinese is missing.
LEFTOVERS = [
    "Access attempts",
    "Access logs",
    "Access failures",
    "Attempt Time",
    "Axes",
    "Attempted Access",
    "Access Log for",
    "Failed access",
    "Choose all",
    "Remove selected",
    "Remove all",
    "Available",
    "Chosen",
    "CHANGES",
    "Changes",
    "Model name",
    "Status",
    "Expiration",
    "Not set",
    "device",
    "Identity",
    "Throttling",
    "Timestamps",
    "Configuration",
    "Otp_",
    "Historical",
    "Targets",
    "Projects",
    "After you",
    "None",
    "Add ",
    "Change ",
    "Delete",
    "Save and",
    "History",
    "Filter",
    "Search",
    "Home",
    "View site",
    "Log out",
]
# Raw codes: every metric's name, every kind's code, and the manual source.
RAW_CODES = re.compile(
    r"\b(manual|key_project_count|key_project_total_investment|signed_amount|"
    r"leading_signed_amount|key_project_investment_completed|national_reserve_count|"
    + "|".join(k.value for k in Kind)
    + r")\b"
)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("script", "style", "template"):
            self._skip += 1
        # What a reader sees of a form: buttons' labels and options are text too.
        values = dict(attrs)
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"])

    def handle_endtag(self, tag) -> None:
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def leftovers(text: str) -> list[str]:
    found = [word for word in LEFTOVERS if word in text]
    found += sorted(set(RAW_CODES.findall(text)))
    return found


@pytest.fixture
def data():
    year = f.plan_year()
    programme = f.programme(year)
    lead = f.department("fgw", name="中原区发展和改革委员会", short_name="区发改委")
    target = f.target(programme, lead_department=lead, source="key_project_count", unit="个")
    target.co_departments.add(f.department("kgxj"))
    f.target(programme, kind=Kind.MILESTONE, title="节点任务", unit="%", target_value=Decimal(100))
    entry = f.entry(target, date(2025, 1, 1), value=Decimal("20.0000"))
    TargetSnapshot.objects.create(
        target=target,
        period=date(2025, 1, 1),
        status="on_track",
        actual=Decimal("20.0000"),
        ratio=Decimal("0.0500"),
        expected=Decimal("0.0833"),
        as_of=date(2025, 1, 31),
        computed_at=timezone.now(),
    )
    ProgrammeSnapshot.objects.create(
        plan_year=year,
        programme=programme,
        period=date(2025, 1, 1),
        as_of=date(2025, 1, 31),
        status="on_track",
        computed_at=timezone.now(),
    )
    project = f.project(year, programme, lead_department=lead, total_investment=Decimal("12.5"))
    f.progress(project, date(2025, 1, 1), investment=Decimal("1.2500"))
    AccessAttempt.objects.create(
        username="nobody", ip_address="10.0.0.1", user_agent="x", failures_since_start=3
    )
    AccessLog.objects.create(username="nobody", ip_address="10.0.0.1", user_agent="x")
    AccessFailureLog.objects.create(
        username="nobody", ip_address="10.0.0.1", user_agent="x", locked_out=True
    )
    audit.record(action="admin.change", target=target, detail={"change": "测试"})
    # One history row with an empty reason and one change between two versions.
    target.title = "测试指标（改）"
    target.save()
    return {"entry": entry}


def admin_pages(client) -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        name = f"admin:{meta.app_label}_{meta.model_name}"
        urls.append(reverse(f"{name}_changelist"))
        with contextlib.suppress(NoReverseMatch):
            urls.append(reverse(f"{name}_add"))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            urls.append(reverse(f"{name}_change", args=[obj.pk]))
            urls.append(reverse(f"{name}_history", args=[obj.pk]))
            if hasattr(obj, "history"):  # one past version's page (simple_history)
                version = obj.history.order_by("history_id").first()
                urls.append(reverse(f"{name}_simple_history", args=[obj.pk, version.pk]))
        urls.append(reverse("admin:app_list", args=[meta.app_label]))
    return sorted(set(urls))


@pytest.mark.parametrize("role", [Role.ADMIN, Role.AUDIT_ADMIN, Role.SECURITY_ADMIN])
def test_every_admin_page_reads_in_chinese(client, data, role):
    f.login(client, f.user(f"crawler_{role}", role))
    seen, problems = 0, {}
    for url in admin_pages(client):
        response = client.get(url)
        if response.status_code in (302, 403, 404):
            continue  # not this role's page
        assert response.status_code == 200, url
        seen += 1
        found = leftovers(visible_text(response.content.decode()))
        if found:
            problems[url] = found
    assert seen > 10
    assert problems == {}


@pytest.mark.parametrize("browser", ["zh-CN,zh;q=0.9", "en-US,en;q=0.9"])
def test_the_selector_widgets_strings_come_from_the_chinese_catalog(client, data, browser):
    # filter_horizontal's "Choose all" / "Remove selected" come from the JavaScript
    # catalog: Chinese whatever language the browser asks for.
    f.login(client, f.user("crawler", Role.ADMIN))
    response = client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE=browser)
    assert response.status_code == 200
    # The catalog is JavaScript with \\u escapes, written as json.dumps writes them.
    text = response.content.decode()
    for english, chinese in [
        ("Choose all %s", "全选%s"),
        ("Remove selected %s", "移除选中的%s"),
        ("Remove all %s", "移除全部%s"),
        ("Choose selected %s", "添加选中的%s"),
        ("Chosen %s", "选中的 %s"),
    ]:
        assert f'"{english}": "{json.dumps(chinese)[1:-1]}"' in text


def test_an_english_browser_still_gets_the_chinese_admin(client, data):
    f.login(client, f.user("crawler", Role.ADMIN))
    target = reverse("admin:targets_target_change", args=[data["entry"].target_id])
    response = client.get(target, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert leftovers(visible_text(response.content.decode())) == []


def test_visible_text_finds_the_leftovers():
    html = "<p>Choose all <b>配合单位</b></p><script>var x='Delete';</script><td>manual</td>"
    assert leftovers(visible_text(html)) == ["Choose all", "manual"]


# Every action code the product writes (org.audit.record's callers).
AUDIT_CODES = re.compile(r"\b(auth|account|admin|org|audit)\.[a-z_]+\b|\bpermission_denied\b")


def test_the_axes_breadcrumbs_name_the_row_in_chinese(client, data):
    f.login(client, f.user("guard", Role.SECURITY_ADMIN))
    attempt = AccessAttempt.objects.get()
    page = client.get(reverse("admin:axes_accessattempt_change", args=[attempt.pk]))
    assert page.status_code == 200
    crumbs = re.search(r'<div class="breadcrumbs">(.*?)</div>', page.text, re.S).group(1)
    assert "登录防护" in crumbs
    assert "登录失败记录：nobody，" in crumbs
    assert leftovers(visible_text(crumbs)) == []


def test_the_audit_log_labels_each_action_and_filters_by_its_code(client, data):
    f.login(client, f.user("auditor", Role.AUDIT_ADMIN))
    url = reverse("admin:org_auditevent_changelist")
    page = client.get(url)
    assert page.status_code == 200
    cells = re.findall(r'<td class="field-action_label">([^<]*)</td>', page.text)
    assert {"后台修改", "角色变更", "登录"} <= set(cells)
    listed = visible_text(
        re.search(r'<table id="result_list".*?</table>', page.text, re.S).group(0)
    )
    assert AUDIT_CODES.search(listed) is None, listed
    assert "审计管理员" in listed  # the role too, not audit_admin
    # The filter offers labels and filters by the code.
    assert "角色变更" in re.search(r'id="changelist-filter".*', page.text, re.S).group(0)
    only = client.get(url, {"action": "org.role_change"})
    assert only.status_code == 200
    assert set(only.context["cl"].queryset.values_list("action", flat=True)) == {"org.role_change"}
