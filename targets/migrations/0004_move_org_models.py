"""Department, Profile and their histories now belong to org (see
org/migrations/0001_initial.py): targets' foreign keys point there and targets forgets
the models. Nothing changes in the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("org", "0001_initial"),
        ("targets", "0003_pending_swept_at"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="target",
                    name="lead_department",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="led_targets", to="org.department", verbose_name="牵头单位"),
                ),
                migrations.AlterField(
                    model_name="historicaltarget",
                    name="lead_department",
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="org.department", verbose_name="牵头单位"),
                ),
                migrations.AlterField(
                    model_name="target",
                    name="co_departments",
                    field=models.ManyToManyField(blank=True, related_name="co_targets", to="org.department", verbose_name="配合单位"),
                ),
                migrations.DeleteModel(name="HistoricalProfile"),
                migrations.DeleteModel(name="Profile"),
                migrations.DeleteModel(name="HistoricalDepartment"),
                migrations.DeleteModel(name="Department"),
            ],
            database_operations=[],
        ),
    ]
