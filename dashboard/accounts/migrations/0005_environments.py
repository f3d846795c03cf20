"""Environments: the permission to manage them (the admin role's), and the environment of
every audit entry (older entries: the default environment's)."""

import dashboard.accounts.models
from django.contrib.auth.management import create_permissions
from django.db import migrations, models


def grant_to_admins(apps, schema_editor):
    # Permissions are normally created after all migrations have run; the group needs it now.
    app_config = apps.get_app_config("accounts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(
        content_type__app_label="accounts", codename="manage_environments"
    )
    for group in Group.objects.filter(name="admin"):
        group.permissions.add(permission)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_audit_entry_changes'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='dashboardpermission',
            options={'default_permissions': (), 'managed': False, 'permissions': [('change_connectors', 'Create, edit and delete connectors and auth scheme configs'), ('manage_connections', 'Create, edit and delete connections'), ('rotate_credentials', 'Rotate connection credentials'), ('import_specs', 'Import OpenAPI specs'), ('manage_versions', 'Create, edit and delete connector versions'), ('publish_versions', 'Publish and unpublish connector versions'), ('force_delete', 'Force-delete connectors and versions that are in use'), ('manage_environments', 'Add, edit and remove environments and their roles')]},
        ),
        migrations.AddField(
            model_name='auditentry',
            name='environment',
            field=models.CharField(db_index=True, default=dashboard.accounts.models.default_environment, max_length=40),
        ),
        migrations.RunPython(grant_to_admins, migrations.RunPython.noop),
    ]
