from django.db import migrations

ROLE_NAMES = ["admin", "officer", "liaison", "cadre"]


def create_role_groups(apps, schema_editor):
    # Permissions are attached after migrate (integrity.roles.sync_role_permissions_after_migrate),
    # because Django creates permission rows only once every migration has run.
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("integrity", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
