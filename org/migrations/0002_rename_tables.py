"""The moved tables take org's names (targets_department -> org_department, ...).
A rename keeps every row, and the foreign keys pointing at the table follow it (on
PostgreSQL by the table's identity, on SQLite 3.26+ by ALTER TABLE RENAME)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0001_initial'),
        # After targets and projects have let go of the models.
        ('projects', '0003_department_in_org'),
        ('targets', '0004_move_org_models'),
    ]

    operations = [
        migrations.AlterModelTable(
            name='department',
            table=None,
        ),
        migrations.AlterModelTable(
            name='historicaldepartment',
            table=None,
        ),
        migrations.AlterModelTable(
            name='historicalprofile',
            table=None,
        ),
        migrations.AlterModelTable(
            name='profile',
            table=None,
        ),
    ]
