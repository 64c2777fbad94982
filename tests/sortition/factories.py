"""Factories and small CSV pools of the sortition tests."""

from __future__ import annotations

import datetime
import random

import factory
from django.utils import timezone

from apps.accounts.models import User
from apps.sortition.models import Draw
from tests.factories import TerritoryFactory

MARKER_EMAIL = "secret.personne7@exemple-prive.fr"


class DrawFactory(factory.django.DjangoModelFactory[Draw]):
    class Meta:
        model = Draw

    title = factory.Sequence(lambda n: f"Panel citoyen {n}")
    slug = factory.Sequence(lambda n: f"panel-citoyen-{n}")
    purpose = "Composer le panel de l'atelier citoyen."
    territory = factory.SubFactory(TerritoryFactory)
    panel_size = 6
    list_source = Draw.ListSource.ELECTORAL_ROLL
    legal_basis = "Mission d'intérêt public (article 6-1-e du RGPD)."
    purge_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=180))


CATEGORIES = b"category,feature,min,max\ngenre,femme,3,3\ngenre,homme,3,3\nage,jeune,2,4\nage,senior,2,4\n"


def people_csv(n: int = 30, seed: int = 1, *, sep: str = ",", bom: bool = False) -> bytes:
    """A pool with personal columns (nom, courriel, téléphone) beside the two categories.
    Person 7 has the recognisable ``MARKER_EMAIL``."""
    rng = random.Random(seed)
    lines = [sep.join(["pool_member_identifier", "nom", "courriel", "telephone", "genre", "age"])]
    for i in range(n):
        genre = "femme" if i % 3 else "homme"
        age = "jeune" if rng.random() < 0.4 else "senior"
        email = MARKER_EMAIL if i == 7 else f"personne{i}@exemple.fr"
        lines.append(sep.join([f"E{i:04d}", f"Nom Personne {i}", email, f"06 00 00 00 {i:02d}", genre, age]))
    text = "\n".join(lines) + "\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


EVENT = "les 5 numéros du tirage EuroMillions du mardi 15 décembre 2026, dans l'ordre croissant"
RESULT = "04 17 22 31 45"


def announce(draw: Draw, agent: User, *, commitment: str = "", hours: int = 26) -> Draw:
    """Announce ``draw`` with the public event ``EVENT``, known ``hours`` from now."""
    from apps.sortition import services

    return services.seed_announce(
        actor=agent,
        draw=draw,
        seed_source=EVENT,
        seed_event_at=timezone.now() + datetime.timedelta(hours=hours),
        seed_commitment=commitment,
    )


def event_passed(draw: Draw) -> Draw:
    """Let time pass: the announcement was two days ago, the event's result known since yesterday."""
    now = timezone.now()
    Draw.objects.filter(pk=draw.pk).update(
        seed_announced_at=now - datetime.timedelta(days=2), seed_event_at=now - datetime.timedelta(days=1)
    )
    draw.refresh_from_db()
    return draw
