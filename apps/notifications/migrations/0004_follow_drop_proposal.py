"""Follows target any object, step 3 of 3: the ``proposal`` column goes (its follows were
copied by step 2), and the constraints now say: exactly one of process, territory or generic
target, each followed once per person."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_follow_copy_proposals")]

    operations = [
        migrations.RemoveConstraint(model_name="follow", name="unique_follow_proposal"),
        migrations.RemoveField(model_name="follow", name="proposal"),
        migrations.AddIndex(
            model_name="follow",
            index=models.Index(fields=["target_type", "target_id"], name="follow_target"),
        ),
        migrations.AddConstraint(
            model_name="follow",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("process__isnull", False),
                        ("target_id__isnull", True),
                        ("target_type__isnull", True),
                        ("territory__isnull", True),
                    ),
                    models.Q(
                        ("process__isnull", True),
                        ("target_id__isnull", True),
                        ("target_type__isnull", True),
                        ("territory__isnull", False),
                    ),
                    models.Q(
                        ("process__isnull", True),
                        ("target_id__isnull", False),
                        ("target_type__isnull", False),
                        ("territory__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="follow_exactly_one_target",
            ),
        ),
        migrations.AddConstraint(
            model_name="follow",
            constraint=models.UniqueConstraint(fields=("user", "target_type", "target_id"), name="unique_follow_target"),
        ),
    ]
