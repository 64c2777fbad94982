"""Follows target any object, step 2 of 3: every follow of a proposal is copied to the generic
target (same rows, same primary keys). The way back copies them to ``proposal`` again;
follows of other kinds, which could not exist before, are then dropped."""

from django.db import migrations, models


def _proposal_type(apps, schema_editor):  # type: ignore[no-untyped-def]
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.using(schema_editor.connection.alias).get_or_create(
        app_label="proposals", model="proposal"
    )
    return content_type


def proposals_to_targets(apps, schema_editor):  # type: ignore[no-untyped-def]
    Follow = apps.get_model("notifications", "Follow")
    follows = Follow.objects.using(schema_editor.connection.alias).filter(proposal__isnull=False)
    if follows.exists():
        follows.update(target_type=_proposal_type(apps, schema_editor), target_id=models.F("proposal_id"))


def targets_to_proposals(apps, schema_editor):  # type: ignore[no-untyped-def]
    Follow = apps.get_model("notifications", "Follow")
    follows = Follow.objects.using(schema_editor.connection.alias).filter(target_type__isnull=False)
    content_type = _proposal_type(apps, schema_editor)
    follows.exclude(target_type=content_type).delete()
    follows.update(proposal_id=models.F("target_id"))


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_follow_target_columns")]

    operations = [migrations.RunPython(proposals_to_targets, targets_to_proposals)]
