"""Factories of the councils tests (and the small part of a draw they need)."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from apps.councils.models import College, Council, Decision, Membership
from apps.sittings.models import Sitting
from apps.sortition.models import Draw, PoolMember
from tests.factories import TerritoryFactory


class CouncilFactory(factory.django.DjangoModelFactory[Council]):
    class Meta:
        model = Council

    kind = Council.Kind.CITIZEN_COUNCIL
    name = factory.Sequence(lambda n: f"Conseil citoyen {n}")
    slug = factory.Sequence(lambda n: f"conseil-citoyen-{n}")
    territory = factory.SubFactory(TerritoryFactory)
    mission = "Associer les habitant·es au **contrat de ville**."
    seats_drawn = 4
    seats_local_actors = 2
    term_months = 24
    is_published = True


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    council = factory.SubFactory(CouncilFactory)
    college = College.DRAWN
    origin = Membership.Origin.DRAWN
    full_name = factory.Sequence(lambda n: f"Personne{n} Secretnom{n}")
    public_name = factory.Sequence(lambda n: f"Personne{n} S.")
    term_start = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=100))
    term_end = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=600))


class MeetingFactory(factory.django.DjangoModelFactory[Sitting]):
    """A council meeting: a sitting whose body is a council (``council=`` names it)."""

    class Meta:
        model = Sitting
        rename = {"council": "body"}

    council = factory.SubFactory(CouncilFactory)
    title = factory.Sequence(lambda n: f"Réunion plénière {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10))
    place = "Maison de quartier"
    agenda = "1. Accueil\n2. Projets"
    minutes = "Le conseil a adopté son avis."
    is_published = True


class DecisionFactory(factory.django.DjangoModelFactory[Decision]):
    class Meta:
        model = Decision

    council = factory.SubFactory(CouncilFactory)
    kind = Decision.Kind.DECISION
    title = factory.Sequence(lambda n: f"Décision {n}")
    subject = "Jardin partagé"
    text = "Soutien de 1 500 €."
    decided_on = factory.LazyFunction(timezone.localdate)
    outcome = Decision.Outcome.FAVOURABLE
    votes_for = 3
    votes_against = 0
    votes_abstain = 1
    is_published = True


class DrawFactory(factory.django.DjangoModelFactory[Draw]):
    class Meta:
        model = Draw

    title = factory.Sequence(lambda n: f"Tirage {n}")
    slug = factory.Sequence(lambda n: f"tirage-{n}")
    territory = factory.SubFactory(TerritoryFactory)
    panel_size = 4
    list_source = Draw.ListSource.SOCIAL_LANDLORD
    legal_basis = "Mission d'intérêt public (loi du 21 février 2014)."
    purge_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))
    state = Draw.State.DRAWN


class PoolMemberFactory(factory.django.DjangoModelFactory[PoolMember]):
    class Meta:
        model = PoolMember

    draw = factory.SubFactory(DrawFactory)
    identifier = factory.Sequence(lambda n: f"id-{n}")
    pseudonym = factory.Sequence(lambda n: f"P-{n:04d}")
    features = factory.LazyFunction(lambda: {"genre": "f"})
    personal = factory.Sequence(lambda n: {"first_name": f"Tirée{n}", "last_name": f"Famille{n}"})
    status = PoolMember.Status.CONFIRMED
