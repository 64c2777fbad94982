"""Meetings and their attendance now live in ``apps.sittings`` (copied by ``sittings.0002``,
which kept the meetings' ids): decisions point at the sittings, the old tables go."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('councils', '0001_initial'),
        ('sittings', '0002_copy_sessions_and_meetings'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='meeting',
            name='council',
        ),
        migrations.AlterField(
            model_name='decision',
            name='meeting',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='council_decisions', to='sittings.sitting', verbose_name='réunion'),
        ),
        migrations.DeleteModel(
            name='Attendance',
        ),
        migrations.DeleteModel(
            name='Meeting',
        ),
    ]
