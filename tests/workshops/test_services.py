"""Services of the workshops module: mandate revisions, panel, claim, collaborative editing,
votes, publication, answers and commitments, overdue."""

from __future__ import annotations

import datetime
import threading
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from apps.accounts.models import User
from apps.core.models import AuditLogEntry, Territory
from apps.followup.models import Commitment
from apps.sortition.models import PoolMember
from apps.workshops import selectors, services
from apps.workshops.models import (
    AnswerDecision,
    CitizenOpinion,
    MandateRevision,
    PanelMember,
    RecommendationVote,
    Workshop,
    opinion_digest,
)
from tests.conftest import Personas
from tests.factories import ServiceFactory, UserFactory
from tests.security.uploads_samples import pdf_bytes
from tests.sortition.factories import DrawFactory
from tests.workshops.factories import add_member, add_recommendation, make_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(quartier: Territory, personas: Personas) -> Workshop:
    return make_workshop("opinion", territory=quartier, answerer=personas["elu"])


# --- mandate --------------------------------------------------------------------------------


def test_create_workshop_needs_an_agent_and_opens_an_opinion(quartier: Territory, personas: Personas) -> None:
    from tests.workshops.factories import make_workshop_process

    process = make_workshop_process("mandate", territory=quartier)
    fields: dict[str, Any] = {
        "title": "Atelier mobilités",
        "slug": "atelier-mobilites",
        "question": "Comment se déplacer mieux ?",
        "open_scope": "Les rues du quartier.",
        "closed_scope": "Le périphérique.",
        "answerer": personas["elu"],
        "answer_due": timezone.localdate() + datetime.timedelta(days=100),
    }
    with pytest.raises(PermissionDenied):
        services.workshop_create(actor=personas["resident"], process=process, **fields)
    workshop = services.workshop_create(actor=personas["agent"], process=process, **fields)
    assert workshop.opinion.state == CitizenOpinion.State.DRAFTING
    assert AuditLogEntry.objects.filter(action="workshop.create").exists()


def test_unpublished_mandate_changes_silently_published_needs_a_revision_note(
    quartier: Territory, personas: Personas
) -> None:
    workshop = make_workshop("mandate", territory=quartier, published=False, answerer=personas["elu"])
    agent = personas["agent"]
    services.mandate_update(actor=agent, workshop=workshop, question="Nouvelle question ?")
    assert not MandateRevision.objects.exists()
    services.mandate_publish(actor=agent, workshop=workshop)
    with pytest.raises(ValidationError) as error:
        services.mandate_update(actor=agent, workshop=workshop, budget_eur=200000)
    assert "note" in error.value.message_dict
    workshop.refresh_from_db()
    assert workshop.budget_eur == 150000
    services.mandate_update(actor=agent, workshop=workshop, note="Budget relevé par le conseil.", budget_eur=200000)
    revision = MandateRevision.objects.get()
    assert revision.changed_fields == ["budget_eur"]
    assert revision.note == "Budget relevé par le conseil."
    # No change, no revision (and no note needed).
    services.mandate_update(actor=agent, workshop=workshop, budget_eur=200000)
    assert MandateRevision.objects.count() == 1


