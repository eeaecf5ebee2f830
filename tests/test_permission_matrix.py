"""Who may open what: EVERY URL pattern of the site (the admin's included, found by
walking the URL resolver) × every kind of user, each cell a status code written
down by hand. A URL pattern without a row here fails the test, so a new page cannot
ship without someone deciding who may open it.

GET only: the POST actions of the monthly cycle have their own matrix, with data,
in tests/reporting/test_permissions.py.

Columns: anonymous, staff of the department that owns the row, staff of another
department, reviewer, leader, system admin, security admin, audit admin. A 302 for
the anonymous column must go to the login page; a 302 into the admin for an
everyday role must go to the admin's login, which refuses them (403).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal as D

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from org.audit import GENESIS_HASH
from org.audit_models import AuditArchive
from org.models import OutboundChannel, OutboundEvent, OutboundMessage, Role
from org.outbound import notify
from projects.models import ProjectEvidence
from supervision.models import Bulletin
from targets.models import EntryState, Evidence, PendingRecompute
from tests import factories as f
from tests.reporting.conftest import JUNE, TODAY, world  # noqa: F401 (the fixture)
from tests.reporting.helpers import pdf_bytes

ROLES = (
    "anonymous",
    "own_staff",
    "other_staff",
    "reviewer",
    "leader",
    "admin",
    "security_admin",
    "audit_admin",
)
OK, NO, AWAY, GONE, POST_ONLY = 200, 403, 302, 404, 405

EVERYONE = (AWAY, OK, OK, OK, OK, OK, OK, OK)
# name: (url builder, codes for ROLES)
SITE = {
    "healthz": (lambda w: "/healthz", (OK,) * 8),
    "login": (lambda w: "/login/", (OK,) + (AWAY,) * 7),
    "logout": (lambda w: "/logout/", (POST_ONLY,) * 8),
    "password_change": (lambda w: "/account/password/", EVERYONE),
    "otp_setup": (lambda w: "/account/2fa/setup/", EVERYONE),
    "otp_verify": (lambda w: "/account/2fa/verify/", EVERYONE),
    # Creating accounts is the system admin's duty.
    "account_import": (lambda w: "/account/import/", (AWAY, NO, NO, NO, NO, OK, NO, NO)),
    # 站内通知：everyone their own. Opening one (own_staff's) goes to its link; anyone
    # else's is not found. Marking all read is a POST.
    "notices": (lambda w: "/notices/", EVERYONE),
    "notice_open": (
        lambda w: reverse("notice_open", args=[w.notice.pk]),
        (AWAY, AWAY, GONE, GONE, GONE, GONE, GONE, GONE),
    ),
    "notices_read": (lambda w: "/notices/read/", (AWAY,) + (POST_ONLY,) * 7),
    # Dashboards: everyone who is signed in reads them.
    "targets:overview": (lambda w: "/", EVERYONE),
    "targets:programme": (lambda w: "/programmes/8/", EVERYONE),
    "targets:list": (lambda w: "/targets/", EVERYONE),
    "targets:target": (lambda w: f"/targets/{w.cumulative.pk}/", EVERYONE),
    "projects:list": (lambda w: "/projects/", EVERYONE),
    "projects:detail": (lambda w: f"/projects/{w.project.pk}/", EVERYONE),
    # A department's page: its own staff, and those who oversee every department.
    "departments:detail": (
        lambda w: f"/departments/{w.own.pk}/",
        (AWAY, OK, NO, OK, OK, OK, NO, NO),
    ),
    # The monthly cycle: staff for their department, the system admin for any.
    "reporting:my_month": (lambda w: "/report/", (AWAY, OK, OK, NO, NO, OK, NO, NO)),
    "reporting:target_entry": (
        lambda w: reverse("reporting:target_entry", args=[w.milestone.pk, JUNE]),
        (AWAY, OK, NO, OK, OK, OK, NO, NO),
    ),
    "reporting:project_entry": (
        lambda w: reverse("reporting:project_entry", args=[w.project.pk, JUNE]),
        (AWAY, OK, NO, OK, OK, OK, NO, NO),
    ),
    "reporting:target_evidence": (
        lambda w: reverse("reporting:target_evidence", args=[w.evidence.pk]),
        (AWAY, OK, NO, OK, OK, OK, NO, NO),
    ),
    "reporting:target_evidence_delete": (
        lambda w: reverse("reporting:target_evidence_delete", args=[w.evidence.pk]),
        (AWAY,) + (POST_ONLY,) * 7,
    ),
    "reporting:project_evidence": (
        lambda w: reverse("reporting:project_evidence", args=[w.project_evidence.pk]),
        (AWAY, OK, NO, OK, OK, OK, NO, NO),
    ),
    "reporting:project_evidence_delete": (
        lambda w: reverse("reporting:project_evidence_delete", args=[w.project_evidence.pk]),
        (AWAY,) + (POST_ONLY,) * 7,
    ),
    "reporting:excel": (lambda w: "/report/excel/", (AWAY, OK, OK, NO, NO, OK, NO, NO)),
    "reporting:excel_template": (
        lambda w: "/report/excel/template/?department=own&month=2025-06",
        (AWAY, OK, NO, NO, NO, OK, NO, NO),
    ),
    "reporting:review": (lambda w: "/review/", (AWAY, NO, NO, OK, NO, OK, NO, NO)),
    "reporting:review_target": (
        lambda w: reverse("reporting:review_target", args=[w.submitted.pk]),
        (AWAY,) + (POST_ONLY,) * 7,
    ),
    "reporting:review_project": (
        lambda w: reverse("reporting:review_project", args=[w.submitted_progress.pk]),
        (AWAY,) + (POST_ONLY,) * 7,
    ),
    "reporting:review_bulk": (lambda w: "/review/approve/", (AWAY,) + (POST_ONLY,) * 7),
    "reporting:missing": (lambda w: "/review/missing/", (AWAY, NO, NO, OK, NO, OK, NO, NO)),
    "reporting:remind": (lambda w: "/review/missing/remind/", (AWAY,) + (POST_ONLY,) * 7),
    # The timeliness ranking: the 督查室，leaders and the system admin.
    "reporting:timeliness": (
        lambda w: "/review/timeliness/",
        (AWAY, NO, NO, OK, OK, OK, NO, NO),
    ),
    # The 督查室's month: reviewers, leaders and the system admin read; reviewers (and
    # the system admin) close, reopen and publish; the actions are POST only.
    "supervision:months": (lambda w: "/supervision/months/", (AWAY, NO, NO, OK, OK, OK, NO, NO)),
    "supervision:month_close": (
        lambda w: "/supervision/months/2025-06/close/",
        (AWAY,) + (POST_ONLY,) * 7,
    ),
    "supervision:month_reopen": (
        lambda w: "/supervision/months/2025-06/reopen/",
        (AWAY,) + (POST_ONLY,) * 7,
    ),
    "supervision:bulletins": (
        lambda w: "/supervision/bulletins/",
        (AWAY, NO, NO, OK, OK, OK, NO, NO),
    ),
    "supervision:bulletin_generate": (
        lambda w: "/supervision/bulletins/generate/",
        (AWAY,) + (POST_ONLY,) * 7,
    ),
    # A published bulletin (a leader's private draft is the leader's alone: tested in
    # tests/supervision/test_closing.py).
    "supervision:bulletin_download": (
        lambda w: f"/supervision/bulletins/{w.bulletin.pk}/download/",
        (AWAY, NO, NO, OK, OK, OK, NO, NO),
    ),
    "supervision:bulletin_publish": (
        lambda w: f"/supervision/bulletins/{w.bulletin.pk}/publish/",
        (AWAY,) + (POST_ONLY,) * 7,
    ),
    # 督办单 and 领导批示：the answers are kinds of report (the entry pages' rules);
    # the order list for the 督查室，leaders and every department (its own orders);
    # an order's page for its department and those who oversee; the actions POST.
    "reporting:order_entry": (
        lambda w: reverse("reporting:order_entry", args=[w.order.pk, JUNE]),
        (AWAY, OK, NO, OK, OK, OK, NO, NO),
    ),
    "reporting:review_order": (
        lambda w: reverse("reporting:review_order", args=[w.order_answer.pk]),
        (AWAY,) + (POST_ONLY,) * 7,
    ),
    # An answer's evidence: as a project's (the department's staff, reviewers,
    # leaders, the system admin); deleting is a POST.
    "reporting:order_evidence": (
        lambda w: reverse("reporting:order_evidence", args=[w.order_evidence.pk]),
        (AWAY, OK, NO, OK, OK, OK, NO, NO),
    ),
    "reporting:order_evidence_delete": (
        lambda w: reverse("reporting:order_evidence_delete", args=[w.order_evidence.pk]),
        (AWAY,) + (POST_ONLY,) * 7,
    ),
    "reporting:instruction_evidence": (
        lambda w: reverse("reporting:instruction_evidence", args=[w.instruction_evidence.pk]),
        (AWAY, OK, NO, OK, OK, OK, NO, NO),
    ),
    "reporting:instruction_evidence_delete": (
        lambda w: reverse(
            "reporting:instruction_evidence_delete", args=[w.instruction_evidence.pk]
        ),
        (AWAY,) + (POST_ONLY,) * 7,
    ),
    "reporting:instruction_entry": (
        lambda w: reverse("reporting:instruction_entry", args=[w.instruction.pk, JUNE]),
        (AWAY, OK, NO, OK, OK, OK, NO, NO),
    ),
    "reporting:review_instruction": (
        lambda w: reverse("reporting:review_instruction", args=[w.instruction_answer.pk]),
        (AWAY,) + (POST_ONLY,) * 7,
    ),
    "supervision:orders": (lambda w: "/supervision/orders/", (AWAY, OK, OK, OK, OK, OK, NO, NO)),
    "supervision:order": (
        lambda w: f"/supervision/orders/{w.order.pk}/",
        (AWAY, OK, NO, OK, OK, OK, NO, NO),
    ),
    **{
        name: (build, (AWAY,) + (POST_ONLY,) * 7)
        for name, build in {
            "supervision:order_confirm": lambda w: f"/supervision/orders/{w.order.pk}/confirm/",
            "supervision:order_close": lambda w: f"/supervision/orders/{w.order.pk}/close/",
            "supervision:order_extend": lambda w: f"/supervision/orders/{w.order.pk}/extend/",
            "supervision:open_target": lambda w: (
                f"/supervision/orders/open/target/{w.cumulative.pk}/"
            ),
            "supervision:open_project": lambda w: (
                f"/supervision/orders/open/project/{w.project.pk}/"
            ),
            "supervision:instruct_target": lambda w: (
                f"/supervision/instructions/target/{w.cumulative.pk}/"
            ),
            "supervision:instruct_project": lambda w: (
                f"/supervision/instructions/project/{w.project.pk}/"
            ),
            "supervision:instruct_order": lambda w: (
                f"/supervision/instructions/order/{w.order.pk}/"
            ),
        }.items()
    },
    # A leader's instructions; the 督查室 and the system admin see all of them.
    "supervision:instructions": (
        lambda w: "/supervision/instructions/",
        (AWAY, NO, NO, OK, OK, OK, NO, NO),
    ),
}

# The admin site: everyday roles are sent to the admin's login (which refuses them);
# the three admin duties get in, each to its own models.
ADMIN_ROLES = ("admin", "security_admin", "audit_admin")
NOT_ADMIN = (AWAY, AWAY, AWAY, AWAY, AWAY)
ADMIN_SITE = {
    "admin:index": (lambda w: "/admin/", (*NOT_ADMIN, OK, OK, OK)),
    "admin:login": (lambda w: "/admin/login/", (AWAY, NO, NO, NO, NO, AWAY, AWAY, AWAY)),
    "admin:logout": (lambda w: "/admin/logout/", NOT_ADMIN + (POST_ONLY,) * 3),
    # Sent to the one password-change page (/account/password/), which is audited.
    "admin:password_change": (
        lambda w: "/admin/password_change/",
        (*NOT_ADMIN, AWAY, AWAY, AWAY),
    ),
    "admin:password_change_done": (
        lambda w: "/admin/password_change/done/",
        (*NOT_ADMIN, OK, OK, OK),
    ),
    # Without its query parameters the autocomplete refuses everyone.
    "admin:autocomplete": (lambda w: "/admin/autocomplete/", (*NOT_ADMIN, NO, NO, NO)),
    "admin:jsi18n": (lambda w: "/admin/jsi18n/", (*NOT_ADMIN, OK, OK, OK)),
    "admin:view_on_site": (
        lambda w: (
            f"/admin/r/{ContentType.objects.get_for_model(w.cumulative).pk}/{w.cumulative.pk}/"
        ),
        # Targets have no page of their own outside the admin to be sent to.
        (*NOT_ADMIN, GONE, GONE, GONE),
    ),
    # The admin's catch-all: an unknown admin address.
    "admin:admin/(?P<url>.*)$": (lambda w: "/admin/no-such-page/", (*NOT_ADMIN, GONE, GONE, GONE)),
}
# App index pages, one per app that has models in the admin: who sees the app.
APP_INDEX = {
    "targets": ("admin",),
    "projects": ("admin",),
    "supervision": ("admin",),
    "org": ("admin", "security_admin", "audit_admin"),
    "auth": ("admin", "security_admin", "audit_admin"),
    "axes": ("security_admin", "audit_admin"),
    "otp_totp": ("security_admin",),
    "otp_static": ("security_admin",),
}

# Per model and admin duty: v = view (list, page, history), a = add, c = change,
# d = delete. Entries, snapshots and the outbox are read-only for everyone; axes'
# records cannot be added or changed by anyone.
MODELS = {
    "targets.planyear": {"admin": "vacd"},
    "targets.programme": {"admin": "vacd"},
    "targets.target": {"admin": "vacd"},
    "targets.progressentry": {"admin": "v"},
    "targets.targetsnapshot": {"admin": "v"},
    "targets.programmesnapshot": {"admin": "v"},
    "targets.pendingrecompute": {"admin": "v"},
    "projects.keyproject": {"admin": "vacd"},
    "projects.projectprogress": {"admin": "v"},
    # 分管区领导 and the group robots (their URL and secret never shown).
    "supervision.programmeleader": {"admin": "vacd"},
    "supervision.departmentleader": {"admin": "vacd"},
    "supervision.chathook": {"admin": "vacd"},
    # 督办单，批示 and their answers: read only (opened, closed and answered in the
    # product's pages).
    "supervision.supervisionorder": {"admin": "v"},
    "supervision.instruction": {"admin": "v"},
    "supervision.orderanswer": {"admin": "v"},
    "supervision.instructionanswer": {"admin": "v"},
    "org.department": {"admin": "vac", "security_admin": "v", "audit_admin": "v"},
    "auth.user": {"admin": "vac", "security_admin": "vc", "audit_admin": "v"},
    "axes.accessattempt": {"security_admin": "vd", "audit_admin": "v"},
    "axes.accesslog": {"security_admin": "v", "audit_admin": "v"},
    "axes.accessfailurelog": {"security_admin": "v", "audit_admin": "v"},
    "otp_totp.totpdevice": {"security_admin": "vd"},
    "otp_static.staticdevice": {"security_admin": "vd"},
    # The audit log and its archives: the audit admin reads; nobody adds, changes or
    # deletes (their pages refuse even the audit admin), no other duty reads.
    "org.auditevent": {"audit_admin": "v"},
    "org.auditarchive": {"audit_admin": "v"},
    # The outbound log (notices, e-mail, chat pushes): read only, by the admin and
    # the audit admin.
    "org.outboundmessage": {"admin": "v", "audit_admin": "v"},
}
# Each action's page, and the right it needs.
VIEWS = {"changelist": "v", "add": "a", "change": "v", "history": "v", "delete": "d"}
# The TOTP device's secret and QR code are never shown in the admin.
HIDDEN = {"config", "qrcode"}
# Models whose changes are kept (django-simple-history): a past version's page.
WITH_HISTORY = {
    "org.department",
    "targets.planyear",
    "targets.programme",
    "targets.target",
    "targets.progressentry",
    "projects.keyproject",
    "projects.projectprogress",
    "supervision.supervisionorder",
    "supervision.instruction",
    "supervision.orderanswer",
    "supervision.instructionanswer",
}


def admin_codes(model: str, view: str) -> tuple[int, ...]:
    rights = MODELS[model]
    if view in HIDDEN:
        return (*NOT_ADMIN, NO, NO, NO)
    needed = VIEWS[view]
    return NOT_ADMIN + tuple(
        OK if needed in rights.get(r, "") or (needed == "v" and "c" in rights.get(r, "")) else NO
        for r in ADMIN_ROLES
    )


def all_patterns(resolver=None, namespace: str = "", route: str = ""):
    """(key, pattern) of every URL the site answers: its full name, or for an unnamed
    one its namespace and full route."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}{entry.namespace}:"
            yield from all_patterns(entry, inner, route + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name or route + str(entry.pattern)}", entry


