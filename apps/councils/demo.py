"""Demo content of the councils module, built by ``manage.py demo_city`` after the foundation's.

« Conseil citoyen de Bellevue » (12 tenants drawn by lot + 4 local actors, 2-year terms renewed
by halves, one renewal already held) and the city's « Bureau des projets » jury (2 élus +
2 residents, one being the demo account « voisin »), with meetings, minutes and decisions.
Written directly with the models (no audit entries: nobody acted, the city was built).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from apps.core.models import Process, Territory
from apps.councils.models import Attendance, College, Council, Decision, Meeting, Membership, Renewal
from apps.councils.services import add_months, pool_member_names, public_name_from

DRAW_SLUG = "conseil-citoyen-bellevue-2026"
LAST_NAMES = [
    "Benali", "Le Goff", "Diallo", "Moreau", "Nguyen", "Kerjean", "Traoré", "Martin", "Rousseau", "Haddad",
    "Guérin", "Camara", "Lebreton", "Da Silva", "Pichon", "Mendy", "Rivière", "Ozturk", "Jamet", "Sow",
    "Bouvier", "Cissé", "Le Bihan", "Ferreira",
]  # fmt: skip
FIRST_NAMES = [
    "Aïcha", "Yannick", "Fatou", "Jacqueline", "Minh", "Gwenaëlle", "Mamadou", "Sylvie", "Rachid", "Nadia",
    "Hervé", "Aminata", "Loïc", "Inès", "Bernard", "Awa", "Claire", "Emre", "Odile", "Ibrahima",
    "Sandrine", "Moussa", "Maëlle", "Paulo",
]  # fmt: skip
LOCAL_ACTORS = [
    ("Centre socioculturel de Bellevue", "Nadia Haddad"),
    ("Association des locataires de Bellevue", "Loïc Kerjean"),
    ("Régie de quartier Ouest", "Awa Camara"),
    ("Maison de santé pluriprofessionnelle", "Claire Rivière"),
    ("Club de prévention Ouest", "Rachid Benali"),
    ("Amicale laïque de Bellevue", "Odile Pichon"),
    ("Épicerie solidaire Bellevue", "Emre Ozturk"),
    ("Compagnie de théâtre du Jamet", "Maëlle Jamet"),
]
BELLEVUE_MEETINGS = [
    (
        150,
        "Réunion plénière de rentrée",
        "Maison de quartier de Bellevue",
        "1. Accueil des nouveaux membres\n2. Calendrier de l'année\n3. Point sur le renouvellement urbain",
        "Seize membres présents ou excusés. Les six habitant·es tiré·es au sort lors du dernier "
        "renouvellement ont été accueilli·es.\n\n- Calendrier : une plénière tous les deux mois.\n"
        "- Le bailleur présentera le planning des réhabilitations en décembre.",
    ),
    (
        100,
        "Réhabilitation des tours : rencontre avec le bailleur",
        "Salle polyvalente, place Mendès-France",
        "1. Planning des travaux\n2. Relogement temporaire\n3. Questions des habitant·es",
        "Le bailleur a présenté le planning 2026-2028. Le conseil demande **une permanence hebdomadaire** "
        "pendant les travaux et un référent par cage d'escalier.",
    ),
    (
        60,
        "Tranquillité publique et éclairage",
        "Maison de quartier de Bellevue",
        "1. Diagnostic en marchant\n2. Avis sur l'éclairage des cheminements",
        "Diagnostic en marchant réalisé avec le service Espace public. Un avis sur l'éclairage des "
        "cheminements piétons est adopté (voir les avis du conseil).",
    ),
    (
        20,
        "Contrat de ville : bilan à mi-parcours",
        "Centre socioculturel de Bellevue",
        "1. Bilan du contrat de ville\n2. Préparation de l'avis du conseil citoyen",
        "Le conseil a relu le bilan à mi-parcours et adopté son avis, transmis au comité de pilotage.",
    ),
]
JURY_MEETINGS = [
    (200, "Session de printemps", "Hôtel de Ville, salle 14"),
    (110, "Session d'été", "Hôtel de Ville, salle 14"),
    (25, "Session d'automne", "Maison de quartier de la Bottière"),
]
JURY_DECISIONS = [
    (
        0,
        "Jardin partagé des Dervallières",
        "Soutien au jardin partagé des Dervallières",
        Decision.Outcome.FAVOURABLE,
        (4, 0, 0),
        "Le bureau des projets accorde un soutien de **1 500 €** et un accompagnement du service "
        "Espaces verts pour l'accès à l'eau.",
    ),
    (
        1,
        "Fête des voisins solidaire de Nantes Nord",
        "Fête des voisins solidaire",
        Decision.Outcome.FAVOURABLE,
        (3, 0, 1),
        "Soutien de 800 € et prêt de matériel. Le porteur de projet associera les jeunes du quartier.",
    ),
    (
        2,
        "Atelier vélo solidaire de la Bottière",
        "Atelier vélo solidaire",
        Decision.Outcome.ADJOURNED,
        (2, 1, 1),
        "Le projet est prometteur mais le local n'est pas trouvé : le bureau propose de revoir le "
        "porteur de projet avec la Direction du patrimoine avant la prochaine session.",
    ),
]


def _at(day: datetime.date, hour: int = 18) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30)))


def _attend(meetings: list[Meeting], memberships: list[Membership], rng: Any) -> list[Attendance]:
    rows = []
    for meeting in meetings:
        day = timezone.localtime(meeting.starts_at).date()
        for membership in memberships:
            end = membership.ended_on or membership.term_end
            if membership.term_start <= day <= end:
                roll = rng.random()
                status = (
                    Attendance.Status.PRESENT
                    if roll < 0.78
                    else Attendance.Status.EXCUSED
                    if roll < 0.92
                    else Attendance.Status.ABSENT
                )
                rows.append(Attendance(meeting=meeting, membership=membership, status=status))
    return rows


def _bellevue(builder: Any) -> tuple[Council, list[Membership], list[Meeting], list[Decision]]:
    today: datetime.date = builder.today
    territory: Territory = builder.quartiers[1]
    council = Council.objects.create(
        kind=Council.Kind.CITIZEN_COUNCIL,
        name="Conseil citoyen de Bellevue",
        slug="conseil-citoyen-bellevue",
        territory=territory,
        mission=(
            "Le conseil citoyen de Bellevue associe les habitant·es du quartier prioritaire à **toutes les étapes "
            "du contrat de ville** : diagnostic, projets, suivi et évaluation.\n\n"
            "Il réunit des locataires tiré·es au sort sur les listes des bailleurs sociaux et des acteurs locaux "
            "(associations, commerçants, professionnels du quartier). Il est indépendant des élu·es et donne ses "
            "avis en toute liberté."
        ),
        seats_drawn=12,
        seats_local_actors=4,
        term_months=24,
        renewal_rule=Council.Renewal.HALVES,
        is_published=True,
    )
    start = add_months(today, -18)
    renewal_day = add_months(start, 12)  # the first half served a shortened first term
    renewal = Renewal.objects.create(
        council=council,
        held_on=renewal_day,
        ended_count=8,
        note="Premier renouvellement par moitié : fin des mandats courts de la première mandature.",
        actor=builder.demo["agent"],
    )
    from apps.sortition.models import Draw, PoolMember

    draw = Draw.objects.filter(slug=DRAW_SLUG).first()
    drawn_people: list[PoolMember] = (
        list(draw.members.filter(status=PoolMember.Status.CONFIRMED).order_by("pk")[:12]) if draw else []
    )
    names = iter(zip(FIRST_NAMES, LAST_NAMES, strict=True))
    memberships: list[Membership] = []

    def add(
        college: str, origin: str, full: str, public: str, begin: datetime.date, end: datetime.date, **extra: Any
    ) -> Membership:
        membership = Membership(
            council=council,
            college=college,
            origin=origin,
            full_name=full,
            public_name=public,
            term_start=begin,
            term_end=end,
            **extra,
        )
        memberships.append(membership)
        return membership

    # Former half: ended at the renewal.
    for _ in range(6):
        first, last = next(names)
        add(
            College.DRAWN,
            Membership.Origin.DRAWN,
            f"{first} {last}",
            public_name_from(f"{first} {last}"),
            start,
            renewal_day,
            status=Membership.Status.ENDED,
            ended_on=renewal_day,
            renewal=renewal,
        )
    for organisation, person in LOCAL_ACTORS[4:6]:
        add(
            College.LOCAL_ACTORS,
            Membership.Origin.APPOINTED,
            person,
            f"{public_name_from(person)} ({organisation})",
            start,
            renewal_day,
            status=Membership.Status.ENDED,
            ended_on=renewal_day,
            renewal=renewal,
        )
    # Sitting members: the half from the first term (ends in 6 months) and the half seated at
    # the renewal (ends in 18 months). The drawn seats go first to the draw's confirmed people.
    for index in range(12):
        begin, end = (start, add_months(start, 24)) if index < 6 else (renewal_day, add_months(renewal_day, 24))
        if index < len(drawn_people):
            member = drawn_people[index]
            full, public = pool_member_names(member)
            add(College.DRAWN, Membership.Origin.DRAWN, full, public, begin, end, pool_member=member, user=member.user)
        else:
            first, last = next(names)
            add(
                College.DRAWN,
                Membership.Origin.DRAWN,
                f"{first} {last}",
                public_name_from(f"{first} {last}"),
                begin,
                end,
            )
    for index, (organisation, person) in enumerate(LOCAL_ACTORS[:4]):
        begin, end = (start, add_months(start, 24)) if index < 2 else (renewal_day, add_months(renewal_day, 24))
        add(
            College.LOCAL_ACTORS,
            Membership.Origin.APPOINTED,
            person,
            f"{public_name_from(person)} ({organisation})",
            begin,
            end,
        )
    Membership.objects.bulk_create(memberships)
    memberships = list(council.memberships.all())

    meetings = [
        Meeting(
            council=council,
            title=title,
            starts_at=_at(today - datetime.timedelta(days=days_ago)),
            place=place,
            agenda=agenda,
            minutes=minutes,
            is_published=True,
        )
        for days_ago, title, place, agenda, minutes in BELLEVUE_MEETINGS
    ]
    for meeting in meetings:
        meeting.save()  # renders the Markdown
    decisions = [
        Decision(
            council=council,
            meeting=meetings[2],
            kind=Decision.Kind.OPINION,
            title="Avis sur l'éclairage des cheminements piétons",
            text="Le conseil citoyen demande l'éclairage du cheminement entre l'arrêt de tram et la place "
            "Mendès-France, et la réparation des lampadaires signalés lors du diagnostic en marchant.",
            decided_on=timezone.localtime(meetings[2].starts_at).date(),
            votes_for=13,
            votes_against=0,
            votes_abstain=1,
            is_published=True,
        ),
        Decision(
            council=council,
            meeting=meetings[3],
            kind=Decision.Kind.OPINION,
            title="Avis sur le bilan à mi-parcours du contrat de ville",
            text="Le conseil salue la rénovation de l'école mais regrette le manque d'information sur le "
            "relogement. Il demande à être associé au comité de pilotage de la réhabilitation.",
            decided_on=timezone.localtime(meetings[3].starts_at).date(),
            votes_for=12,
            votes_against=1,
            votes_abstain=2,
            is_published=True,
        ),
    ]
    for decision in decisions:
        decision.save()
    return council, memberships, meetings, decisions


def _jury(builder: Any) -> tuple[Council, list[Membership], list[Meeting], list[Decision]]:
    today: datetime.date = builder.today
    city: Territory = builder.city
    process = Process.objects.filter(territory=city, is_published=True).order_by("pk").first()
    council = Council.objects.create(
        kind=Council.Kind.JURY,
        name="Bureau des projets",
        slug="bureau-des-projets",
        territory=city,
        mission=(
            "Un jury **paritaire** d'élu·es et d'habitant·es repère, choisit et accompagne les projets "
            "d'habitant·es et d'associations qui font vivre les quartiers, sans mise en concurrence.\n\n"
            "Il réunit l'adjoint·e de quartier, l'adjoint·e chargé·e du bureau des projets et deux habitant·es "
            "désigné·es pour un an par le conseil de quartier. Il se réunit trois fois par an."
        ),
        seats_elected=2,
        seats_volunteers=2,
        term_months=12,
        renewal_rule=Council.Renewal.ALL,
        process=process,
        is_published=True,
    )
    start = today - datetime.timedelta(days=240)
    end = add_months(start, 12)
    elue, voisin = builder.demo["elue"], builder.demo["voisin"]
    resident = builder.residents[0]
    rows = [
        (College.ELECTED, Membership.Origin.APPOINTED, elue, "Marie Lemaire", "Marie L."),
        (College.ELECTED, Membership.Origin.APPOINTED, None, "Jean-Pierre Audouin", "Jean-Pierre A."),
        (College.VOLUNTEERS, Membership.Origin.APPOINTED, voisin, "Moussa Diop", "Moussa D."),
        (College.VOLUNTEERS, Membership.Origin.APPOINTED, resident, resident.display_name, resident.display_name),
    ]
    memberships = Membership.objects.bulk_create(
        [
            Membership(
                council=council,
                college=college,
                origin=origin,
                user=user,
                full_name=full,
                public_name=public,
                term_start=start,
                term_end=end,
            )
            for college, origin, user, full, public in rows
        ]
    )
    memberships = list(council.memberships.all())
    meetings = []
    for days_ago, title, place in JURY_MEETINGS:
        meeting = Meeting(
            council=council,
            title=title,
            starts_at=_at(today - datetime.timedelta(days=days_ago), hour=17),
            place=place,
            agenda="Examen des projets déposés depuis la dernière session.",
            minutes="Les porteurs de projet ont présenté leur projet (dix minutes chacun), puis le jury a "
            "délibéré à huis clos. Les décisions sont publiées ci-dessous.",
            is_published=True,
        )
        meeting.save()
        meetings.append(meeting)
    decisions = []
    for meeting_index, title, subject, outcome, (yes, no, abstain), text in JURY_DECISIONS:
        decision = Decision(
            council=council,
            meeting=meetings[meeting_index],
            kind=Decision.Kind.DECISION,
            title=title,
            subject=subject,
            text=text,
            outcome=outcome,
            decided_on=timezone.localtime(meetings[meeting_index].starts_at).date(),
            votes_for=yes,
            votes_against=no,
            votes_abstain=abstain,
            is_published=True,
        )
        decision.save()
        decisions.append(decision)
    if process is not None:
        from apps.followup.models import Commitment

        first = decisions[0]
        commitment = Commitment.objects.create(
            process=process,
            territory=builder.quartiers[2],
            title="Accès à l'eau du jardin partagé des Dervallières",
            description="Raccordement du jardin au réseau d'eau, décidé avec le bureau des projets.",
            service=builder.services.get("Direction des espaces verts") or next(iter(builder.services.values())),
            planned_date=today + datetime.timedelta(days=60),
            progress=40,
            state=Commitment.State.IN_PROGRESS,
            made_with_residents=True,
            source_type=ContentType.objects.get_for_model(Decision),
            source_id=first.pk,
        )
        first.commitment = commitment
        first.save(update_fields=["commitment"])
    return council, memberships, meetings, decisions


def build(builder: Any) -> dict[str, int]:
    bellevue = _bellevue(builder)
    jury = _jury(builder)
    attendances: list[Attendance] = []
    for _council, memberships, meetings, _decisions in (bellevue, jury):
        attendances += _attend(meetings, memberships, builder.rng)
    # The demo « voisin » attended every jury session: his attestation lists them.
    voisin_pk = builder.demo["voisin"].pk
    for row in attendances:
        if row.membership.user_id == voisin_pk:
            row.status = Attendance.Status.PRESENT
    Attendance.objects.bulk_create(attendances)
    return {
        "conseils et jurys": 2,
        "membres de conseils": sum(len(part[1]) for part in (bellevue, jury)),
        "réunions de conseils": sum(len(part[2]) for part in (bellevue, jury)),
        "avis et décisions de conseils": sum(len(part[3]) for part in (bellevue, jury)),
    }
