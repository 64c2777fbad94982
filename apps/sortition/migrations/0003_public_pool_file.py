"""The public pseudonymised pool file (``Draw.pool_csv``), on which the engine now runs.

Draws not drawn yet get their file now, and their computed distribution is renamed from list
identifiers to pseudonyms (the same lottery: only the names of the members change). Draws already
drawn keep their report as it is (made on the list identifiers) and get no public pool file.
"""

import csv
import hashlib
import io

from django.db import migrations, models

ID_COLUMN = "pool_member_identifier"


def _categories(categories_csv: str) -> list[str]:
    # A frozen copy of ``bridge.categories_of``.
    text = categories_csv.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    rows = [
        [cell.strip() for cell in record]
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        if any(cell.strip() for cell in record)
    ]
    if not rows:
        return []
    lowered = [cell.lower() for cell in rows[0]]
    index = next((lowered.index(n) for n in ("category", "categorie", "catégorie") if n in lowered), 0)
    return list(dict.fromkeys(row[index] for row in rows[1:] if len(row) > index and row[index]))


def _pool_csv(categories: list[str], members: list[tuple[str, dict[str, str]]]) -> str:
    # A frozen copy of ``bridge.public_pool_csv``.
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([ID_COLUMN, *categories])
    for pseudonym, features in sorted(members, key=lambda member: member[0]):
        writer.writerow([pseudonym, *(features.get(category, "") for category in categories)])
    return buffer.getvalue()


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    Draw = apps.get_model("sortition", "Draw")
    PoolMember = apps.get_model("sortition", "PoolMember")
    for draw in Draw.objects.exclude(state="drawn").exclude(categories_csv="").filter(pool_csv="").iterator():
        rows = list(PoolMember.objects.filter(draw=draw).values_list("identifier", "pseudonym", "features"))
        if not rows:
            continue
        names = {identifier: pseudonym for identifier, pseudonym, _features in rows}
        draw.pool_csv = _pool_csv(_categories(draw.categories_csv), [(p, f) for _i, p, f in rows])
        draw.pool_sha256 = hashlib.sha256(draw.pool_csv.encode("utf-8")).hexdigest()
        if draw.distribution:
            try:
                draw.distribution = {
                    **draw.distribution,
                    "type_members": [sorted(names[i] for i in group) for group in draw.distribution["type_members"]],
                    "probabilities": {names[i]: p for i, p in draw.distribution["probabilities"].items()},
                }
            except KeyError:  # a distribution of another pool: compute again
                draw.distribution = None
                if draw.seed_announced_at is None and draw.state == "computed":
                    draw.state = "pool_loaded"
        draw.save(update_fields=["pool_csv", "pool_sha256", "distribution", "state"])


class Migration(migrations.Migration):
    dependencies = [
        ("sortition", "0002_draws_volunteers_final_guard"),
    ]

    operations = [
        migrations.AddField(
            model_name="draw",
            name="pool_csv",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="draw",
            name="pool_sha256",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddConstraint(
            model_name="poolmember",
            constraint=models.UniqueConstraint(fields=("draw", "pseudonym"), name="one_pool_member_per_pseudonym"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