@dataclass
class Objects:
    by_model: dict


@pytest.fixture
def site(world, settings):  # noqa: F811 (the fixture imported above)
    settings.DEMO_MODE = False
    world.users["security_admin"] = f.user("security", Role.SECURITY_ADMIN)
    world.users["audit_admin"] = f.user("auditor", Role.AUDIT_ADMIN)
    world.submitted = f.entry(world.cumulative, JUNE, value=D(200))
    world.approved = f.entry(world.level, JUNE, value=D(9), state=EntryState.APPROVED)
    world.submitted_progress = f.progress(world.project, JUNE, investment=D(1))
    [world.notice] = notify(
        OutboundEvent.OTHER,
        recipients=[world.users["own_staff"]],
        subject="测试通知",
        link="/report/",
        email=False,
    )
    world.evidence = Evidence.objects.create(
        entry=world.submitted,
        file=SimpleUploadedFile("证明.pdf", pdf_bytes()),
        original_name="证明.pdf",
        size=len(pdf_bytes()),
        content_type="application/pdf",
        uploaded_by=world.users["own_staff"],
    )
    world.project_evidence = ProjectEvidence.objects.create(
        entry=world.submitted_progress,
        file=SimpleUploadedFile("现场.pdf", pdf_bytes()),
        original_name="现场.pdf",
        size=len(pdf_bytes()),
        content_type="application/pdf",
        uploaded_by=world.users["own_staff"],
    )
    _supervision(world)
    call_command("recompute", today=TODAY, stdout=open("/dev/null", "w"))  # noqa: SIM115
    world.bulletin = Bulletin.objects.create(
        plan_year=world.year,
        period=JUNE,
        number=1,
        state=Bulletin.State.PUBLISHED,
        generated_by=world.users["reviewer"],
        generated_at=timezone.now(),
        published_by=world.users["reviewer"],
        published_at=timezone.now(),
        file=SimpleUploadedFile("通报.docx", b"PK"),
        text_digest="0" * 64,
    )
    PendingRecompute.objects.get_or_create(target=world.cumulative)
    AccessAttempt.objects.create(username="x", ip_address="10.0.0.1", failures_since_start=1)
    AccessLog.objects.create(username="x", ip_address="10.0.0.1")
    AccessFailureLog.objects.create(username="x", ip_address="10.0.0.1")
    StaticDevice.objects.create(user=world.users["reviewer"], name="恢复码")
    TOTPDevice.objects.create(user=world.users["reviewer"], name="旧令牌", confirmed=False)
    # The roles given above wrote audit rows already; one archive record to open. (A
    # record only: the rows it names stay, this test does not verify the chain.)
    AuditArchive.objects.create(
        created_at=timezone.now(),
        actor_username="auditor",
        before=date(2025, 1, 1),
        first_seq=1,
        last_seq=1,
        count=1,
        first_prev_hash=GENESIS_HASH,
        last_hash="1" * 64,
        file_name="audit-2024.jsonl",
        file_sha256="2" * 64,
    )
    return world


