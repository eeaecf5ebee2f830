"""Projects' lead department is org's Department now (moved from targets, see
org/migrations/0001_initial.py). Nothing changes in the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("org", "0001_initial"),
        ("projects", "0002_history_reason_text"),
    ]
    # Before targets forgets its Department, or these keys would point at nothing.
    run_before = [("targets", "0004_move_org_models")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="historicalkeyproject",
                    name="lead_department",
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="org.department", verbose_name="责任单位"),
                ),
                migrations.AlterField(
                    model_name="keyproject",
                    name="lead_department",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="projects", to="org.department", verbose_name="责任单位"),
                ),
            ],
            database_operations=[],
        ),
    ]
