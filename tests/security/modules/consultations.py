"""The consultations module in the security fixture world and the permission matrix.

``open``: a conversation whose process runs a « conversation » phase (vote and write open);
``closed``: its process is in the « results » phase; ``draft``: its process is unpublished.
Each has a published statement and the open one a statement hidden by moderation."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from tests.security.matrix_base import PUBLIC, STAFF_OF_QUARTIER, Route, per
from tests.security.modules import consultations_backoffice as backoffice

if TYPE_CHECKING:
    from tests.security.world import World


def extend_world(world: World) -> None:
    from apps.consultations.models import Conversation, Statement
    from tests.conftest import make_process_in_phase

    def conversation(kind: str, *, published: bool = True) -> tuple[Any, Any]:
        process = make_process_in_phase(kind, territory=world.quartier, module="consultations")
        if not published:
            process.is_published = False
            process.save(update_fields=["is_published"])
        item = Conversation.objects.create(process=process, question=f"Question {kind} ?")
        statement = Statement.objects.create(conversation=item, text=f"Une affirmation de la phase {kind}.")
        return item, statement

    open_conversation, open_statement = conversation("conversation")
    Statement.objects.create(
        conversation=open_conversation,
        text="Une affirmation masquée.",
        status=Statement.Status.HIDDEN,
        moderation_reason="Propos injurieux",
    )
    _store_small_map(world, open_conversation, open_statement)
    closed, closed_statement = conversation("results")
    draft, draft_statement = conversation("conversation", published=False)
    extend_questionnaires(world)
    backoffice.extend_world(world)
    world.extra["consultations"] = SimpleNamespace(
        open=open_conversation,
        open_statement=open_statement,
        closed=closed,
        closed_statement=closed_statement,
        draft=draft,
        draft_statement=draft_statement,
    )


def _store_small_map(world: World, conversation: Any, statement: Any) -> None:
    """A computed map of two groups (the engine's JSON shape, written out: cheaper than votes)."""
    from apps.consultations.models import OpinionMapSnapshot, Statement

    other = Statement.objects.create(conversation=conversation, text="Une seconde affirmation.")
    a, b = str(statement.pk), str(other.pk)
    resident = world.people["resident"]
    assert resident is not None
    OpinionMapSnapshot.objects.create(
        conversation=conversation,
        votes_counted=4,
        data={
            "participants": 4,
            "groups": [
                {
                    "size": 2,
                    "representative": [{"statement": statement.pk, "agree": True, "share": 0.9}],
                    "agree": {a: 0.9, b: 0.1},
                    "disagree": {a: 0.1, b: 0.8},
                    "votes": {a: 2, b: 2},
                },
                {
                    "size": 2,
                    "representative": [{"statement": statement.pk, "agree": False, "share": 0.8}],
                    "agree": {a: 0.1, b: 0.2},
                    "disagree": {a: 0.8, b: 0.7},
                    "votes": {a: 2, b: 2},
                },
            ],
            "agreed": [],
            "disagreed": [other.pk],
            "divisive": [statement.pk],
            "weights": {a: 1.0, b: 2.0},
            "positions": {
                str(resident.pk): [0.5, 0.2, 0],
                "0": [0.4, 0.3, 0],
                "-1": [-0.5, 0.1, 1],
                "-2": [-0.6, 0, 1],
            },
        },
    )


def _pk(attr: str) -> Any:
    return lambda world: {"pk": getattr(world.extra["consultations"], attr).pk}


def _statement(world: World) -> dict[str, Any]:
    return {"text": "Il faut plus de bancs sur la place du marché."}


SIGNED_IN_REDIRECT = per("redirect", anonymous="login")
SIGNED_IN_DENIED = per("denied", anonymous="login")

ROUTES: list[Route] = [
    Route("consultations:conversation", PUBLIC, _pk("open")),
    Route("consultations:conversation", PUBLIC, _pk("closed"), case="closed"),
    Route("consultations:conversation", STAFF_OF_QUARTIER, _pk("draft"), case="draft"),
    Route("consultations:map", PUBLIC, _pk("open")),
    Route("consultations:map", STAFF_OF_QUARTIER, _pk("draft"), case="draft"),
    Route(
        "consultations:statement_create",
        SIGNED_IN_REDIRECT,
        _pk("open"),
        post=SIGNED_IN_REDIRECT,
        data=_statement,
    ),
    Route(
        "consultations:statement_create",
        SIGNED_IN_DENIED,
        _pk("closed"),
        post=SIGNED_IN_DENIED,
        data=_statement,
        case="closed",
    ),
    Route(
        "consultations:statement_create",
        per("denied"),
        _pk("draft"),
        post=per("denied"),
        data=_statement,
        case="draft",
    ),
    Route(
        "consultations:vote", None, _pk("open_statement"), post=SIGNED_IN_REDIRECT, data=lambda w: {"value": "agree"}
    ),
    Route(
        "consultations:vote",
        None,
        _pk("closed_statement"),
        post=SIGNED_IN_DENIED,
        data=lambda w: {"value": "agree"},
        case="closed",
    ),
    Route(
        "consultations:vote",
        None,
        _pk("draft_statement"),
        post=per("denied"),
        data=lambda w: {"value": "agree"},
        case="draft",
    ),
]


def fingerprint() -> dict[str, Any]:
    from apps.consultations.models import (
        OpinionMapSnapshot,
        PaperForm,
        Question,
        Questionnaire,
        Response,
        Site,
        Statement,
        TableTotals,
        Vote,
    )

    return {
        "table_totals": sorted(TableTotals.objects.values_list("pk", "state")),
        "questionnaires": sorted(Questionnaire.objects.values_list("pk", "title", "signed", "results_public")),
        "questions": sorted(Question.objects.values_list("pk", "text")),
        "responses": Response.objects.count(),
        "paper_forms": sorted(PaperForm.objects.values_list("pk", "state")),
        "sites": sorted(Site.objects.values_list("pk", "name")),
        "statements": sorted(Statement.objects.values_list("pk", "text", "status", "moderation_reason")),
        "votes": sorted(Vote.objects.values_list("pk", "participant_id", "value")),
        "maps": sorted(OpinionMapSnapshot.objects.values_list("pk", "votes_counted")),
        **backoffice.fingerprint(),
    }


# --- questionnaires -------------------------------------------------------------------------


def extend_questionnaires(world: World) -> None:
    """``open``: an anonymous questionnaire in a « questionnaire » phase, with a site whose
    facilitator is ``other_resident``; ``signed``: a signed one; ``closed``: in the « results »
    phase with public results; ``draft``: its process is unpublished."""
    from apps.consultations.models import Questionnaire, Site, SiteFacilitator
    from apps.consultations.questionnaires.sample import add_sample_questions
    from tests.conftest import make_process_in_phase

    def questionnaire(kind: str, *, published: bool = True, **extra: Any) -> Any:
        process = make_process_in_phase(kind, territory=world.quartier, module="consultations")
        if not published:
            process.is_published = False
            process.save(update_fields=["is_published"])
        item = Questionnaire.objects.create(process=process, title=f"Questionnaire {kind}", **extra)
        add_sample_questions(item)
        return item

    open_questionnaire = questionnaire("questionnaire")
    site = Site.objects.create(questionnaire=open_questionnaire, name="Maison de quartier", territory=world.quartier)
    facilitator = world.people["other_resident"]
    assert facilitator is not None
    SiteFacilitator.objects.create(site=site, user=facilitator)
    closed = questionnaire("results", results_public=True)
    _answered(closed, world)
    world.extra["questionnaires"] = SimpleNamespace(
        open=open_questionnaire,
        signed=questionnaire("questionnaire", signed=True),
        closed=closed,
        draft=questionnaire("questionnaire", published=False),
        site=site,
        question=open_questionnaire.questions.first(),
        answered_question=closed.questions.first(),
    )


def _answered(questionnaire: Any, world: World) -> None:
    """Results worth drawing: 24 answers at two sites (one under the small-cell threshold)."""
    from django.utils.datastructures import MultiValueDict

    from apps.consultations.models import Response, Site
    from apps.consultations.questionnaires.answers import parse
    from apps.consultations.questionnaires.sample import sample_answers

    questions = list(questionnaire.questions.all())
    big = Site.objects.create(questionnaire=questionnaire, name="Salle des fêtes", territory=world.quartier)
    small = Site.objects.create(questionnaire=questionnaire, name="En ligne", kind=Site.Kind.ONLINE)
    for i in range(24):
        data = sample_answers(questions, i)
        form = MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in data.items()})
        answers, _errors = parse(questions, form)
        Response.objects.create(
            questionnaire=questionnaire,
            answers=answers,
            site=big if i < 20 else small,
            territory=world.quartier,
            age_band="30-44" if i % 2 else "60-74",
        )