def _supervision(world) -> None:  # noqa: F811
    """An order and an instruction on the own department's target, answered in June;
    a leader over a programme and a department; a group robot."""
    from supervision.models import (
        ChatHook,
        DepartmentLeader,
        Instruction,
        InstructionAnswer,
        InstructionAnswerEvidence,
        OrderAnswer,
        OrderAnswerEvidence,
        ProgrammeLeader,
        SupervisionOrder,
    )

    june = timezone.make_aware(timezone.datetime(2025, 6, 2, 9))
    world.order = SupervisionOrder.objects.create(
        plan_year=world.year,
        target=world.cumulative,
        lead_department=world.own,
        requirement="限期整改",
        deadline=date(2025, 8, 31),
        opened_at=june,
        opened_by=world.users["reviewer"],
    )
    world.order_answer = OrderAnswer.objects.create(
        order=world.order, period=JUNE, state=EntryState.SUBMITTED, measures="专班推进"
    )
    world.instruction = Instruction.objects.create(
        plan_year=world.year,
        author=world.users["leader"],
        text="请抓紧推进",
        target=world.cumulative,
        lead_department=world.own,
        created_at=june,
    )
    world.instruction_answer = InstructionAnswer.objects.create(
        instruction=world.instruction, period=JUNE, state=EntryState.SUBMITTED, answer="已部署"
    )
    world.order_evidence, world.instruction_evidence = (
        model.objects.create(
            entry=entry,
            file=SimpleUploadedFile("反馈.pdf", pdf_bytes()),
            original_name="反馈.pdf",
            size=len(pdf_bytes()),
            content_type="application/pdf",
            uploaded_by=world.users["own_staff"],
        )
        for model, entry in (
            (OrderAnswerEvidence, world.order_answer),
            (InstructionAnswerEvidence, world.instruction_answer),
        )
    )
    ProgrammeLeader.objects.create(
        programme=world.cumulative.programme, leader=world.users["leader"]
    )
    DepartmentLeader.objects.create(department=world.own, leader=world.users["leader"])
    ChatHook.objects.create(
        kind="wecom", label="区领导群", leaders_group=True, url="https://example.org/x", events=[]
    )
    OutboundMessage.objects.create(
        event=OutboundEvent.ORDER, channel=OutboundChannel.WECOM, address="区领导群", subject="督办"
    )


