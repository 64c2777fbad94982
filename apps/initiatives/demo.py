"""The initiatives part of the demo city: a resource directory, a bureau des projets (paritary
jury) and an appel à agir (no competition), and a dozen ideas at every stage — filed, being
routed, before the jury, funded, realised, closed — through the services, then dated back so
that the delays shown to holders look like a real year."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from apps.core.models import Process
from apps.initiatives import community, demo_sessions, matchfunding, services, showcase_demo
from apps.initiatives.models import Call, Channel, Help, Initiative, JuryMember, Resource, Step

RESOURCES = (
    (
        Help.ROOM,
        "Salle de la maison de quartier",
        "Une salle de 40 places, cuisine équipée.",
        "Gratuite pour les collectifs d'habitant·es, réservation 15 jours avant.",
        "Accueil de la maison de quartier, 02 40 00 00 01",
    ),
    (
        Help.EQUIPMENT,
        "Prêt de matériel festif",
        "Tables, bancs, barnums, sono.",
        "Prêt gratuit, caution demandée, retrait au centre technique.",
        "Centre technique municipal, 02 40 00 00 02",
    ),
    (
        Help.MONEY,
        "Fonds d'initiatives habitantes",
        "Jusqu'à 1 500 € pour un projet collectif de quartier.",
        "Projet porté par au moins deux habitant·es, ouvert à toutes et tous.",
        "Bureau des projets, initiatives@demo.archipel.fr",
    ),
    (
        Help.ADVICE,
        "Accompagnement par un·e agent·e de quartier",
        "Un rendez-vous pour construire le projet, le budget, les démarches.",
        "Sans condition.",
        "Pôle de quartier, 02 40 00 00 03",
    ),
    (
        Help.CONTACTS,
        "Réseau des jardins partagés",
        "Mise en relation avec les collectifs qui jardinent déjà.",
        "Sans condition.",
        "Maison de l'environnement, 02 40 00 00 04",
    ),
    (
        Help.PERMIT,
        "Occupation temporaire de l'espace public",
        "Autorisation pour une fête, un marché, un atelier de rue.",
        "Demande un mois avant, assurance de l'organisateur.",
        "Service de l'espace public, 02 40 00 00 05",
    ),
)

# (title, place, who, category, helps, stage, days ago, quartier index)
IDEAS: tuple[tuple[str, str, str, str, tuple[str, ...], str, int, int], ...] = (
    (
        "Une boîte à livres devant l'école",
        "Rue des Marsauderies",
        "Trois parents d'élèves",
        "culture",
        (Help.EQUIPMENT,),
        "filed",
        1,
        0,
    ),
    (
        "Un repair café une fois par mois",
        "Maison de quartier",
        "Deux retraités bricoleurs",
        "solidarity",
        (Help.ROOM, Help.CONTACTS),
        "filed",
        3,
        1,
    ),
    (
        "Je ne sais pas dans quelle case mettre mon idée",
        "Square Maurice Schwob",
        "Moi et ma voisine",
        "no_box",
        (Help.ADVICE,),
        "routing",
        12,
        1,
    ),
    (
        "Des bacs potagers au pied des immeubles",
        "Allée des Tilleuls",
        "L'amicale de locataires",
        "nature",
        (Help.MONEY, Help.PERMIT),
        "routing",
        20,
        0,
    ),
    (
        "Un tournoi de foot inter-quartiers",
        "City stade",
        "Les jeunes du quartier et un éducateur",
        "sport",
        (Help.MONEY, Help.EQUIPMENT),
        "call",
        30,
        1,
    ),
    (
        "Une fresque participative sur le mur du gymnase",
        "Gymnase Léo Lagrange",
        "Un collectif d'artistes et l'école",
        "culture",
        (Help.MONEY, Help.PERMIT),
        "call",
        34,
        0,
    ),
    (
        "Une fête des voisins géante",
        "Place du marché",
        "Le comité des fêtes",
        "culture",
        (Help.MONEY, Help.EQUIPMENT),
        "funded",
        70,
        0,
    ),
    (
        "Un composteur collectif",
        "Résidence du Parc",
        "Six foyers de la résidence",
        "nature",
        (Help.MONEY,),
        "funded",
        80,
        1,
    ),
    (
        "Des ateliers numériques pour les aîné·es",
        "Médiathèque",
        "Des lycéen·nes volontaires",
        "solidarity",
        (Help.MONEY, Help.ROOM),
        "funded",
        60,
        1,
    ),
    (
        "Un jardin partagé dans la friche",
        "Friche de la rue Lamoricière",
        "Une vingtaine d'habitant·es",
        "nature",
        (Help.MONEY, Help.CONTACTS),
        "realised",
        200,
        0,
    ),
    (
        "Un marché de Noël solidaire",
        "Parvis de l'église",
        "Les commerçant·es et le centre social",
        "solidarity",
        (Help.MONEY, Help.PERMIT),
        "realised",
        240,
        1,
    ),
    ("Une piscine sur le toit de la mairie", "Mairie annexe", "Un habitant", "sport", (Help.MONEY,), "closed", 90, 0),
)


def _back(initiative: Initiative, days: int, now: datetime.datetime) -> None:
    """Date the idea and its steps back: filed ``days`` ago, each step a few days after the last."""
    filed = now - datetime.timedelta(days=days)
    Initiative.objects.filter(pk=initiative.pk).update(
        created_at=filed, referent_due=filed + datetime.timedelta(days=5)
    )
    steps = list(initiative.steps.order_by("at", "pk"))
    span = max(days - 1, 1)
    for index, step in enumerate(steps):
        step.at = filed + datetime.timedelta(days=min(span, 2 * index + (index > 0)))
    Step.objects.bulk_update(steps, ["at"])
    at = {step.kind: step.at for step in steps}
    Initiative.objects.filter(pk=initiative.pk).update(
        referent_assigned_at=at.get(Step.Kind.REFERENT),
        first_reply_at=at.get(Step.Kind.CONTACT),
        decision_at=at.get(Step.Kind.DECISION),
    )


def build(builder: Any) -> dict[str, int]:
    now: datetime.datetime = builder.now
    today: datetime.date = builder.today
    agent = builder.demo["agent"]
    holders = [builder.demo["habitante"], builder.demo["voisin"], *builder.residents[:10]]
    quartiers = builder.quartiers[:2]
    for kind, name, description, conditions, contact in RESOURCES:
        services.resource_save(
            actor=agent,
            kind=kind,
            name=name,
            description=description,
            conditions=conditions,
            contact=contact,
            territory=None,
            is_published=True,
        )
    # The supported projects are followed on the city's first process, like its other commitments.
    follow = Process.objects.filter(is_published=True).order_by("pk").first()
    common = {
        "rules": "Un projet collectif, ouvert à toutes et tous, réalisé dans l'année.",
        "is_published": True,
        "process": follow,
    }
    bureau = services.call_create(
        actor=agent,
        title="Bureau des projets 2027",
        slug="bureau-des-projets-2027",
        territory=builder.city,
        mode=Call.Mode.JURY,
        budget=Decimal("20000.00"),
        max_amount=Decimal("3000.00"),
        criteria="Projet participatif : les habitant·es le conçoivent et le réalisent. Intérêt collectif du quartier.",
        opens_on=today - datetime.timedelta(days=250),
        closes_on=today + datetime.timedelta(days=60),
        decides_on=today + datetime.timedelta(days=90),
        **common,
    )
    agir = services.call_create(
        actor=agent,
        title="Appel à agir : nature en ville",
        slug="appel-a-agir-nature-en-ville",
        territory=builder.city,
        mode=Call.Mode.OPEN,
        budget=Decimal("5000.00"),
        max_amount=Decimal("800.00"),
        criteria="Végétaliser un lieu partagé, avec au moins trois foyers, sans usage de pesticides.",
        match_ratio=Decimal("1.00"),
        match_cap_project=Decimal("500.00"),
        match_cap_donor=Decimal("100.00"),
        opens_on=today - datetime.timedelta(days=120),
        closes_on=today + datetime.timedelta(days=120),
        decides_on=today + datetime.timedelta(days=150),
        **common,
    )
    term = today + datetime.timedelta(days=300)
    for name, college, designation in (
        ("Mme la conseillère municipale déléguée", JuryMember.College.ELU, JuryMember.Designation.DESIGNATED),
        ("M. l'adjoint de quartier", JuryMember.College.ELU, JuryMember.Designation.DESIGNATED),
        ("Fatou D., habitante de Malakoff", JuryMember.College.RESIDENT, JuryMember.Designation.DRAWN),
        ("Yann L., habitant de Bellevue", JuryMember.College.RESIDENT, JuryMember.Designation.DESIGNATED),
    ):
        services.jury_member_add(
            actor=agent, call=bureau, name=name, college=college, designation=designation, term_end=term
        )
    sitting = services.jury_sitting_create(
        actor=agent,
        call=bureau,
        title="Jury du bureau des projets",
        starts_at=now - datetime.timedelta(days=50),
        place="Mairie annexe de Malakoff",
        agenda="Examen des dossiers déposés.",
    )
    helped = 0
    for index, (title, place, who, category, helps, stage, days, q) in enumerate(IDEAS):
        # Some ideas were told at a counter: an agent typed them for a person without an account.
        offline = index % 3 == 1 and stage in {"filed", "routing"}
        initiative = services.initiative_file(
            title=title,
            description=f"{title}. Nous voulons le faire avec les voisin·es, simplement.",
            place=place,
            territory=quartiers[q % len(quartiers)],
            who=who,
            category=category,
            helps=helps,
            is_public=True,
            holder=None if offline else holders[index % len(holders)],
            filed_by=agent if offline else None,
            channel=Channel.COUNTER if offline else Channel.ONLINE,
            holder_name="Mme M." if offline else "",
            holder_contact="02 40 00 00 99" if offline else "",
        )
        if stage != "filed":
            services.referent_assign(actor=agent, initiative=initiative, referent=agent)
            services.step_record(
                actor=agent,
                initiative=initiative,
                kind=Step.Kind.CONTACT,
                note="Appel et rendez-vous au pôle de quartier.",
            )
            services.step_record(
                actor=agent,
                initiative=initiative,
                kind=Step.Kind.ROUTED,
                resources=list(services_resources(initiative)),
            )
        if stage in {"call", "funded", "realised", "closed"}:
            call = agir if category == "nature" else bureau
            holder = initiative.holder
            assert holder is not None
            asked = min(call.max_amount, Decimal(400 + 150 * index))
            services.initiative_submit(holder=holder, initiative=initiative, call=call, amount_requested=asked)
            initiative.refresh_from_db()
        if stage in {"funded", "realised", "closed"}:
            assert initiative.call is not None
            outcome = "refused" if stage == "closed" else ("conditions" if index % 2 else "accepted")
            decision = services.decision_record(
                actor=agent,
                initiative=initiative,
                outcome=outcome,
                amount=initiative.amount_requested if outcome != "refused" else Decimal(0),
                reasons=(
                    "Le projet ne relève pas du fonds : l'équipement demandé dépasse un projet d'habitant·es."
                    if outcome == "refused"
                    else "Projet collectif, ouvert au quartier, porté par des habitant·es qui le réalisent eux-mêmes."
                ),
                conditions="Associer l'école voisine à la préparation." if outcome == "conditions" else "",
                sitting=sitting if initiative.call.mode == Call.Mode.JURY else None,
            )
            if outcome != "refused":
                services.payment_record(
                    actor=agent,
                    decision=decision,
                    amount=decision.amount,
                    paid_on=today - datetime.timedelta(days=10),
                    reference=f"MANDAT-2027-{index:04d}",
                )
        if stage in {"routing", "funded", "realised"}:
            helped += _helpers(builder, initiative, today, record_time=stage != "routing")
        if stage == "realised":
            services.step_record(
                actor=agent,
                initiative=initiative,
                kind=Step.Kind.REALISED,
                note="Réalisé : une centaine de personnes sont venues.",
            )
            initiative.refresh_from_db()
            holder = initiative.holder
            assert holder is not None
            community.story_tell(actor=holder, initiative=initiative, story=STORY % {"title": initiative.title})
        _back(initiative, days, now)
    # Matchfunding under way on the appel à agir's supported projects: some pledges paid, some not.
    pledges = 0
    for initiative in Initiative.objects.filter(call=agir, stage=Initiative.Stage.FUNDED):
        for n, donor in enumerate(builder.residents[10:16]):
            pledge = matchfunding.pledge_create(donor=donor, initiative=initiative, amount=Decimal(10 + 5 * n))
            pledges += 1
            if n % 3 != 2:
                matchfunding.pledge_receive(actor=agent, reference=pledge.reference, amount=pledge.amount)
    # An appel à agir in sessions, and the end of the supported projects (receipts, reports).
    extra = {
        **demo_sessions.build(builder, agent=agent, holders=holders, follow=follow),
        **demo_sessions.build_closing(builder, agent=agent),
    }
    return {
        **showcase_demo.build(builder, agent),
        **extra,
        "coups de main (temps donné)": helped,
        "promesses de dons": pledges,
        "initiatives habitantes": len(IDEAS),
        "appels à initiatives": 3,
        "ressources de l'annuaire": len(RESOURCES),
    }


STORY = (
    "« %(title)s » est né d'une discussion sur le trottoir, un soir de juin. Nous étions trois ; le jour de "
    "l'ouverture, nous étions plus de soixante.\n\n"
    "La référente du pôle de quartier nous a orienté·es vers la salle et le prêt de matériel, puis vers l'appel : "
    "la décision est arrivée en moins de deux mois. Des voisin·es que nous ne connaissions pas ont rejoint le "
    "projet par le site, pour bricoler, cuisiner, traduire les affiches.\n\n"
    "Ce qui a été difficile : trouver des créneaux pour tout le monde. Ce que nous en retenons : commencer petit, "
    "et demander de l'aide tôt."
)


def _helpers(builder: Any, initiative: Initiative, today: datetime.date, *, record_time: bool) -> int:
    """Two residents join the project; on a project under way or done, its holder records their time."""
    holder = initiative.holder
    assert holder is not None
    helpers = [person for person in builder.residents[16:19] if person.pk != holder.pk][:2]
    for n, person in enumerate(helpers):
        community.help_offer(person=person, initiative=initiative, skills=("Bricolage", "Cuisine, traduction")[n])
        if record_time:
            community.time_record(
                actor=holder,
                initiative=initiative,
                person=person,
                day=today - datetime.timedelta(days=20 + n),
                hours=Decimal("3.5") if n else Decimal(6),
                activity=("Montage et installation", "Préparation du repas partagé")[n],
                skills=("menuiserie, travail en équipe", "cuisine, traduction en arabe")[n],
            )
    return len(helpers)


def services_resources(initiative: Initiative) -> list[Resource]:
    from apps.initiatives.selectors import resources_for

    return list(resources_for(initiative)[:3])
