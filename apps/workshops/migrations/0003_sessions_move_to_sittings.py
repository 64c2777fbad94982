"""Sessions, their documents and attendance now live in ``apps.sittings`` (copied by
``sittings.0002``): the old tables go."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('workshops', '0002_upload_random_names'),
        ('sittings', '0002_copy_sessions_and_meetings'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='session',
            name='workshop',
        ),
        migrations.RemoveField(
            model_name='sessiondocument',
            name='session',
        ),
        migrations.DeleteModel(
            name='Attendance',
        ),
        migrations.DeleteModel(
            name='Session',
        ),
        migrations.DeleteModel(
            name='SessionDocument',
        ),
    ]
