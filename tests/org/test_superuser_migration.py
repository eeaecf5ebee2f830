"""Superusers made before roles ruled the admin become system admins."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("org", "0004_account_policy")]
AFTER = [("org", "0005_superusers_become_system_admins")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_superusers_become_system_admins_who_must_change_their_password():
    apps = migrate(BEFORE)
    User = apps.get_model("auth", "User")
    Profile = apps.get_model("org", "Profile")
    User.objects.create(username="old-boss", is_superuser=True, is_staff=True)
    kept = User.objects.create(username="boss-with-role", is_superuser=True)
    Profile.objects.create(user=kept, role="leader")
    try:
        apps = migrate(AFTER)
        User = apps.get_model("auth", "User")
        Profile = apps.get_model("org", "Profile")
        assert not User.objects.filter(is_superuser=True).exists()
        assert [
            (p.user.username, p.role, p.must_change_password)
            for p in Profile.objects.order_by("user__username")
        ] == [
            ("boss-with-role", "leader", False),
            ("old-boss", "admin", True),
        ]
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