def _q(attr: str) -> Any:
    return lambda world: {"pk": getattr(world.extra["questionnaires"], attr).pk}


def _answers(attr: str) -> Any:
    def data(world: World) -> dict[str, Any]:
        from apps.consultations.questionnaires.sample import sample_answers

        questionnaire = getattr(world.extra["questionnaires"], attr)
        return {**sample_answers(list(questionnaire.questions.all()), 1), "number": "7", "table": "2"}

    return data


def _site(world: World) -> dict[str, Any]:
    return {"pk": world.extra["questionnaires"].site.pk}


AGENT_OK = per("denied", anonymous="login", agent="ok")
AGENT_ACTS = per("denied", anonymous="login", agent="redirect")

QUESTIONNAIRE_ROUTES: list[Route] = [
    Route("consultations:questionnaire", PUBLIC, _q("open"), post=per("redirect"), data=_answers("open")),
    Route(
        "consultations:questionnaire",
        PUBLIC,
        _q("signed"),
        post=per("redirect", anonymous="denied"),
        data=_answers("signed"),
        case="signed",
    ),
    Route(
        "consultations:questionnaire",
        PUBLIC,
        _q("closed"),
        post=per("denied"),
        data=_answers("closed"),
        case="closed",
    ),
    Route(
        "consultations:questionnaire",
        STAFF_OF_QUARTIER,
        _q("draft"),
        post=per("denied"),
        data=_answers("draft"),
        case="draft",
    ),
    Route("consultations:questionnaire_results", per("denied", agent="ok"), _q("open")),
    Route("consultations:questionnaire_results", PUBLIC, _q("closed"), case="public"),
    Route(
        "consultations:site_entry",
        per("denied", anonymous="login", agent="ok", other_resident="ok"),
        _site,
        post=per("denied", anonymous="login", agent="redirect", other_resident="redirect"),
        data=_answers("open"),
    ),
    Route(
        "consultations_admin:questionnaires",
        per("denied", anonymous="login", agent="ok", admin_elsewhere="ok"),
        post=per("denied", anonymous="login", agent="redirect", admin_elsewhere="invalid"),
        data=lambda world: {"process": world.extra["questionnaires"].open.process_id, "title": "Nouveau"},
    ),
    Route(
        "consultations_admin:questionnaire",
        AGENT_OK,
        _q("open"),
        post=AGENT_ACTS,
        data=lambda world: {"title": "Titre changé"},
    ),
    Route(
        "consultations_admin:question_add",
        None,
        _q("open"),
        post=AGENT_ACTS,
        data=lambda world: {"kind": "text", "text": "Autre chose ?", "scale_min": 1, "scale_max": 5},
    ),
    Route(
        "consultations_admin:site_add",
        None,
        _q("open"),
        post=AGENT_ACTS,
        data=lambda world: {"name": "Salle Sud", "kind": "room"},
    ),
    Route("consultations_admin:paper", AGENT_OK, _q("open"), post=AGENT_ACTS, data=_answers("open")),
    Route("consultations_admin:export", AGENT_OK, _q("open")),
]
ROUTES += QUESTIONNAIRE_ROUTES

