"""The audit log's pages: the audit admin reads and filters them; nobody adds, changes
or deletes a row there; no other role reads them (三权分立); and every other admin page
records its adds, changes and deletes."""

import pytest
from django.contrib import admin
from django.urls import reverse

from org import audit
from org.audit_admin import AuditedAdminMixin, AuditReadOnlyAdmin
from org.audit_models import AuditEvent
from org.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(client):
    auditor = f.user("auditor", Role.AUDIT_ADMIN)
    f.login(client, auditor)
    return auditor


def test_audit_admin_reads_and_filters_the_log(client, auditor):
    audit.record(action="auth.login_failed", result="failure", detail={"username": "x"})
    audit.record(action="export")
    url = reverse("admin:org_auditevent_changelist")
    page = client.get(url)
    assert page.status_code == 200
    assert "auth.login_failed" in page.text and "export" in page.text
    assert "+08:00" in page.text  # time with its offset
    failures = client.get(url, {"result__exact": "failure"})
    assert failures.status_code == 200
    assert list(failures.context["cl"].queryset.values_list("action", flat=True)) == [
        "auth.login_failed"
    ]
    found = client.get(url, {"q": "export"})
    assert [e.action for e in found.context["cl"].queryset] == ["export"]


def test_audit_admin_cannot_add_change_or_delete(client, auditor):
    event = audit.record(action="export")
    assert client.get(reverse("admin:org_auditevent_add")).status_code == 403
    change = reverse("admin:org_auditevent_change", args=[event.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    client.post(change, {"action": "forged"})
    assert client.post(reverse("admin:org_auditevent_delete", args=[event.pk])).status_code == 403
    response = client.post(
        reverse("admin:org_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    event.refresh_from_db()
    assert event.action == "export"


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SECURITY_ADMIN, Role.REVIEWER, Role.LEADER])
def test_no_other_role_reads_the_log(client, role):
    f.login(client, f.user("someone", role))
    # The other admin duties are refused by the page; everyday roles are sent to the
    # admin's login, which refuses them.
    response = client.get(reverse("admin:org_auditevent_changelist"), follow=True)
    assert response.status_code == 403
    # The refusal itself is on the record.
    assert AuditEvent.objects.filter(action="permission_denied", actor_username="someone").exists()


def test_every_admin_page_records_its_changes():
    """A new ModelAdmin without the mixin would change data unrecorded: fail here."""
    unaudited = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, AuditedAdminMixin | AuditReadOnlyAdmin)
    ]
    assert unaudited == []
    assert isinstance(admin.site._registry[AuditEvent], AuditReadOnlyAdmin)


def test_every_action_the_code_records_has_a_chinese_label():
    """A new ``audit.record(action=...)`` without a label would show its code to the
    audit admin: fail here. Scans the product's sources for the calls."""
    import re
    from pathlib import Path

    from org.glossary import AUDIT_ACTION
    from zhongyuan.settings import BASE_DIR

    call = re.compile(r"\brecord\(\s*(?:[^()]*?\s)?action=\"([a-z_.]+)\"", re.S)
    found = set()
    for app in ("org", "workflow", "targets", "projects", "reporting", "supervision"):
        for path in Path(BASE_DIR, app).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if "record(" in text:
                found.update(call.findall(text))
    assert {"auth.login", "org.role_change", "export", "audit.archive"} <= found
    assert sorted(found - set(AUDIT_ACTION)) == []
