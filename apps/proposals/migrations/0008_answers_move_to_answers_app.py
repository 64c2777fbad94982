"""Answers, drafts and signature delegations now live in ``apps.answers`` (copied, same keys
for answers and delegations, by ``answers.0002``): paper contacts point to the copy, the old
tables go."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0007_delete_comments"),
        ("answers", "0002_copy_answers"),
    ]

    operations = [
        migrations.AlterField(
            model_name="papercontact",
            name="sent_answer",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="answers.answer",
            ),
        ),
        migrations.DeleteModel(name="Answer"),
        migrations.DeleteModel(name="AnswerDraft"),
        migrations.DeleteModel(name="SignatureDelegation"),
    ]
