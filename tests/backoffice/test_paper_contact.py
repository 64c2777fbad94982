"""Issue 8, item 17: paper contributors get their answer, by e-mail or by a printed letter;
their contact is personal data kept apart, never public, deleted once used."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from pytest_django import DjangoCaptureOnCommitCallbacks

from apps.accounts.models import User
from apps.core.models import AuditLogEntry, Process
from apps.proposals.answering import answer_draft_save, answer_sign
from apps.proposals.models import PAPER_CONTACT_RETENTION_DAYS, PaperContact, Proposal, Status
from apps.proposals.paper import paper_contact_save, paper_contacts_purge
from tests.backoffice.conftest import World
from tests.conftest import Personas, body_of

pytestmark = pytest.mark.django_db

ANSWER = "La Ville installera un banc **au printemps 2027** :\n\n- devant la poste\n- près de l'arrêt de bus"
EMAIL = "mme.girard@example.org"
ADDRESS = "Mme Girard\n12 rue des Lilas\n44000 Nantes"


def _enter(client: Client, world: World, **contact: str) -> Proposal:
    response = client.post(
        reverse("proposals_admin:paper_entry", kwargs={"pk": world.process.pk}),
        {"paper_author_name": "Mme G.", "title": "Un banc devant la poste", "body": "Pour s'asseoir.", **contact},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Proposal.objects.get(title="Un banc devant la poste")


def _sign(world: World, personas: Personas, proposal: Proposal, capture: DjangoCaptureOnCommitCallbacks) -> None:
    draft = answer_draft_save(
        actor=personas["agent"], proposal=proposal, status=Status.ACCEPTED, body=ANSWER, submit=True
    )
    with capture(execute=True):
        answer_sign(signer=personas["elu"], draft=draft)


def _public_texts(client_for: Callable[[User | None], Client], world: World, proposal: Proposal) -> str:
    anonymous = client_for(None)
    slug = world.process.slug
    urls = [
        reverse("proposals:detail", kwargs={"pk": proposal.pk}),
        reverse("proposals:list", args=[slug]),
        reverse("api:proposal-detail", kwargs={"pk": proposal.pk}),
        reverse("api:proposal-list") + f"?process={slug}",
        *(
            reverse("opendata:export", kwargs={"name": n, "fmt": f})
            for n in ("proposals", "answers")
            for f in ("csv", "json")
        ),
        *(
            reverse("opendata:process_export", kwargs={"slug": slug, "name": "proposals", "fmt": f})
            for f in ("csv", "json")
        ),
    ]
    texts = []
    for url in urls:
        response = anonymous.get(url)
        assert response.status_code == 200, url
        body = body_of(response)
        texts.append(body.decode())
    return "\n".join(texts)


def test_paper_form_shows_the_personal_data_notice(
    world: World, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    page = client_for(personas["agent"]).get(reverse("proposals_admin:paper_entry", kwargs={"pk": world.process.pk}))
    content = page.content.decode()
    assert "servent uniquement à envoyer à la personne la réponse" in content
    assert f"{PAPER_CONTACT_RETENTION_DAYS} jours" in content
    assert 'name="contact_email"' in content and 'name="contact_postal_address"' in content


def test_email_contact_gets_the_answer_then_is_deleted(
    world: World,
    personas: Personas,
    client_for: Callable[[User | None], Client],
    freeze_phase: Callable[[Process, str], None],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    proposal = _enter(client_for(personas["agent"]), world, contact_email=EMAIL)
    assert PaperContact.objects.get(proposal=proposal).email == EMAIL
    assert EMAIL not in _public_texts(client_for, world, proposal)
    audit = AuditLogEntry.objects.get(action="proposal.paper_entry", target_id=str(proposal.pk))
    assert EMAIL not in str(audit.details)
    freeze_phase(world.process, "analysis")
    _sign(world, personas, proposal, django_capture_on_commit_callbacks)
    sent = [m for m in mail.outbox if m.to == [EMAIL]]
    assert len(sent) == 1
    message = sent[0]
    assert "Un banc devant la poste" in message.subject
    assert "au printemps 2027" in message.body and "**" not in message.body
    assert "- devant la poste" in message.body and "élu·e" in message.body
    assert isinstance(message, EmailMultiAlternatives)
    html, _mimetype = message.alternatives[0]
    assert isinstance(html, str)
    assert "<strong>au printemps 2027</strong>" in html
    assert not PaperContact.objects.exists()  # used once, then forgotten


def test_postal_contact_gets_a_printable_letter(
    world: World,
    personas: Personas,
    client_for: Callable[[User | None], Client],
    freeze_phase: Callable[[Process, str], None],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    agent = client_for(personas["agent"])
    proposal = _enter(agent, world, contact_postal_address=ADDRESS)
    letters_url = reverse("proposals_admin:paper_letters", kwargs={"pk": world.process.pk})
    assert "Un banc devant la poste" not in agent.get(letters_url).content.decode()  # not answered yet
    assert "12 rue des Lilas" not in _public_texts(client_for, world, proposal)
    freeze_phase(world.process, "analysis")
    _sign(world, personas, proposal, django_capture_on_commit_callbacks)
    assert not [m for m in mail.outbox if "Lilas" in m.body]
    agent = client_for(personas["agent"])  # a new session: the clock moved past the old one's expiry
    assert "Un banc devant la poste" in agent.get(letters_url).content.decode()

    response = agent.get(reverse("proposals_admin:paper_letter_pdf", kwargs={"pk": proposal.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    flat = " ".join(text.split())
    assert "12 rue des Lilas" in flat and "44000 Nantes" in flat
    assert "Un banc devant la poste" in flat
    assert "La Ville installera un banc au printemps 2027" in flat and "**" not in flat
    assert "devant la poste" in flat and "près de l'arrêt de bus" in flat
    assert "Elu, élu·e" in flat
    # Nobody but the agents of the process gets the letter.
    for persona in ("elu", "resident", "moderator", "admin_elsewhere"):
        assert (
            client_for(personas[persona])
            .get(reverse("proposals_admin:paper_letter_pdf", kwargs={"pk": proposal.pk}))
            .status_code
            == 403
        ), persona

    sent = agent.post(reverse("proposals_admin:paper_letter_sent", kwargs={"pk": proposal.pk}))
    assert sent.status_code == 302
    assert not PaperContact.objects.exists()
    assert agent.get(reverse("proposals_admin:paper_letter_pdf", kwargs={"pk": proposal.pk})).status_code == 404


def test_contacts_are_purged_after_the_retention_period(
    world: World, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    proposal = _enter(client_for(personas["agent"]), world, contact_postal_address=ADDRESS)
    assert paper_contacts_purge() == 0
    later = timezone.now() + datetime.timedelta(days=PAPER_CONTACT_RETENTION_DAYS + 1)
    assert paper_contacts_purge(later) == 1
    assert not PaperContact.objects.filter(proposal=proposal).exists()


def test_contact_only_for_paper_contributions_and_bad_email_is_a_french_error(
    world: World, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    with pytest.raises(ValidationError):
        paper_contact_save(proposal=world.proposal, email=EMAIL)
    response = client_for(personas["agent"]).post(
        reverse("proposals_admin:paper_entry", kwargs={"pk": world.process.pk}),
        {"paper_author_name": "Mme G.", "title": "Un banc", "body": "Texte gardé.", "contact_email": "pas-une-adresse"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Saisissez une adresse e-mail valide" in content or "adresse électronique valide" in content
    assert "Texte gardé." in content and "pas-une-adresse" in content
    assert not PaperContact.objects.exists()


def test_intermediate_answer_keeps_the_contact_for_the_decision(
    world: World,
    personas: Personas,
    client_for: Callable[[User | None], Client],
    freeze_phase: Callable[[Process, str], None],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    proposal = _enter(client_for(personas["agent"]), world, contact_email=EMAIL)
    freeze_phase(world.process, "analysis")
    for status in (Status.UNDER_STUDY, Status.ACCEPTED):
        draft = answer_draft_save(actor=personas["agent"], proposal=proposal, status=status, body=ANSWER, submit=True)
        with django_capture_on_commit_callbacks(execute=True):
            answer_sign(signer=personas["elu"], draft=draft)
        if status == Status.UNDER_STUDY:
            assert PaperContact.objects.get(proposal=proposal).sent_answer is not None
    assert len([m for m in mail.outbox if m.to == [EMAIL]]) == 2
    assert "elle est maintenant effacée" in mail.outbox[-1].body
    assert not PaperContact.objects.exists()
