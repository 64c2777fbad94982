"""The agenda's part of the demo city: a month of rendez-vous across the quartiers. Past ones
have their minutes, outcomes linked to the follow-up (commitments, answers, proposals), sign-in
counts and a few comments; future ones have registrations (one full, with a waiting list),
proposed subjects and supports. Rows are created directly (no notifications in a demo)."""

from __future__ import annotations

import datetime
from typing import Any

from apps.agenda.models import AgendaItem, Event, ItemSupport, Outcome, Registration, Sequence, SignInCount
from apps.answers.models import Answer
from apps.discussion.models import Comment
from apps.followup.models import Commitment
from apps.sittings.models import Sitting

PLACES = [
    (
        "Maison de quartier de la Bottière",
        "Entrée de plain-pied, boucle magnétique à l'accueil, toilettes adaptées. Tram 1, arrêt Bottière.",
    ),
    (
        "Salle Jules-Vallès, Bellevue",
        "Rampe d'accès côté parking, ascenseur pour l'étage. Bus C3, arrêt Mendès-France.",
    ),
    ("Mairie annexe de Doulon", "Salle au rez-de-chaussée, places réservées PMR devant l'entrée."),
    ("Centre socioculturel de Malakoff", "Accès de plain-pied ; garderie sur place pendant la réunion si inscrits."),
    ("Pôle associatif du Breil", "Deux marches à l'entrée principale ; entrée accessible par la cour, côté rue."),
]
AGENDA = (
    "**Participation** : les projets en cours du quartier et comment s'y associer.\n\n"
    "**Débat** : les sujets proposés par les habitant·es (les plus soutenus d'abord).\n\n"
    "**Actualités** : les chantiers et les réponses de la Ville."
)
SUBJECTS = [
    (Sequence.DEBATE, "La sécurité des traversées près de l'école", "Les voitures roulent vite rue des Écoles."),
    (Sequence.DEBATE, "Des bancs et de l'ombre sur la place", "Pour les personnes âgées l'été."),
    (Sequence.PARTICIPATION, "Créer un jardin partagé", "Une parcelle libre derrière la médiathèque."),
    (Sequence.NEWS, "Où en est la rénovation du gymnase ?", ""),
    (Sequence.DEBATE, "Les horaires de la ligne de bus le dimanche", "Rien avant 9 h."),
]
MINUTES = (
    "Une quarantaine d'habitant·es présent·es, dont une dizaine pour la première fois.\n\n"
    "**Participation** : présentation du budget participatif et de l'atelier citoyen en cours.\n\n"
    "**Débat** : les traversées près de l'école ont occupé l'essentiel du temps ; la Ville s'engage à "
    "étudier un plateau ralentisseur.\n\n"
    "**Actualités** : le gymnase rouvrira au printemps."
)


def _event(builder: Any, index: int, *, days: int, **extra: Any) -> Event:
    quartier = builder.quartiers[index % len(builder.quartiers)]
    place, access = PLACES[index % len(PLACES)]
    kinds = [
        Event.Kind.RENDEZ_VOUS,
        Event.Kind.RENDEZ_VOUS,
        Event.Kind.WALK,
        Event.Kind.OFFICE_HOURS,
        Event.Kind.PUBLIC_SESSION,
    ]
    kind = extra.pop("kind", kinds[index % len(kinds)])
    event = Event.objects.create(
        kind=kind,
        territory=quartier,
        summary=f"{Event.Kind(kind).label} ouvert à toutes et tous, sans inscription obligatoire.",
        access_info=access,
        step_free=index % 5 != 4,
        online_url="https://visio.demo.archipel.fr/rdv-" + str(index) if index % 3 == 0 else "",
        is_published=True,
        created_by=builder.demo["agent"],
        **extra,
    )
    start = (builder.now + datetime.timedelta(days=days)).replace(hour=18, minute=30, second=0, microsecond=0)
    titles = {
        Event.Kind.RENDEZ_VOUS: f"Rendez-vous citoyen — {quartier.name}",
        Event.Kind.WALK: f"Balade urbaine — {quartier.name}",
        Event.Kind.OFFICE_HOURS: f"Permanence de l'élue de quartier — {quartier.name}",
        Event.Kind.PUBLIC_SESSION: f"Séance publique de l'atelier citoyen — {quartier.name}",
    }
    Sitting.objects.create(
        body=event,
        title=titles[Event.Kind(kind)],
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        place=place,
        agenda=AGENDA if kind == Event.Kind.RENDEZ_VOUS else "",
        is_published=True,
    )
    return event


