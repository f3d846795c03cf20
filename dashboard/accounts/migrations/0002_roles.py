"""The four roles as groups. A frozen copy of `dashboard.accounts.roles.ROLES`, as it was."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEWER = ("accounts.view_auditentry",)
OPERATOR = (
    *VIEWER,
    "accounts.change_connectors",
    "accounts.manage_connections",
    "accounts.rotate_credentials",
)
PUBLISHER = (
    *OPERATOR,
    "accounts.import_specs",
    "accounts.manage_versions",
    "accounts.publish_versions",
)
ADMIN = (
    *PUBLISHER,
    "accounts.force_delete",
    *(f"auth.{verb}_{model}" for model in ("user", "group") for verb in ("add", "change", "delete", "view")),
    "axes.view_accessattempt",
    "axes.delete_accessattempt",
    "axes.view_accesslog",
)
ROLES = {"viewer": VIEWER, "operator": OPERATOR, "publisher": PUBLISHER, "admin": ADMIN}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations have run; the groups need them now.
    for label in ("auth", "axes", "accounts"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, granted in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = [permission.split(".") for permission in granted]
        permissions = [
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in wanted
        ]
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
