"""Participatory evaluation on the workshop loop: an evaluation row turns a workshop into an
evaluation; its evidence files go through the platform's PDF check (upload attacks refused,
random names, downloads only); its cahier (web and PDF) gathers the recommendations, the
city's answers and the state of each commitment, public only once the opinion is published."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from apps.accounts.models import User
from apps.core.models import Territory
from apps.followup.models import Commitment
from apps.workshops import evaluation_services as services
from apps.workshops import rules
from apps.workshops.cahier import cahier_of, cahier_pdf
from apps.workshops.evaluation_models import Evaluation, EvidenceFile
from apps.workshops.models import AnswerCommitment, CitizenOpinion, PanelMember, Workshop
from tests.conftest import Personas
from tests.factories import make_answer
from tests.security.uploads_samples import SCRIPT, pdf_bytes, polyglot_png
from tests.workshops.factories import add_member, add_recommendation, make_workshop

pytestmark = pytest.mark.django_db

POLICY = "Programme de réussite éducative"


def _evaluation(workshop: Workshop, agent: User) -> Evaluation:
    return services.evaluation_save(
        actor=agent,
        workshop=workshop,
        policy=POLICY,
        contract_action="Axe 2 — Éducation",
        questions="L'action atteint-elle les jeunes les plus éloignés ?\nLes familles sont-elles associées ?",
        criteria="Pertinence\nEfficacité",
    )


def _pdf(name: str = "bilan.pdf", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else pdf_bytes("Bilan 2025"), "application/pdf")


@pytest.fixture
def evaluation(quartier: Territory, personas: Personas) -> Evaluation:
    workshop = make_workshop(
        "answer", territory=quartier, answerer=personas["elu"], state=CitizenOpinion.State.PUBLISHED
    )
    add_member(workshop, personas["resident"], name="Awa Diallo")
    add_member(workshop, source=PanelMember.Source.DRAWN, name="Lou Martin")
    agent = personas["agent"]
    assert agent is not None
    return _evaluation(workshop, agent)


def test_only_the_workshop_agents_describe_the_evaluation(quartier: Territory, personas: Personas) -> None:
    workshop = make_workshop("opinion", territory=quartier, answerer=personas["elu"])
    for name in ("resident", "elu", "moderator", "admin_elsewhere"):
        user = personas[name]
        assert user is not None
        with pytest.raises(PermissionDenied):
            _evaluation(workshop, user)
    assert not Evaluation.objects.exists()
    with pytest.raises(ValidationError):
        services.evaluation_save(
            actor=personas["agent"],
            workshop=workshop,
            policy="",
            questions="",
            criteria="",
        )
    evaluation = _evaluation(workshop, personas["agent"])
    assert evaluation.question_list() == [
        "L'action atteint-elle les jeunes les plus éloignés ?",
        "Les familles sont-elles associées ?",
    ]
    assert Workshop.objects.get(pk=workshop.pk).evaluation == evaluation


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.html", SCRIPT, "PDF"),
        ("rapport.pdf", SCRIPT, "pas un document PDF"),
        ("image.pdf", polyglot_png(), "pas un document PDF"),
        ("faux.pdf", b"%PDF-1.4\n" + SCRIPT, "pas un document PDF"),
        ("enorme.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 + 1), "trop lourd"),
    ],
)
def test_evidence_upload_attacks_are_refused(
    evaluation: Evaluation, personas: Personas, name: str, content: bytes, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        services.evidence_add(
            actor=personas["agent"],
            evaluation=evaluation,
            title="Bilan",
            file=_pdf(name, content),
        )
    assert not EvidenceFile.objects.exists()


def test_evidence_is_stored_under_a_random_name_and_served_as_a_download(
    evaluation: Evaluation, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    agent = personas["agent"]
    assert agent is not None
    public = services.evidence_add(
        actor=agent, evaluation=evaluation, title="Bilan 2025", file=_pdf("<script>.pdf"), origin="Service PRE"
    )
    reserved = services.evidence_add(
        actor=agent, evaluation=evaluation, title="Données nominatives", file=_pdf(), is_public=False
    )
    assert public.file.name.startswith("evaluations/") and "script" not in public.file.name
    assert public.file.name.endswith(".pdf")
    url = reverse("workshops:evidence", kwargs={"pk": public.pk})
    response = client_for(None).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment") and response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    reserved_url = reverse("workshops:evidence", kwargs={"pk": reserved.pk})
    assert client_for(None).get(reserved_url).status_code == 404
    assert client_for(personas["other_resident"]).get(reserved_url).status_code == 404
    assert client_for(personas["resident"]).get(reserved_url).status_code == 200  # a panel member
    assert client_for(agent).get(reserved_url).status_code == 200
    # The public page lists only the public piece to the public.
    page = client_for(None).get(evaluation.workshop.get_absolute_url()).content.decode()
    assert "Bilan 2025" in page and "Données nominatives" not in page and POLICY in page
    services.evidence_remove(actor=agent, evidence=public)
    assert not EvidenceFile.objects.filter(pk=public.pk).exists()


def test_backoffice_upload_of_a_fake_pdf_keeps_the_form(
    evaluation: Evaluation, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(personas["agent"])
    url = reverse("workshops_admin:evidence_add", kwargs={"pk": evaluation.workshop.pk})
    response = client.post(url, {"title": "Rapport d'activité", "origin": "CCAS", "file": _pdf("x.pdf", SCRIPT)})
    body = response.content.decode()
    assert response.status_code == 400 and "pas un document PDF" in body and "Rapport d&#x27;activité" in body
    ok = client.post(url, {"title": "Rapport", "file": _pdf(), "is_public": "on"})
    assert ok.status_code == 302 and EvidenceFile.objects.get().is_public


def _answer_with_commitments(evaluation: Evaluation) -> None:
    workshop = evaluation.workshop
    first = add_recommendation(workshop, 1)
    add_recommendation(workshop, 2)
    answer = make_answer(
        source=first, status="accepted", body="La Ville ouvre deux ateliers parents.", signed_by="Mme l'Élue"
    )
    today = timezone.localdate()
    done = Commitment.objects.create(
        process=workshop.process, title="Ateliers parents au collège", planned_date=today, state="done", progress=100
    )
    late = Commitment.objects.create(
        process=workshop.process, title="Bourse aux stages", planned_date=today - datetime.timedelta(days=10)
    )
    for commitment in (done, late):
        AnswerCommitment.objects.create(
            answer=answer, commitment=commitment, title=commitment.title, planned_date=today
        )


def test_cahier_gathers_answers_and_the_state_of_commitments(evaluation: Evaluation) -> None:
    _answer_with_commitments(evaluation)
    cahier = cahier_of(evaluation.workshop)
    assert cahier.answered == 1 and len(cahier.entries) == 2
    assert dict(cahier.commitment_states) == {"Réalisé": 1, "En retard": 1}
    assert cahier.panel["drawn"] == 1 and cahier.panel["volunteers"] == 1
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(cahier_pdf(cahier))).pages)
    flat = " ".join(text.split())
    for expected in (
        "Cahier de l'évaluation participative",
        POLICY,
        "Axe 2 — Éducation",
        "Les familles sont-elles associées",
        "Recommandation n° 1",
        "Réponse de la Ville : Retenue",
        "La Ville ouvre deux ateliers parents.",
        "Ateliers parents au collège — Réalisé",
        "Bourse aux stages — en retard",
        "Réponse de la Ville : en attente.",
        "1 tiré·es au sort, 1 volontaires",
    ):
        assert expected in flat, expected
    # Panel members appear as counts only.
    assert "Awa" not in flat and "Lou" not in flat


@pytest.mark.parametrize("persona", ["anonymous", "resident", "other_resident", "agent", "elu", "moderator"])
def test_cahier_is_public_once_the_opinion_is_published(
    evaluation: Evaluation, personas: Personas, client_for: Callable[[User | None], Client], persona: str
) -> None:
    workshop = evaluation.workshop
    _answer_with_commitments(evaluation)
    client = client_for(personas[persona])
    web = client.get(reverse("workshops:cahier", kwargs={"slug": workshop.slug}))
    assert web.status_code == 200 and "Bourse aux stages" in web.content.decode()
    pdf = client.get(reverse("workshops:cahier_pdf", kwargs={"slug": workshop.slug}))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    workshop.opinion.state = CitizenOpinion.State.ADOPTED
    workshop.opinion.save()
    user = personas[persona] or AnonymousUser()
    expected = 200 if persona in {"agent", "elu"} else 404
    assert rules.can_view_cahier(user, Workshop.objects.get(pk=workshop.pk)) is (expected == 200)
    assert client.get(reverse("workshops:cahier", kwargs={"slug": workshop.slug})).status_code == expected
    assert client.get(reverse("workshops:cahier_pdf", kwargs={"slug": workshop.slug})).status_code == expected


def test_cahier_queries_do_not_grow_with_recommendations(
    evaluation: Evaluation, client_for: Callable[[User | None], Client]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _answer_with_commitments(evaluation)
    url = reverse("workshops:cahier", kwargs={"slug": evaluation.workshop.slug})
    client = client_for(None)
    client.get(url)  # warm the content type cache
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for number in range(3, 9):
        recommendation = add_recommendation(evaluation.workshop, number)
        make_answer(source=recommendation, status="not_retained", body="Hors compétence.", signed_by="Mme l'Élue")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
