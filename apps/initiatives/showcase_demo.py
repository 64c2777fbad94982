"""The demo city's directory of actors and « portes ouvertes »: residents who chose to offer a
skill, associations and collectives (one still waiting for an agent), and open doors announced by
the holders of projects under way, through the services like real people would."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from apps.initiatives import directory, open_doors
from apps.initiatives.models import Actor, Initiative

# (display name, skills, presentation, show their initiatives)
RESIDENTS = (
    ("Samira", "Couture, traduction en arabe", "Je peux coudre des costumes ou traduire vos affiches.", True),
    ("Jean-Paul", "Menuiserie, réparation de vélos", "Retraité, un atelier au garage, libre en semaine.", True),
    ("Lou", "Graphisme, animation d'ateliers pour enfants", "Étudiante aux Beaux-Arts.", False),
)
# (kind, name, skills, presentation, website, published)
ORGANISATIONS = (
    (
        Actor.Kind.ASSOCIATION,
        "Amicale des locataires de la résidence du Parc",
        "Fêtes de quartier, prêt de tables et de bancs, médiation entre voisin·es",
        "L'amicale organise la fête des voisins et accompagne les projets de la résidence.",
        "",
        True,
    ),
    (
        Actor.Kind.COLLECTIVE,
        "Les Pousses de la friche",
        "Jardinage, compost, chantiers participatifs",
        "Un collectif d'habitant·es qui jardine la friche de la rue Lamoricière depuis deux saisons.",
        "",
        True,
    ),
    (
        Actor.Kind.ASSOCIATION,
        "Vélo Solidaire Malakoff",
        "Réparation de vélos, apprentissage du vélo pour adultes",
        "Atelier associatif d'autoréparation, le mercredi et le samedi.",
        "https://velo-solidaire.example.org",
        False,  # waits for an agent: the back office's queue has something to validate
    ),
)
# (days ahead, hour, place, what happens), for the projects under way or done, in order.
OPEN_DOORS = (
    (6, 14, "Friche de la rue Lamoricière", "Visite du jardin, troc de graines et goûter partagé."),
    (13, 10, "Résidence du Parc, local à vélos", "Inauguration du composteur : apportez vos épluchures !"),
    (20, 15, "Médiathèque, salle multimédia", "Venez essayer une tablette avec les lycéen·nes bénévoles."),
)


def build(builder: Any, agent: Any) -> dict[str, int]:
    midnight = timezone.localtime(builder.now).replace(hour=0, minute=0, second=0, microsecond=0)
    listed = 0
    for person, (name, skills, description, show) in zip(builder.residents[16:19], RESIDENTS, strict=True):
        directory.resident_entry_save(
            person=person,
            name=name,
            skills=skills,
            description=description,
            territory=person.home_territory or builder.quartiers[0],
            show_initiatives=show,
        )
        listed += 1
    proposers = [builder.demo["habitante"], builder.demo["voisin"], builder.residents[5]]
    for proposer, (kind, name, skills, description, website, published) in zip(proposers, ORGANISATIONS, strict=True):
        entry = directory.organisation_propose(
            person=proposer,
            kind=kind,
            name=name,
            skills=skills,
            description=description,
            territory=builder.quartiers[0],
            website=website,
            initiatives=directory.participations(proposer)[:2],
        )
        if published:
            directory.actor_moderate(agent=agent, actor=entry, publish=True)
        listed += 1
    alive = Initiative.objects.filter(
        is_public=True, stage__in=[Initiative.Stage.FUNDED, Initiative.Stage.REALISED]
    ).order_by("pk")
    doors = 0
    for initiative, (days, hour, place, description) in zip(alive, OPEN_DOORS, strict=False):
        starts = midnight + datetime.timedelta(days=days, hours=hour)
        open_doors.open_door_announce(
            actor=initiative.holder or agent,
            initiative=initiative,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=3),
            place=place,
            description=description,
        )
        doors += 1
    return {"acteurs de l'annuaire": listed, "portes ouvertes": doors}
