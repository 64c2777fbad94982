"""The answers migrations on existing data: ``answers.0002`` copies every ``proposals.Answer``
(same keys), ``proposals.AnswerDraft``, ``proposals.SignatureDelegation`` (same keys) and
``workshops.RecommendationAnswer`` into ``apps.answers``, then the old tables go.

The test migrates back to before ``apps.answers`` existed, writes rows with the historical
models, migrates forward and checks that nothing is lost: texts, decisions, authors, signers,
signatures, dates, drafts and their step, the paper contact's last sent answer, the links of
recommendation answers to their follow-up commitments."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.factories import ProcessFactory, ProposalFactory, TerritoryFactory, UserFactory
from tests.migrations_kit import latest as _latest
from tests.migrations_kit import migrate as _migrate
from tests.workshops.factories import add_recommendation, make_workshop

pytestmark = [pytest.mark.django_db(transaction=True)]

BEFORE = [("proposals", "0006_upload_random_names"), ("workshops", "0002_upload_random_names"), ("answers", None)]


def test_answers_move_to_the_answers_app_without_loss() -> None:
    # Tables the migrations do not touch: filled with today's factories.
    city = TerritoryFactory.create(name="Ville", slug="ville-a", kind="city", parent=None)
    process = ProcessFactory.create(territory=city, slug="demarche-a")
    agent, elu, admin = (
        UserFactory.create(),
        UserFactory.create(first_name="Awa", last_name="Diallo"),
        UserFactory.create(),
    )
    answered = ProposalFactory.create(process=process, title="Des bancs", is_paper=True, paper_author_name="M. B.")
    pending = ProposalFactory.create(process=process, title="Un composteur")
    workshop = make_workshop("answer", territory=city, answerer=elu)
    recommendation = add_recommendation(workshop)
    past = timezone.now() - datetime.timedelta(days=40)

    try:
        old = _migrate(BEFORE)
        Answer = old.get_model("proposals", "Answer")
        AnswerDraft = old.get_model("proposals", "AnswerDraft")
        Delegation = old.get_model("proposals", "SignatureDelegation")
        PaperContact = old.get_model("proposals", "PaperContact")
        RecommendationAnswer = old.get_model("workshops", "RecommendationAnswer")
        AnswerCommitment = old.get_model("workshops", "AnswerCommitment")
        Commitment = old.get_model("followup", "Commitment")
        ContentType = old.get_model("contenttypes", "ContentType")

        first = Answer.objects.create(
            proposal_id=answered.pk, status="under_study", body="À l'étude.", author_id=agent.pk, signed_by="Le maire"
        )
        Answer.objects.filter(pk=first.pk).update(created_at=past)
        latest = Answer.objects.create(
            proposal_id=answered.pk,
            status="accepted",
            body="Retenue : **six bancs** au printemps.",
            body_html="<p>Retenue : <strong>six bancs</strong> au printemps.</p>",
            author_id=agent.pk,
            signer_id=elu.pk,
            signed_by="Awa Diallo, élu·e — Ville",
        )
        PaperContact.objects.create(proposal_id=answered.pk, postal_address="2 rue des Lilas", sent_answer=first)
        AnswerDraft.objects.create(
            proposal_id=pending.pk, status="not_retained", body="Un composteur existe déjà.", state="submitted",
            author_id=agent.pk,
        )  # fmt: skip
        delegation = Delegation.objects.create(
            user_id=agent.pk, title="directrice, par délégation", territory_id=city.pk, granted_by_id=admin.pk
        )
        recommendation_answer = RecommendationAnswer.objects.create(
            recommendation_id=recommendation.pk, status="adapted", reasons="Zone 30 plutôt.", signed_by_id=elu.pk,
            author_id=agent.pk,
        )  # fmt: skip
        link = AnswerCommitment.objects.create(
            answer=recommendation_answer, title="Zone 30", planned_date=timezone.localdate()
        )
        link_type = ContentType.objects.get_or_create(app_label="workshops", model="answercommitment")[0]
        commitment = Commitment.objects.create(
            process_id=workshop.process_id, title="Zone 30", source_type=link_type, source_id=link.pk
        )
        AnswerCommitment.objects.filter(pk=link.pk).update(commitment=commitment)
        expected_latest = Answer.objects.values().get(pk=latest.pk)
        expected_first_date = Answer.objects.get(pk=first.pk).created_at
        expected_rec_date = RecommendationAnswer.objects.get().created_at
    finally:
        new = _migrate(_latest())

    New = new.get_model("answers", "Answer")
    NewDelegation = new.get_model("answers", "SignatureDelegation")
    PaperContact = new.get_model("proposals", "PaperContact")
    AnswerCommitment = new.get_model("workshops", "AnswerCommitment")
    assert New.objects.count() == 4

    # Published answers to proposals: same keys, same content, signed when published.
    copied = New.objects.get(pk=latest.pk)
    assert (copied.source_type.app_label, copied.source_type.model, copied.source_id) == (
        "proposals",
        "proposal",
        answered.pk,
    )
    assert copied.state == "published" and copied.process_id == process.pk
    assert (copied.status, copied.body, copied.body_html) == (
        expected_latest["status"],
        expected_latest["body"],
        expected_latest["body_html"],
    )
    assert (copied.author_id, copied.signer_id, copied.signed_by) == (agent.pk, elu.pk, "Awa Diallo, élu·e — Ville")
    assert copied.created_at == expected_latest["created_at"] == copied.signed_at
    older = New.objects.get(pk=first.pk)
    assert older.created_at == expected_first_date and older.signed_by == "Le maire" and older.body_html
    assert PaperContact.objects.get().sent_answer_id == first.pk

    # The draft stays a pending answer, at the same step.
    draft = New.objects.get(source_id=pending.pk)
    assert draft.pk > latest.pk and (draft.state, draft.status, draft.author_id) == (
        "submitted",
        "not_retained",
        agent.pk,
    )
    assert draft.signer_id is None and draft.signed_at is None

    # The recommendation answer: published, signed by the élue, its commitment still linked.
    answer = New.objects.get(source_type__app_label="workshops")
    assert (answer.source_type.model, answer.source_id) == ("recommendation", recommendation.pk)
    assert (answer.status, answer.body, answer.state) == ("adapted", "Zone 30 plutôt.", "published")
    assert (answer.signer_id, answer.author_id, answer.signed_by) == (elu.pk, agent.pk, "Awa Diallo")
    assert answer.created_at == expected_rec_date and answer.process_id == workshop.process_id
    moved = AnswerCommitment.objects.get()
    assert (moved.pk, moved.answer_id, moved.commitment_id) == (link.pk, answer.pk, commitment.pk)

    # Delegations keep their keys; new rows get fresh keys after the copied ones.
    assert NewDelegation.objects.values_list("pk", "user_id", "title", "territory_id", "granted_by_id").get() == (
        delegation.pk,
        agent.pk,
        "directrice, par délégation",
        city.pk,
        admin.pk,
    )
    fresh = New.objects.create(
        source_type=answer.source_type, source_id=recommendation.pk, process_id=workshop.process_id, status="adapted",
        body="Brouillon.",
    )  # fmt: skip
    assert fresh.pk > max(New.objects.exclude(pk=fresh.pk).values_list("pk", flat=True))
