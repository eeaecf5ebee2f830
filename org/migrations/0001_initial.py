"""Department, Profile and their histories move here from targets, in place.

Only Django's picture of the models moves (SeparateDatabaseAndState): the tables,
their rows and every foreign key pointing at them stay as they are, so a district's
data survives `migrate`. 0002 then renames the tables to org's names. The content
types move too, so permissions granted on departments and profiles and the admin's
log keep pointing at the same rows.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


MOVED_MODELS = ["department", "historicaldepartment", "profile", "historicalprofile"]


def move_content_types(apps, schema_editor, source="targets", destination="org") -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MOVED_MODELS:
        if not types.filter(app_label=destination, model=model).exists():
            types.filter(app_label=source, model=model).update(app_label=destination)


def move_content_types_back(apps, schema_editor) -> None:
    move_content_types(apps, schema_editor, source="org", destination="targets")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        # The tables were created by targets' migrations.
        ("targets", "0003_pending_swept_at"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Department',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, unique=True, verbose_name='名称')),
                        ('short_name', models.CharField(max_length=30, verbose_name='简称')),
                        ('code', models.SlugField(help_text='英文短代码,用于账号名,如 fgw。', max_length=30, unique=True, verbose_name='代码')),
                        ('kind', models.CharField(choices=[('district_office', '区直部门'), ('subdistrict', '街道'), ('state_enterprise', '国有企业'), ('development_zone', '开发区'), ('other', '其他')], default='district_office', max_length=30, verbose_name='类型')),
                        ('email', models.EmailField(blank=True, help_text='催报提醒发送到此邮箱及本单位填报员。', max_length=254, verbose_name='联系邮箱')),
                        ('sort_order', models.PositiveSmallIntegerField(default=100, verbose_name='排序')),
                    ],
                    options={
                        'verbose_name': '责任单位',
                        'verbose_name_plural': '责任单位',
                        'db_table': 'targets_department',
                        'ordering': ['sort_order', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalDepartment',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('name', models.CharField(db_index=True, max_length=100, verbose_name='名称')),
                        ('short_name', models.CharField(max_length=30, verbose_name='简称')),
                        ('code', models.SlugField(help_text='英文短代码,用于账号名,如 fgw。', max_length=30, verbose_name='代码')),
                        ('kind', models.CharField(choices=[('district_office', '区直部门'), ('subdistrict', '街道'), ('state_enterprise', '国有企业'), ('development_zone', '开发区'), ('other', '其他')], default='district_office', max_length=30, verbose_name='类型')),
                        ('email', models.EmailField(blank=True, help_text='催报提醒发送到此邮箱及本单位填报员。', max_length=254, verbose_name='联系邮箱')),
                        ('sort_order', models.PositiveSmallIntegerField(default=100, verbose_name='排序')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.TextField(null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical 责任单位',
                        'verbose_name_plural': 'historical 责任单位',
                        'db_table': 'targets_historicaldepartment',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalProfile',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('role', models.CharField(choices=[('staff', '填报员'), ('reviewer', '审核员'), ('leader', '领导'), ('admin', '管理员')], default='leader', max_length=20, verbose_name='角色')),
                        ('is_demo', models.BooleanField(default=False, help_text='演示账号在 DEBUG 关闭时不能登录。', verbose_name='演示账号')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.TextField(null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('department', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='org.department', verbose_name='所属单位')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='用户')),
                    ],
                    options={
                        'verbose_name': 'historical 用户角色',
                        'verbose_name_plural': 'historical 用户角色',
                        'db_table': 'targets_historicalprofile',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Profile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('staff', '填报员'), ('reviewer', '审核员'), ('leader', '领导'), ('admin', '管理员')], default='leader', max_length=20, verbose_name='角色')),
                        ('is_demo', models.BooleanField(default=False, help_text='演示账号在 DEBUG 关闭时不能登录。', verbose_name='演示账号')),
                        ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='members', to='org.department', verbose_name='所属单位')),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='profile', to=settings.AUTH_USER_MODEL, verbose_name='用户')),
                    ],
                    options={
                        'verbose_name': '用户角色',
                        'verbose_name_plural': '用户角色',
                        'db_table': 'targets_profile',
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('role', 'staff'), _negated=True), ('department__isnull', False), _connector='OR'), name='profile_staff_has_department', violation_error_message='填报员必须属于一个责任单位。')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
