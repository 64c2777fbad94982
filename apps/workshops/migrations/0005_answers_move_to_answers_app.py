"""Recommendation answers now live in ``apps.answers`` (copied by ``answers.0002``): the
commitment links keep only their link to the copy, the old table goes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0004_answer_commitment_new_answer"),
        ("answers", "0002_copy_answers"),
    ]

    operations = [
        migrations.RemoveField(model_name="answercommitment", name="answer"),
        migrations.RenameField(model_name="answercommitment", old_name="new_answer", new_name="answer"),
        migrations.AlterField(
            model_name="answercommitment",
            name="answer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="commitment_links", to="answers.answer"
            ),
        ),
        migrations.DeleteModel(name="RecommendationAnswer"),
    ]