def object_for(label: str):
    from django.apps import apps

    model = apps.get_model(label)
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"the matrix needs one {label}"
    return obj


def expectations(w) -> dict[str, tuple]:
    """Every URL name → (url, codes), or a missing key for a URL nobody decided."""
    rows = {name: (build(w), codes) for name, (build, codes) in {**SITE, **ADMIN_SITE}.items()}
    for app, duties in APP_INDEX.items():
        codes = NOT_ADMIN + tuple(OK if r in duties else GONE for r in ADMIN_ROLES)
        rows[f"admin:app_list:{app}"] = (f"/admin/{app}/", codes)
    for label in MODELS:
        app, model = label.split(".")
        for view in [*VIEWS, *HIDDEN] if label == "otp_totp.totpdevice" else VIEWS:
            args = [] if view in ("changelist", "add") else [object_for(label).pk]
            url = reverse(f"admin:{app}_{model}_{view}", args=args)
            rows[f"admin:{app}_{model}_{view}"] = (url, admin_codes(label, view))
        # The old-style address of an object's page redirects to it (for the duties).
        obj = object_for(label)
        rows[f"admin:admin/{app}/{model}/<path:object_id>/"] = (
            f"/admin/{app}/{model}/{obj.pk}/",
            (*NOT_ADMIN, AWAY, AWAY, AWAY),
        )
        if label in WITH_HISTORY:
            version = obj.history.order_by("history_id").first()
            rows[f"admin:{app}_{model}_simple_history"] = (
                f"/admin/{app}/{model}/{obj.pk}/history/{version.history_id}/",
                admin_codes(label, "history"),
            )
    # Resetting a password is the system admin's alone.
    rows["admin:auth_user_password_change"] = (
        reverse("admin:auth_user_password_change", args=[w.users["leader"].pk]),
        (*NOT_ADMIN, OK, NO, NO),
    )
    return rows


