"""The workshops module in the security fixture world and the permission matrix.

``resident`` sits on the panel of every workshop of the world (confirmed, with an account);
``other_resident`` sits on none. Staff roles are scoped to ``world.quartier``."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.utils import timezone

from apps.answers.models import Answer
from apps.sittings.models import Attendance, Document, Sitting
from apps.workshops.evaluation_models import Evaluation, EvidenceFile
from apps.workshops.models import (
    CitizenOpinion,
    MandateRevision,
    PanelMember,
    Recommendation,
    RecommendationRevision,
    RecommendationVote,
    Workshop,
)
from tests.security.matrix_base import (
    AGENT_ONLY,
    BACKOFFICE_HOME,
    INSTRUCTION,
    PUBLIC,
    STAFF_OF_QUARTIER,
    Route,
    per,
)

if TYPE_CHECKING:
    from tests.security.world import World

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def extend_world(world: World) -> None:
    """Add this module's objects to ``world.extra["workshops"]``."""
    from apps.workshops import services
    from tests.workshops.factories import add_member, add_recommendation, make_workshop

    elu = world.people["elu"]
    resident = world.people["resident"]
    assert elu is not None and resident is not None
    ws = make_workshop("opinion", territory=world.quartier, answerer=elu, slug="atelier-place")
    member = add_member(ws, resident, name="Awa Résidente")
    drawn = add_member(ws, status=PanelMember.Status.INVITED, source=PanelMember.Source.DRAWN, name="Lou Tirée")
    recommendation = add_recommendation(ws)
    now = timezone.now()
    session = Sitting.objects.create(
        body=ws,
        title="Séance 1",
        starts_at=now - datetime.timedelta(days=3),
        ends_at=now - datetime.timedelta(days=3, hours=-3),
        place="Maison de quartier",
        agenda="Lecture du mandat",
        minutes="**Compte rendu**",
        is_published=True,
    )
    Attendance.objects.create(sitting=session, member=member)
    document = Document(sitting=session, title="Diagnostic")
    document.file.save("diagnostic.pdf", ContentFile(PDF), save=True)

    voting = make_workshop("opinion", territory=world.quartier, answerer=elu, state=CitizenOpinion.State.VOTING)
    add_member(voting, resident)
    add_recommendation(voting)

    published = make_workshop("answer", territory=world.quartier, answerer=elu, state=CitizenOpinion.State.PUBLISHED)
    add_member(published, resident)
    answerable = add_recommendation(published)

    applying = make_workshop("mandate", territory=world.quartier, answerer=elu)
    draft = make_workshop("mandate", territory=world.quartier, answerer=elu, published=False)

    evaluation = Evaluation.objects.create(
        workshop=published,
        policy="Programme de réussite éducative",
        contract_action="Axe 2 — Éducation",
        questions="L'action atteint-elle les jeunes les plus éloignés ?",
    )
    evidence = EvidenceFile(evaluation=evaluation, title="Bilan 2025")
    evidence.file.save("bilan.pdf", ContentFile(PDF), save=True)
    reserved = EvidenceFile(evaluation=evaluation, title="Données internes", is_public=False)
    reserved.file.save("interne.pdf", ContentFile(PDF), save=True)

    world.extra["workshops"] = SimpleNamespace(
        evaluation=evaluation,
        evidence=evidence,
        reserved=reserved,
        ws=ws,
        member=member,
        drawn=drawn,
        token=services.claim_token(drawn),
        recommendation=recommendation,
        session=session,
        document=document,
        voting=voting,
        published=published,
        answerable=answerable,
        applying=applying,
        draft=draft,
    )


def _x(world: World) -> Any:
    return world.extra["workshops"]


def _slug(attr: str) -> Any:
    return lambda w: {"slug": getattr(_x(w), attr).slug}


def _pk(attr: str) -> Any:
    return lambda w: {"pk": getattr(_x(w), attr).pk}


MEMBER_ONLY = per("denied", anonymous="login", resident="ok")
MEMBER_POSTS = per("denied", anonymous="login", resident="redirect")
AGENT_POSTS = per("denied", anonymous="login", agent="redirect")
AGENT_FORM_ERRORS = per("denied", anonymous="login", agent="allowed")
ANSWERERS_POST = per("denied", anonymous="login", agent="redirect", elu="redirect")


def _pending_answer(w: Any) -> dict[str, Any]:
    """A submitted answer to the answerable recommendation (built on first use)."""
    from apps.answers.selectors import pending_answer
    from tests.factories import make_answer

    recommendation = _x(w).answerable
    if pending_answer(recommendation) is None:
        make_answer(source=recommendation, status="not_retained", body="Hors compétence.", state="submitted")
    return {"pk": recommendation.pk}


SIGNERS_POST = per("denied", anonymous="login", elu="redirect")


