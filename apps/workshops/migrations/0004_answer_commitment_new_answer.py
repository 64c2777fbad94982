"""Step 1 of moving recommendation answers to ``apps.answers``: the commitment links get a
second, temporary link to the copied answer (filled by ``answers.0002``)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0003_sessions_move_to_sittings"),
        ("answers", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="answercommitment",
            name="new_answer",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="answers.answer"
            ),
        ),
    ]
