"""A district's departments and accounts survive the move of their models from
targets to org: the migration runs on a database holding them, in place."""

# org_sweep: skip (this module names the models' old place in targets on purpose)

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from org.models import Department, Profile, Role
from projects.models import KeyProject
from targets.models import Target

# The last migrations before the move, and org not yet there.
BEFORE_MOVE = [
    ("targets", "0003_pending_swept_at"),
    ("projects", "0002_history_reason_text"),
    ("org", None),
]
STATE_BEFORE_MOVE = [*BEFORE_MOVE[:2], ("contenttypes", "0002_remove_content_type_name")]


def migrate_to(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def fill_old_schema(apps) -> dict:
    """Rows as a district's database held them before the move (historical models:
    the code's models already live in org)."""
    OldDepartment = apps.get_model("targets", "Department")
    OldProfile = apps.get_model("targets", "Profile")
    OldHistoricalDepartment = apps.get_model("targets", "HistoricalDepartment")
    PlanYear = apps.get_model("targets", "PlanYear")
    Programme = apps.get_model("targets", "Programme")
    OldTarget = apps.get_model("targets", "Target")
    OldKeyProject = apps.get_model("projects", "KeyProject")
    User = apps.get_model("auth", "User")
    ContentTypeThen = apps.get_model("contenttypes", "ContentType")

    fgw = OldDepartment.objects.create(name="区发展和改革委员会", short_name="区发改委", code="fgw")
    street = OldDepartment.objects.create(
        name="林山寨街道办事处", short_name="林山寨街道", code="lsz", kind="subdistrict"
    )
    OldHistoricalDepartment.objects.create(
        id=fgw.pk,
        name=fgw.name,
        short_name=fgw.short_name,
        code=fgw.code,
        kind=fgw.kind,
        email="",
        sort_order=100,
        history_date=timezone.make_aware(datetime(2025, 1, 2, 9, 0)),
        history_type="+",
    )
    clerk = User.objects.create(username="fgw_staff")
    OldProfile.objects.create(user=clerk, role="staff", department=fgw, is_demo=True)
    leader = User.objects.create(username="leader")
    OldProfile.objects.create(user=leader, role="leader")
    year = PlanYear.objects.create(year=2025, title="政府工作报告", adopted_on=date(2024, 12, 30))
    programme = Programme.objects.create(
        plan_year=year, number=1, name="产业集群", short_name="产业"
    )
    target = OldTarget.objects.create(
        programme=programme,
        code="1.1",
        title="签约额",
        sentence="签约额400亿元。",
        kind="cumulative",
        unit="亿元",
        target_value=Decimal(400),
        starts_on=date(2025, 1, 1),
        deadline=date(2025, 12, 31),
        lead_department=fgw,
    )
    target.co_departments.add(street)
    OldKeyProject.objects.create(
        plan_year=year,
        code="P1",
        name="重点项目",
        programme=programme,
        lead_department=street,
        category="industry",
    )
    # What contenttypes' post_migrate had created for the old app (the test database
    # was built from today's code, so it has org's instead).
    ContentTypeThen.objects.filter(app_label="org").delete()
    content_type, _ = ContentTypeThen.objects.get_or_create(app_label="targets", model="department")
    return {"fgw": fgw.pk, "street": street.pk, "content_type": content_type.pk}


@pytest.mark.django_db(transaction=True)
def test_departments_and_profiles_survive_the_move_to_org():
    executor = migrate_to(BEFORE_MOVE)
    try:
        ids = fill_old_schema(executor.loader.project_state(STATE_BEFORE_MOVE).apps)
    finally:
        # Always end on the latest schema: the tests after this one need it.
        executor = migrate_to(executor.loader.graph.leaf_nodes())

    assert list(Department.objects.order_by("code").values_list("code", "short_name", "kind")) == [
        ("fgw", "区发改委", "district_office"),
        ("lsz", "林山寨街道", "subdistrict"),
    ]
    clerk = Profile.objects.select_related("user", "department").get(user__username="fgw_staff")
    assert (clerk.role, clerk.department.code, clerk.is_demo) == (Role.STAFF, "fgw", True)
    assert Profile.objects.get(user__username="leader").department is None
    # The keys from targets and projects point at the moved rows.
    target = Target.objects.get(code="1.1")
    assert target.lead_department_id == ids["fgw"]
    assert list(target.co_departments.values_list("code", flat=True)) == ["lsz"]
    assert KeyProject.objects.get(code="P1").lead_department_id == ids["street"]
    # History and the content type (permissions, admin log) moved with them.
    assert list(Department.history.values_list("code", "history_type")) == [("fgw", "+")]
    assert ContentType.objects.get(pk=ids["content_type"]).app_label == "org"
    assert Department.objects.get(pk=ids["fgw"]).members.get().user.username == "fgw_staff"


def test_moved_tables_take_org_names():
    assert [m._meta.db_table for m in (Department, Profile)] == ["org_department", "org_profile"]
    assert Department.history.model._meta.db_table == "org_historicaldepartment"