ROUTES: list[Route] = [
    # ---- public -------------------------------------------------------------------------
    Route("workshops:list", PUBLIC),
    Route("workshops:detail", PUBLIC, _slug("ws")),
    Route("workshops:detail", STAFF_OF_QUARTIER, _slug("draft"), case="draft"),
    # A draft recommendation is the panel's and the agents' (issue 8, item 6); published, everyone's.
    Route(
        "workshops:recommendation",
        per("denied", resident="ok", agent="ok"),
        lambda w: {"slug": _x(w).ws.slug, "number": 1},
        case="draft",
    ),
    Route("workshops:recommendation", PUBLIC, lambda w: {"slug": _x(w).published.slug, "number": 1}),
    Route("workshops:document", PUBLIC, _pk("document")),
    # ---- participatory evaluation: the cahier (public once the opinion is published) and the evidence
    Route("workshops:cahier", PUBLIC, _slug("published")),
    Route("workshops:cahier", per("denied", agent="ok", elu="ok"), _slug("ws"), case="draft"),
    Route("workshops:cahier_pdf", PUBLIC, _slug("published")),
    Route("workshops:cahier_pdf", per("denied", agent="ok", elu="ok"), _slug("ws"), case="draft"),
    Route("workshops:evidence", PUBLIC, _pk("evidence")),
    Route("workshops:evidence", per("denied", resident="ok", agent="ok", elu="ok"), _pk("reserved"), case="reserved"),
    Route(
        "workshops:recommendation_edit",
        MEMBER_ONLY,
        lambda w: {"slug": _x(w).ws.slug, "number": 1},
        post=MEMBER_POSTS,
        data=lambda w: {"title": "Des rues apaisées", "text": "Version du panel", "revision": "1"},
    ),
    Route(
        "workshops:vote",
        MEMBER_ONLY,
        _slug("voting"),
        post=MEMBER_POSTS,
        data=lambda w: {f"r{_x(w).voting.opinion.recommendations.get().pk}": "for"},
    ),
    Route("workshops:apply", None, _slug("applying"), post=per("redirect", anonymous="login")),
    Route("workshops:member", MEMBER_ONLY, _slug("ws")),
    Route("workshops:attestation", MEMBER_ONLY, _slug("ws")),
    Route(
        "workshops:claim",
        per("ok", anonymous="login"),
        lambda w: {"token": _x(w).token},
        post=per("allowed", anonymous="login"),
        data=lambda w: {"reponse": "oui"},
    ),
    Route("workshops:claim", per("gone", anonymous="gone"), lambda w: {"token": "faux-jeton"}, case="bad-token"),
    # ---- back office --------------------------------------------------------------------
    Route("workshops_admin:list", BACKOFFICE_HOME),
    Route(
        "workshops_admin:create",
        per("denied", anonymous="login", agent="ok", admin_elsewhere="ok"),
        post=per("denied", anonymous="login", agent="allowed", admin_elsewhere="allowed"),
    ),
    Route("workshops_admin:edit", AGENT_ONLY, _pk("ws"), post=AGENT_FORM_ERRORS),
    Route("workshops_admin:publish", None, _pk("draft"), post=AGENT_POSTS),
    Route("workshops_admin:panel", AGENT_ONLY, _pk("ws")),
    Route(
        "workshops_admin:member_add",
        None,
        _pk("ws"),
        post=AGENT_POSTS,
        data=lambda w: {"full_name": "Jean Volontaire", "status": "confirmed"},
    ),
    Route("workshops_admin:panel_import", None, _pk("ws"), post=AGENT_FORM_ERRORS),
    Route("workshops_admin:member_status", None, _pk("drawn"), post=AGENT_POSTS, data=lambda w: {"status": "declined"}),
    Route("workshops_admin:member_attestation", AGENT_ONLY, _pk("member")),
    Route("workshops_admin:sessions", AGENT_ONLY, _pk("ws"), post=AGENT_FORM_ERRORS),
    Route("workshops_admin:session", AGENT_ONLY, _pk("session"), post=AGENT_FORM_ERRORS),
    Route("workshops_admin:document_add", None, _pk("session"), post=AGENT_FORM_ERRORS),
    Route("workshops_admin:attendance", AGENT_ONLY, _pk("ws"), post=AGENT_POSTS),
    Route(
        "workshops_admin:evaluation",
        AGENT_ONLY,
        _pk("published"),
        post=AGENT_FORM_ERRORS,
        data=lambda w: {"policy": "Politique évaluée", "questions": "Une question ?", "criteria": "Pertinence"},
    ),
    Route("workshops_admin:evidence_add", None, _pk("published"), post=AGENT_FORM_ERRORS),
    Route("workshops_admin:evidence_remove", None, _pk("evidence"), post=AGENT_POSTS),
    Route("workshops_admin:opinion", INSTRUCTION, _pk("ws")),
    Route(
        "workshops_admin:recommendation_add",
        None,
        _pk("ws"),
        post=AGENT_POSTS,
        data=lambda w: {"title": "Nouvelle", "text": "À rédiger"},
    ),
    Route("workshops_admin:opinion_step", None, _pk("ws"), post=AGENT_POSTS, data=lambda w: {"step": "ouvrir-vote"}),
    Route("workshops_admin:answer_sign", None, _pending_answer, post=SIGNERS_POST),
    Route(
        "workshops_admin:answer",
        INSTRUCTION,
        _pk("answerable"),
        post=ANSWERERS_POST,
        data=lambda w: {
            "status": "not_retained",
            "reasons": "Hors compétence de la Ville.",
            "engagements-TOTAL_FORMS": "0",
            "engagements-INITIAL_FORMS": "0",
        },
    ),
]


def fingerprint() -> dict[str, Any]:
    models = (
        Workshop,
        MandateRevision,
        PanelMember,
        Sitting,
        Document,
        Attendance,
        CitizenOpinion,
        Recommendation,
        RecommendationRevision,
        RecommendationVote,
        Answer,
        Evaluation,
        EvidenceFile,
    )
    snapshot: dict[str, Any] = {model.__name__: model._base_manager.count() for model in models}
    snapshot["members"] = sorted(PanelMember.objects.values_list("pk", "status", "user_id", "is_alternate"))
    snapshot["opinions"] = sorted(CitizenOpinion.objects.values_list("pk", "state"))
    snapshot["recommendations"] = sorted(Recommendation.objects.values_list("pk", "revision", "text"))
    snapshot["evaluations"] = sorted(Evaluation.objects.values_list("pk", "policy", "questions"))
    snapshot["mandates"] = sorted(Workshop.objects.values_list("pk", "mandate_published_at", "question"))
    return snapshot
