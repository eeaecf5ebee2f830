"""Rights now come from roles, never from is_superuser: a superuser made earlier with
createsuperuser (which the README used to say) has no profile and could no longer
log in, so they become a system admin who must change their password and set up a
second factor at next login; is_superuser is cleared for everyone."""

from django.db import migrations


def forwards(apps, schema_editor):
    User = apps.get_model("auth", "User")
    Profile = apps.get_model("org", "Profile")
    for user in User.objects.filter(is_superuser=True, profile__isnull=True):
        Profile.objects.create(user=user, role="admin", must_change_password=True)
    User.objects.filter(is_superuser=True).update(is_superuser=False)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0004_account_policy"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
