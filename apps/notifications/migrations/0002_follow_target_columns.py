"""Follows target any object, step 1 of 3: the generic target columns (content type and id)
beside ``proposal``. The steps are separate migrations so that the copy (step 2) is
committed before the table is altered again (PostgreSQL refuses an ALTER TABLE with pending
deferred foreign key checks in the same transaction)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0004_audit_log_rgpd_erasure"),
        ("notifications", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="follow", name="follow_exactly_one_target"),
        migrations.AddField(
            model_name="follow",
            name="target_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="follow",
            name="target_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
    ]
