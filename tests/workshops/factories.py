"""Factories of the workshops tests: a workshop whose process runs a given workshop phase."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from apps.accounts.models import User
from apps.core.models import Process, Territory
from apps.workshops.models import CitizenOpinion, PanelMember, Recommendation, RecommendationRevision, Workshop
from tests.factories import ProcessFactory, UserFactory

KINDS = ("mandate", "sessions", "opinion", "answer", "followup")


def make_workshop_process(kind: str, *, territory: Territory, **extra: Any) -> Process:
    """A published process whose ``kind`` workshop phase runs now (the others around it)."""
    now = timezone.now()
    process = ProcessFactory.create(territory=territory, is_published=True, **extra)
    index = KINDS.index(kind)
    for offset, name in enumerate(KINDS):
        start = now + datetime.timedelta(days=30 * (offset - index) - 1)
        process.phases.create(
            module="workshops",
            kind=name,
            title=name.capitalize(),
            starts_at=start,
            ends_at=start + datetime.timedelta(days=30),
        )
    return process


def make_workshop(
    kind: str = "opinion",
    *,
    territory: Territory,
    answerer: User | None = None,
    published: bool = True,
    slug: str | None = None,
    state: str = CitizenOpinion.State.DRAFTING,
    answer_due: datetime.date | None = None,
) -> Workshop:
    process = make_workshop_process(kind, territory=territory)
    workshop = Workshop.objects.create(
        process=process,
        title=f"Atelier {process.title}",
        slug=slug or f"atelier-{process.slug}",
        question="Comment mieux partager l'espace public entre piétons, vélos et voitures ?",
        open_scope="Les aménagements du centre-ville.",
        closed_scope="Le tracé du tramway.",
        experts="Une urbaniste, un sociologue.",
        budget_eur=150000,
        calendar="Cinq séances de mars à juin.",
        answerer=answerer or UserFactory.create(display_name="Mme l'Élue"),
        answer_due=answer_due or timezone.localdate() + datetime.timedelta(days=90),
        mandate_published_at=timezone.now() if published else None,
    )
    CitizenOpinion.objects.create(workshop=workshop, state=state)
    return workshop


def add_member(
    workshop: Workshop,
    user: User | None = None,
    *,
    status: str = PanelMember.Status.CONFIRMED,
    source: str = PanelMember.Source.VOLUNTEER,
    alternate: bool = False,
    name: str = "Camille Martin",
) -> PanelMember:
    return PanelMember.objects.create(
        workshop=workshop,
        user=user,
        source=source,
        full_name=name,
        public_name=name.split(" ")[0],
        status=status,
        is_alternate=alternate,
    )


def add_recommendation(workshop: Workshop, number: int = 1, *, author: User | None = None) -> Recommendation:
    recommendation = Recommendation.objects.create(
        opinion=workshop.opinion,
        number=number,
        title=f"Des rues apaisées n° {number}",
        text="Limiter la vitesse à 30 km/h autour des écoles.",
    )
    RecommendationRevision.objects.create(
        recommendation=recommendation,
        number=1,
        title=recommendation.title,
        text=recommendation.text,
        author=author,
        author_label="Camille",
    )
    return recommendation