def sent_to_login(role: str, url: str, where: str) -> bool:
    """Whether a redirect is the one expected of that column: to the login page for
    the anonymous, to the admin's login (or its index, from its logout) for everyday
    roles in the admin. Other redirects (a duty's old-style admin address, the login
    page for someone signed in) are checked only by their code."""
    if url.startswith("/admin/") and role not in ADMIN_ROLES:
        return where.startswith(("/admin/login/", "/login/")) or where == "/admin/"
    if role == "anonymous":
        return where.startswith("/login/")
    return True


def test_every_url_has_a_row(site):
    rows = expectations(site)
    missing = []
    for name, pattern in all_patterns():
        if name == "admin:app_list":
            missing += [
                f"admin:app_list:{app}"
                for app in pattern.pattern.regex.pattern.split("(?P<app_label>")[1]
                .split(")")[0]
                .split("|")
                if f"admin:app_list:{app}" not in rows
            ]
        elif name not in rows:
            missing.append(f"{name} ({pattern.pattern})")
    assert missing == []


def test_permission_matrix(site):
    rows = expectations(site)
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        if role != "anonymous":
            f.login(clients[role], site.users[role])
    wrong = []
    for name, (url, codes) in rows.items():
        for role, expected in zip(ROLES, codes, strict=True):
            response = clients[role].get(url)
            got = response.status_code
            where = response.get("Location", "")
            if got != expected:
                wrong.append(f"{name} {role}: {got} (expected {expected}) {where}")
            elif got == AWAY and not sent_to_login(role, url, where):
                wrong.append(f"{name} {role} went to {where}")
    assert wrong == []