def test_elu_cannot_edit_the_mandate(workshop: Workshop, personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        services.mandate_update(actor=personas["elu"], workshop=workshop, question="?")


# --- panel ----------------------------------------------------------------------------------


def test_import_from_draw_brings_selected_confirmed_and_alternates(
    workshop: Workshop, quartier: Territory, personas: Personas
) -> None:
    draw = DrawFactory.create(territory=quartier)
    statuses = ["selected", "confirmed", "declined", "alternate", "pool"]
    for index, status in enumerate(statuses):
        PoolMember.objects.create(
            draw=draw,
            identifier=f"E{index}",
            pseudonym=f"p-{index:04d}",
            personal={"nom": f"Personne {index}"} if index != 1 else {},
            status=status,
        )
    created = services.panel_import_from_draw(actor=personas["agent"], workshop=workshop, draw=draw)
    assert created == 3
    members = {}
    for member in workshop.members.select_related("pool_member"):
        assert member.pool_member is not None
        members[member.pool_member.identifier] = member
    assert set(members) == {"E0", "E1", "E3"}
    assert members["E0"].status == PanelMember.Status.INVITED and members["E0"].full_name == "Personne 0"
    assert members["E1"].status == PanelMember.Status.CONFIRMED and members["E1"].public_name == "p-0001"
    assert members["E3"].is_alternate
    assert all(m.source == PanelMember.Source.DRAWN for m in members.values())
    # Idempotent.
    assert services.panel_import_from_draw(actor=personas["agent"], workshop=workshop, draw=draw) == 0


def test_claim_token_links_the_account_once(workshop: Workshop, personas: Personas) -> None:
    member = add_member(workshop, status=PanelMember.Status.INVITED, source=PanelMember.Source.DRAWN)
    token = services.claim_token(member)
    assert services.member_from_token(token) == member
    assert services.member_from_token(token + "x") is None
    services.member_claim(user=personas["resident"], member=member, accept=True)
    member.refresh_from_db()
    assert member.user == personas["resident"] and member.status == PanelMember.Status.CONFIRMED
    with pytest.raises(ValidationError):
        services.member_claim(user=personas["other_resident"], member=member, accept=True)


def test_resident_applies_once(quartier: Territory, personas: Personas) -> None:
    workshop = make_workshop("mandate", territory=quartier, answerer=personas["elu"])
    member = services.member_apply(user=personas["resident"], workshop=workshop)
    assert member.status == PanelMember.Status.APPLIED
    with pytest.raises(PermissionDenied):
        services.member_apply(user=personas["resident"], workshop=workshop)


def test_attendance_grid_replaces_and_ignores_foreign_pairs(workshop: Workshop, personas: Personas) -> None:
    member = add_member(workshop, personas["resident"])
    now = timezone.now()
    session = services.session_save(
        actor=personas["agent"],
        workshop=workshop,
        title="Séance 1",
        starts_at=now,
        ends_at=now + datetime.timedelta(hours=3),
        place="Maison de quartier",
        agenda="Accueil",
        is_published=True,
    )
    assert (
        services.attendance_set(actor=personas["agent"], workshop=workshop, present=[(session.pk, member.pk), (999, 1)])
        == 1
    )
    assert [s.pk for s in selectors.attended_sessions(member)] == [session.pk]
    services.attendance_set(actor=personas["agent"], workshop=workshop, present=[])
    assert selectors.attended_sessions(member) == []


def test_session_documents_must_be_real_pdfs(workshop: Workshop, personas: Personas) -> None:
    now = timezone.now()
    session = services.session_save(
        actor=personas["agent"],
        workshop=workshop,
        title="S",
        starts_at=now,
        ends_at=now + datetime.timedelta(hours=2),
        place="Ici",
        agenda="Tout",
    )
    fake = SimpleUploadedFile("rapport.pdf", b"<html>pas un pdf</html>", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.session_document_add(actor=personas["agent"], session=session, title="Rapport", file=fake)
    wrong_ext = SimpleUploadedFile("rapport.exe", b"%PDF-1.4 fake", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.session_document_add(actor=personas["agent"], session=session, title="Rapport", file=wrong_ext)
    good = SimpleUploadedFile("rapport.pdf", pdf_bytes(), content_type="application/pdf")
    document = services.session_document_add(actor=personas["agent"], session=session, title="Rapport", file=good)
    assert document.file.name.endswith(".pdf")


# --- collaborative editing ------------------------------------------------------------------


def test_edit_creates_revisions_and_a_stale_revision_is_refused(workshop: Workshop, personas: Personas) -> None:
    add_member(workshop, personas["resident"], name="Awa Diallo")
    add_member(workshop, personas["other_resident"], name="Bruno Voisin")
    recommendation = add_recommendation(workshop)
    services.recommendation_edit(
        author=personas["resident"],
        recommendation=recommendation,
        title="Rues apaisées",
        text="Version d'Awa",
        base_revision=1,
    )
    with pytest.raises(services.StaleRevision) as stale:
        services.recommendation_edit(
            author=personas["other_resident"],
            recommendation=recommendation,
            title="Rues apaisées",
            text="Version de Bruno",
            base_revision=1,
        )
    assert stale.value.current.text == "Version d'Awa"
    recommendation.refresh_from_db()
    assert recommendation.revision == 2 and recommendation.text == "Version d'Awa"
    services.recommendation_edit(
        author=personas["other_resident"],
        recommendation=recommendation,
        title="Rues apaisées",
        text="Version de Bruno",
        base_revision=2,
    )
    history = list(recommendation.revisions.values_list("number", "author_label", "text"))
    assert history == [
        (3, "Bruno", "Version de Bruno"),
        (2, "Awa", "Version d'Awa"),
        (1, "Camille", recommendation.revisions.get(number=1).text),
    ]


def test_non_members_alternates_and_other_workshops_members_cannot_edit(
    workshop: Workshop, quartier: Territory, personas: Personas
) -> None:
    recommendation = add_recommendation(workshop)
    other = make_workshop("opinion", territory=quartier, answerer=personas["elu"])
    add_member(other, personas["resident"])
    add_member(workshop, personas["other_resident"], alternate=True)
    for user in (personas["resident"], personas["other_resident"], personas["agent"]):
        with pytest.raises(PermissionDenied):
            services.recommendation_edit(
                author=user, recommendation=recommendation, title="x", text="y", base_revision=1
            )


def test_editing_needs_the_drafting_phase(quartier: Territory, personas: Personas) -> None:
    workshop = make_workshop("answer", territory=quartier, answerer=personas["elu"])
    add_member(workshop, personas["resident"])
    recommendation = add_recommendation(workshop)
    with pytest.raises(PermissionDenied):
        services.recommendation_edit(
            author=personas["resident"], recommendation=recommendation, title="x", text="y", base_revision=1
        )


# --- votes ----------------------------------------------------------------------------------


def test_one_vote_per_member_and_recommendation(workshop: Workshop, personas: Personas) -> None:
    add_member(workshop, personas["resident"])
    first = add_recommendation(workshop, 1)
    second = add_recommendation(workshop, 2)
    with pytest.raises(PermissionDenied):  # vote not open yet
        services.votes_cast(user=personas["resident"], opinion=workshop.opinion, choices={first.pk: "for"})
    services.opinion_open_vote(actor=personas["agent"], opinion=workshop.opinion)
    workshop.opinion.refresh_from_db()
    services.votes_cast(
        user=personas["resident"], opinion=workshop.opinion, choices={first.pk: "for", second.pk: "against"}
    )
    services.votes_cast(user=personas["resident"], opinion=workshop.opinion, choices={first.pk: "abstain"})
    assert RecommendationVote.objects.count() == 2
    results = selectors.vote_results(workshop.opinion)
    assert (results[first.pk].abstain, results[second.pk].against) == (1, 1)
    with pytest.raises(PermissionDenied):
        services.votes_cast(user=personas["other_resident"], opinion=workshop.opinion, choices={first.pk: "for"})


def test_the_database_refuses_a_second_vote_row(workshop: Workshop, personas: Personas) -> None:
    from django.db import IntegrityError, transaction

    member = add_member(workshop, personas["resident"])
    recommendation = add_recommendation(workshop)
    RecommendationVote.objects.create(recommendation=recommendation, member=member, choice="for")
    with pytest.raises(IntegrityError), transaction.atomic():
        RecommendationVote.objects.create(recommendation=recommendation, member=member, choice="against")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_votes_of_one_member_leave_one_vote(quartier: Territory, personas: Personas) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    workshop = make_workshop("opinion", territory=quartier, answerer=personas["elu"], state=CitizenOpinion.State.VOTING)
    add_member(workshop, personas["resident"])
    recommendation = add_recommendation(workshop)
    barrier = threading.Barrier(20)
    errors: list[BaseException] = []

    def cast(index: int) -> None:
        from django.db import connections

        try:
            barrier.wait()
            services.votes_cast(
                user=personas["resident"],
                opinion=CitizenOpinion.objects.get(pk=workshop.opinion.pk),
                choices={recommendation.pk: ("for", "against", "abstain")[index % 3]},
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cast, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert RecommendationVote.objects.filter(recommendation=recommendation).count() == 1


# --- publication ----------------------------------------------------------------------------


def _publish(workshop: Workshop, agent: User) -> CitizenOpinion:
    services.opinion_open_vote(actor=agent, opinion=workshop.opinion)
    services.opinion_close_vote(actor=agent, opinion=workshop.opinion)
    return services.opinion_publish(actor=agent, opinion=workshop.opinion)


def test_publication_freezes_the_text(workshop: Workshop, personas: Personas) -> None:
    add_member(workshop, personas["resident"])
    recommendation = add_recommendation(workshop)
    with pytest.raises(ValidationError):  # steps in order only
        services.opinion_publish(actor=personas["agent"], opinion=workshop.opinion)
    opinion = _publish(workshop, personas["agent"])
    recommendation.refresh_from_db()
    assert recommendation.published_text == recommendation.text
    assert opinion.published_sha256 == opinion_digest([recommendation])
    with pytest.raises(ValidationError):
        services.recommendation_edit(
            author=personas["resident"], recommendation=recommendation, title="Autre", text="Autre", base_revision=1
        )
    with pytest.raises(ValidationError):
        services.recommendation_create(actor=personas["agent"], opinion=opinion, title="Ajout", text="Tardif")


# --- answers and commitments ----------------------------------------------------------------


def test_answer_creates_commitments_made_with_residents(workshop: Workshop, personas: Personas) -> None:
    recommendation = add_recommendation(workshop)
    service = ServiceFactory.create()
    with pytest.raises(PermissionDenied):  # not published yet
        services.recommendation_answer(
            actor=personas["elu"], recommendation=recommendation, status="accepted", reasons="Oui"
        )
    _publish(workshop, personas["agent"])
    workshop.opinion.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.recommendation_answer(
            actor=personas["elu"], recommendation=recommendation, status="accepted", reasons=" "
        )
    assert "reasons" in error.value.message_dict and "__all__" in error.value.message_dict
    planned = timezone.localdate() + datetime.timedelta(days=60)
    answer = services.recommendation_answer(
        actor=personas["agent"],
        recommendation=recommendation,
        status="accepted",
        reasons="La Ville généralise la zone 30 autour des écoles.",
        commitments=[
            {"title": "Zone 30 école Jean-Zay", "service": service, "planned_date": planned},
            {"title": "Zone 30 école Chauvinière", "service": service, "planned_date": planned},
        ],
    )
    # Drafted by the agent: nothing is public nor promised before an élu·e signs it.
    assert answer.state == "submitted" and answer.signed_by == ""
    assert recommendation.answer is None and not Commitment.objects.exists()
    answer = services.recommendation_answer_sign(signer=personas["elu"], answer=answer)
    assert answer.state == "published" and answer.signer == personas["elu"]
    assert "élu·e" in answer.signed_by
    commitments = Commitment.objects.filter(process=workshop.process)
    assert commitments.count() == 2
    assert all(c.made_with_residents for c in commitments)
    assert {c.source.answer for c in commitments} == {answer}  # type: ignore[union-attr]
    assert AuditLogEntry.objects.filter(action="workshop.answer_create").exists()


def test_not_retained_needs_reasons_but_no_commitment(workshop: Workshop, personas: Personas) -> None:
    recommendation = add_recommendation(workshop)
    _publish(workshop, personas["agent"])
    workshop.opinion.refresh_from_db()
    answer = services.recommendation_answer(
        actor=personas["elu"],
        recommendation=recommendation,
        status="not_retained",
        reasons="Hors compétence de la Ville.",
    )
    services.recommendation_answer_sign(signer=personas["elu"], answer=answer)
    assert answer.status == AnswerDecision.NOT_RETAINED
    assert not Commitment.objects.exists()
    with pytest.raises(PermissionDenied):
        services.recommendation_answer(
            actor=personas["moderator"], recommendation=recommendation, status="not_retained", reasons="Non"
        )


def test_overdue_answer_and_commitment(quartier: Territory, personas: Personas) -> None:
    workshop = make_workshop(
        "answer",
        territory=quartier,
        answerer=personas["elu"],
        answer_due=timezone.localdate() - datetime.timedelta(days=3),
    )
    first = add_recommendation(workshop, 1)
    second = add_recommendation(workshop, 2)
    opinion = workshop.opinion
    opinion.state = CitizenOpinion.State.PUBLISHED
    opinion.save()
    late = selectors.overdue(workshop, selectors.recommendations_for_page(opinion))
    assert late.answer_overdue and len(late.unanswered) == 2
    draft = services.recommendation_answer(
        actor=personas["elu"],
        recommendation=first,
        status="adapted",
        reasons="Adaptée.",
        commitments=[
            {"title": "Étude", "service": None, "planned_date": timezone.localdate() - datetime.timedelta(days=1)}
        ],
    )
    # A pending answer is no answer yet.
    late = selectors.overdue(workshop, selectors.recommendations_for_page(opinion))
    assert len(late.unanswered) == 2
    services.recommendation_answer_sign(signer=personas["elu"], answer=draft)
    late = selectors.overdue(workshop, selectors.recommendations_for_page(opinion))
    assert late.answer_overdue and [r.pk for r in late.unanswered] == [second.pk]
    assert len(late.commitments) == 1
    draft = services.recommendation_answer(
        actor=personas["elu"], recommendation=second, status="not_retained", reasons="Non."
    )
    services.recommendation_answer_sign(signer=personas["elu"], answer=draft)
    assert not selectors.overdue(workshop, selectors.recommendations_for_page(opinion)).answer_overdue


def test_pool_member_name_keys() -> None:
    assert services.pool_member_name(PoolMember(personal={"name": "Léa Fort"})) == "Léa Fort"
    assert services.pool_member_name(PoolMember(personal={"prenom": "Léa", "nom": "Fort"})) == "Léa Fort"
    assert services.pool_member_name(PoolMember(personal={})) == ""


def test_user_factory_is_used(db: None) -> None:
    assert UserFactory.create().pk
