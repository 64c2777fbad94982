"""The questionnaires of the demo city: « Nos parcs de quartier », answered online, typed from
paper by two agents (one form still waiting for its second entry, one disputed), and run as a
multi-site session the same day in three quartiers and online, each site with its facilitator
(one big table of each site added up on its sheet and typed twice)."""

from __future__ import annotations

from typing import Any

from django.utils.datastructures import MultiValueDict

from apps.consultations.questionnaires import services, tables
from apps.consultations.questionnaires.answers import parse
from apps.consultations.questionnaires.models import Channel, PaperForm, Questionnaire, Site, SiteFacilitator
from apps.consultations.questionnaires.sample import add_sample_questions, sample_answers
from apps.core.models import Phase, Process

ONLINE = 160
PAPER = 36
PER_SITE = 30
AGE_BANDS = services.AGE_BANDS


def _form(data: dict[str, Any]) -> MultiValueDict[str, Any]:
    return MultiValueDict({key: value if isinstance(value, list) else [value] for key, value in data.items()})


def _table_sheet(questions: list[Any], index: int) -> dict[str, str]:
    """A table of 12 added up (choices, scale, matrix; the ranking and free text go person by person)."""
    single, _text, multiple, scale, _ranking, matrix = questions
    return {
        "table": "Grande table",
        "headcount": "12",
        f"t{single.pk}_0": str(6 - index),
        f"t{single.pk}_1": "4",
        f"t{single.pk}_2": str(2 + index),
        f"t{multiple.pk}_n": "10",
        f"t{multiple.pk}_0": "7",
        f"t{multiple.pk}_1": "5",
        f"t{multiple.pk}_3": "2",
        f"t{scale.pk}_3": "5",
        f"t{scale.pk}_4": "5",
        f"t{matrix.pk}_0_0": "8",
        f"t{matrix.pk}_0_1": "3",
        f"t{matrix.pk}_1_1": "10",
    }


def build(builder: Any) -> dict[str, int]:
    from datetime import timedelta

    day = timedelta(days=1)
    process = Process.objects.create(
        title="Questionnaire : nos parcs de quartier",
        slug="questionnaire-parcs-de-quartier",
        summary=(
            "Dites-nous comment vous utilisez les parcs, en ligne, sur papier "
            "ou lors de la journée dans trois quartiers."
        ),
        description=(
            "La Ville prépare le plan de gestion des parcs de quartier pour 2027-2030. Avant d'écrire "
            "quoi que ce soit, elle demande aux habitantes et aux habitants comment ils utilisent les "
            "parcs aujourd'hui, ce qui leur manque et ce qui les gêne.\n\n"
            "Le même questionnaire est proposé en ligne, sur papier dans les mairies annexes et lors "
            "d'une journée d'échanges dans trois quartiers, avec les mêmes questions partout."
        ),
        falc_summary=(
            "La Ville veut savoir comment vous utilisez les parcs. Vous pouvez répondre sur internet, "
            "sur papier ou pendant la journée dans votre quartier. Cela prend dix minutes."
        ),
        rules_open="Vos usages des parcs, ce qui vous manque, ce qui vous gêne, vos idées d'aménagement.",
        rules_closed="Les horaires d'ouverture fixés par arrêté et les parcs métropolitains.",
        rules_decider="L'adjointe aux espaces verts, à partir de la synthèse publiée des réponses.",
        rules_use=(
            "Les résultats sont publiés par question et par quartier (jamais en dessous de 11 personnes) "
            "et la Ville répond en expliquant ce qu'elle retient dans le plan de gestion."
        ),
        territory=builder.city,
        participation_level=Process.Level.CONSULTATION,
        is_published=True,
        answer_due=builder.today + 60 * day,
    )
    Phase.objects.create(
        process=process,
        module="consultations",
        kind="questionnaire",
        title="Questionnaire ouvert",
        starts_at=builder.now - 10 * day,
        ends_at=builder.now + 20 * day,
    )
    questionnaire = Questionnaire.objects.create(
        process=process,
        title="Nos parcs de quartier",
        description="Six questions, cinq minutes. Réponses anonymes.",
        results_public=True,
    )
    questions = add_sample_questions(questionnaire)
    rng = builder.rng
    quartiers = list(builder.quartiers)
    for _i in range(ONLINE):
        entry = {
            "answers": parse(questions, _form(sample_answers(questions, rng.randrange(60))))[0],
            "quartier": rng.choice(quartiers).pk,
            "age_band": rng.choice(AGE_BANDS),
        }
        services._store(questionnaire, entry, channel=Channel.ONLINE)
    agent, admin = builder.demo["agent"], builder.demo["admin"]
    for number in range(1, PAPER + 1):
        data = {
            **sample_answers(questions, rng.randrange(60)),
            "quartier": str(rng.choice(quartiers).pk),
            "age_band": rng.choice(AGE_BANDS[3:]),  # the paper forms went to the seniors' clubs
        }
        services.paper_entry(agent=agent, questionnaire=questionnaire, number=f"P-{number}", data=_form(data))
        if number == PAPER:
            break  # the last form waits for its second entry
        if number == PAPER - 1:
            data = {**data, questions[3].field_name: "5" if data[questions[3].field_name] != "5" else "1"}
        services.paper_entry(agent=admin, questionnaire=questionnaire, number=f"P-{number}", data=_form(data))
    facilitators = [builder.demo["voisin"], *builder.residents[:2]]
    for index, quartier in enumerate(quartiers[:3]):
        site = Site.objects.create(
            questionnaire=questionnaire, name=f"Journée des parcs — {quartier.name}", territory=quartier
        )
        SiteFacilitator.objects.create(site=site, user=facilitators[index])
        for person in range(PER_SITE):
            entry = {
                "answers": parse(questions, _form(sample_answers(questions, rng.randrange(60))))[0],
                "quartier": quartier.pk,
                "age_band": rng.choice(AGE_BANDS[1:] if index != 1 else AGE_BANDS[3:]),
            }
            services._store(questionnaire, entry, channel=Channel.MEETING, site=site, table=str(1 + person // 6))
        # One big table added up on its paper sheet, typed by the facilitator, confirmed by the agent.
        sheet = _table_sheet(questions, index)
        tables.table_totals_entry(person=facilitators[index], site=site, data=_form(sheet))
        tables.table_totals_entry(person=agent, site=site, data=_form(sheet))
    Site.objects.create(questionnaire=questionnaire, name="En ligne le même jour", kind=Site.Kind.ONLINE)
    confirmed = PaperForm.objects.filter(questionnaire=questionnaire, state=PaperForm.State.CONFIRMED).count()
    return {
        "questionnaires": 1,
        "réponses aux questionnaires": questionnaire.responses.count(),
        "questionnaires papier comptés": confirmed,
    }