def _items(builder: Any, event: Event, count: int) -> list[AgendaItem]:
    items = []
    for offset in range(count):
        sequence, title, body = SUBJECTS[(event.pk + offset) % len(SUBJECTS)]
        items.append(
            AgendaItem.objects.create(
                event=event,
                author=builder.residents[(event.pk * 7 + offset) % len(builder.residents)],
                sequence=sequence,
                title=title,
                body=body,
            )
        )
    supports = []
    for item in items:
        for person in builder.rng.sample(builder.residents, builder.rng.randint(2, 12)):
            supports.append(ItemSupport(item=item, user=person))
    ItemSupport.objects.bulk_create(supports, ignore_conflicts=True)
    for item in items:
        AgendaItem.objects.filter(pk=item.pk).update(support_count=item.supports.count())
    return items


def build(builder: Any) -> dict[str, int]:
    commitments = list(Commitment.objects.order_by("pk")[:6])
    answers = list(Answer.objects.order_by("pk")[:6])
    counts = {"rendez-vous": 0, "inscriptions": 0, "décisions": 0}
    for index in range(12):  # a month: about three a week, half past, half to come
        days = -28 + index * 5
        registration = index % 2 == 0
        event = _event(
            builder,
            index,
            days=days,
            registration_enabled=registration,
            capacity=(12 if index == 8 else 40) if registration else None,
        )
        counts["rendez-vous"] += 1
        items = _items(builder, event, 3) if event.kind == Event.Kind.RENDEZ_VOUS else []
        if registration:
            people = builder.rng.sample(builder.residents, 16 if index == 8 else builder.rng.randint(5, 15))
            if days > 0 and index == 6:  # the demo resident holds a place (« Mes rendez-vous »)
                people.insert(0, builder.demo["habitante"])
            rows = []
            for rank, person in enumerate(people):
                full = event.capacity is not None and rank >= event.capacity
                rows.append(
                    Registration(
                        event=event,
                        user=person,
                        status=Registration.Status.WAITING if full else Registration.Status.CONFIRMED,
                        childcare=rank % 6 == 1,
                        interpretation="arabe" if rank % 9 == 2 else "",
                        sign_language=rank % 11 == 3,
                        step_free=rank % 7 == 4,
                        queued_at=builder.now + datetime.timedelta(seconds=rank),
                    )
                )
            Registration.objects.bulk_create(rows)
            counts["inscriptions"] += len(rows)
        if days >= 0:
            continue
        Sitting.objects.filter(agenda_event=event).update(minutes=MINUTES, minutes_html="")
        for sitting in Sitting.objects.filter(agenda_event=event):
            sitting.save()  # renders the minutes
        SignInCount.objects.bulk_create(
            [
                SignInCount(
                    event=event,
                    territory=event.territory,
                    age_band=band,
                    first_time=first,
                    count=builder.rng.randint(1, 9),
                    entered_by=builder.demo["agent"],
                )
                for band in ("18-29", "30-59", "60+")
                for first in (True, False)
            ]
        )
        if commitments:
            commitment = commitments[index % len(commitments)]
            Outcome.objects.create(
                event=event,
                sequence=Sequence.DEBATE,
                item=items[0] if items else None,
                title=f"Suite donnée : {commitment.title}",
                link=Outcome.Link.COMMITMENT,
                commitment=commitment,
                created_by=builder.demo["agent"],
            )
            counts["décisions"] += 1
        if answers:
            answer = answers[index % len(answers)]
            source: Any = answer.source
            if source is not None and hasattr(source, "get_absolute_url"):
                Outcome.objects.create(
                    event=event,
                    sequence=Sequence.NEWS,
                    title="La réponse argumentée de la Ville a été présentée",
                    link=Outcome.Link.PROPOSAL,
                    link_url=source.get_absolute_url(),
                    created_by=builder.demo["agent"],
                )
                counts["décisions"] += 1
        if index % 2 == 0:
            from django.contrib.contenttypes.models import ContentType

            Comment.objects.create(
                target_type=ContentType.objects.get_for_model(Event),
                target_id=event.pk,
                process=None,
                author=builder.residents[index],
                body="Merci pour ce compte rendu. Quand aura lieu le prochain rendez-vous ?",
            )
    return counts