# The moderation queue and the syntheses (their own file).
ROUTES += backoffice.BACKOFFICE_ROUTES

# --- questionnaires: editing questions, a table's totals ------------------------------------


def _open_question(index: int) -> Any:
    return lambda world: {"pk": list(world.extra["questionnaires"].open.questions.all())[index].pk}


def _typo(world: World) -> dict[str, Any]:
    question = world.extra["questionnaires"].open.questions.first()
    return {
        "kind": question.kind,
        "text": question.text.replace("Fréquentez", "Frequentez"),
        "options_text": "\n".join(question.options),
        "scale_min": 1,
        "scale_max": 5,
        "required": "on",
    }


def _table_sheet(world: World) -> dict[str, Any]:
    return {"table": "5", "headcount": "3"}


QUESTIONNAIRE_ROUTES_EDITING: list[Route] = [
    Route("consultations_admin:question_edit", AGENT_OK, _open_question(0), post=AGENT_ACTS, data=_typo),
    Route(
        "consultations_admin:question_move",
        None,
        _open_question(2),
        post=AGENT_ACTS,
        data=lambda world: {"direction": "down"},
    ),
    Route("consultations_admin:question_delete", None, _open_question(5), post=AGENT_ACTS, data=lambda world: {}),
    Route(
        "consultations_admin:option_move",
        None,
        lambda world: {**_open_question(0)(world), "index": 0},
        post=AGENT_ACTS,
        data=lambda world: {"direction": "down"},
    ),
    Route(
        "consultations:site_tables",
        per("denied", anonymous="login", agent="ok", other_resident="ok"),
        _site,
        post=per("denied", anonymous="login", agent="redirect", other_resident="redirect"),
        data=_table_sheet,
    ),
]
ROUTES += QUESTIONNAIRE_ROUTES_EDITING
