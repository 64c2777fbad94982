"""A person with data in every app: the export holds all of it (and how she voted, never),
the deletion leaves none of her identifying values anywhere in the database."""

from __future__ import annotations

import datetime
import importlib
import importlib.util
import json
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import models
from django.db.models.functions import Cast
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.rgpd import account_delete, account_export_data
from apps.accounts.rgpd.coverage import Fate
from apps.answers.barometer import barometer_reply
from apps.answers.models import Answer, BarometerReply, BarometerScore, SignatureDelegation
from apps.budgets.models import Ballot, PaperSheet, ProjectInvitation
from apps.budgets.voting import ballots
from apps.budgets.voting import services as voting
from apps.core.models import AuditLogEntry, Role, RoleAssignment, Territory, audit
from apps.core.registry import all_holdings, all_manifests
from apps.councils.models import Membership, Renewal
from apps.discussion.models import Report
from apps.followup.models import CommitmentUpdate
from apps.notifications.models import Follow, Notification
from apps.proposals.models import InternalNote, Support
from apps.sittings.models import Attendance, Sitting
from apps.sortition.models import Draw, DrawAttempt, PoolMember, VolunteerApplication
from apps.workshops.models import (
    MandateRevision,
    RecommendationVote,
)
from tests.budgets.voting.factories import ProjectFactory, make_vote_budget
from tests.councils.factories import CouncilFactory, MeetingFactory, MembershipFactory
from tests.factories import CommentFactory, CommitmentFactory, ProposalFactory, UserFactory, make_answer
from tests.sortition.factories import DrawFactory
from tests.workshops.factories import add_member, add_recommendation, make_workshop

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-solide-42"
EMAIL = "awaxq.zyxw@example.org"
FIRST, LAST = "Awaxq", "Zyxwdiallo"
FULL_NAME = f"{FIRST} {LAST}-Benali"
PHONE = "06 98 76 54 32"
BIRTH = datetime.date(1987, 3, 14)
NEEDLES = (EMAIL, FIRST, LAST, PHONE, PHONE.replace(" ", ""), BIRTH.isoformat(), BIRTH.strftime("%d/%m/%Y"))


def _person(quartier: Any) -> User:
    return UserFactory.create(
        email=EMAIL,
        username=EMAIL,
        display_name=f"{FIRST} {LAST[0]}.",
        first_name=FIRST,
        last_name=LAST,
        home_territory=quartier,
        birth_date=BIRTH,
        verification=User.Verification.VERIFIED,
        demographics_consent=True,
        age_band="30-44",
        gender="f",
    )


def _everywhere(awa: User, city: Any, quartier: Any) -> dict[str, Any]:
    """Awa is a resident who contributes everywhere, and also an agent and élue who acts."""
    admin = UserFactory.create(display_name="Admin Ville")
    other = UserFactory.create(display_name="Bruno Voisin")
    # --- proposals: her own, a paper one she typed, a comment, a support, a report
    mine = ProposalFactory.create(author=awa, title="Un jardin partagé", address="Square Nadar")
    theirs = ProposalFactory.create(author=other, title="Une piste cyclable")
    ProposalFactory.create(author=None, is_paper=True, paper_author_name="Jean Papier", entered_by=awa)
    CommentFactory.create(author=awa, proposal=theirs, body="Oui, rue de Strasbourg.")
    hidden = CommentFactory.create(author=other, proposal=mine, body="Hors sujet", is_hidden=True, hidden_by=awa)
    Report.objects.create(comment=hidden, reporter=awa, reason="Il m'insulte depuis des semaines")
    Support.objects.create(user=awa, proposal=theirs)
    make_answer(proposal=theirs, status="under_study", body="Nous étudions.", author=awa, signed_by="Le maire")
    InternalNote.objects.create(proposal=theirs, author=awa, body="Voir la voirie.")
    commitment = CommitmentFactory.create(process=theirs.process)
    CommitmentUpdate.objects.create(
        commitment=commitment,
        date=timezone.localdate(),
        body="Travaux lancés",
        progress=10,
        state="planned",
        author=awa,
    )
    Follow.objects.create(user=awa, target=mine)
    Notification.objects.create(user=awa, kind="answer", title="La Ville a répondu", url="/", emailed_at=timezone.now())
    # --- roles and the audit trail (about her, and by her)
    role = RoleAssignment.objects.create(user=awa, role=Role.MODERATOR, territory=quartier)
    audit(admin, "role.grant", role, user=awa.pk, role=role.role)
    audit(awa, "comment.hide", hidden, reason="hors sujet")
    user_type = ContentType.objects.get_for_model(User)
    LogEntry.objects.create(
        user=admin, content_type=user_type, object_id=str(awa.pk), object_repr=str(awa), action_flag=CHANGE
    )
    LogEntry.objects.create(
        user=awa, content_type=user_type, object_id=str(other.pk), object_repr=str(other), action_flag=CHANGE
    )
    # --- budgets: a project, a co-authored one, invitations, a comment, a vote, a paper sheet
    budget = make_vote_budget(city=city, quartier=quartier)
    city_envelope = budget.envelopes.get(territory__isnull=True)
    project = ProjectFactory.create(
        envelope=city_envelope, budget=budget, author=awa, title="Des bancs", ballot_number=90, address="Place Haute"
    )
    coauthored = ProjectFactory.create(
        envelope=city_envelope, budget=budget, author=other, title="Un four", ballot_number=91
    )
    coauthored.coauthors.add(awa)
    ProjectInvitation.objects.create(project=coauthored, user=awa, invited_by=other)
    ProjectInvitation.objects.create(project=project, user=other, invited_by=awa)
    CommentFactory.create(on=coauthored, author=awa, body="Avec plaisir.")
    chosen = [p.pk for p in ballots.ballot_projects(city_envelope)][:2]
    voting.ballot_cast(user=awa, envelope=city_envelope, choices=dict.fromkeys(chosen, 1))
    PaperSheet.objects.create(envelope=city_envelope, number="P-1", first_entry={}, first_by=awa, second_by=admin)
    PaperSheet.objects.create(envelope=city_envelope, number="P-2", first_entry={}, first_by=admin, second_by=awa)
    # --- sortition: a call she answered, a pool where she is, a draw she ran
    call = DrawFactory.create(list_source=Draw.ListSource.VOLUNTEERS, territory=quartier, created_by=awa)
    VolunteerApplication.objects.create(
        draw=call, user=awa, features={"tranche_age": "30-44"}, phone=PHONE, consent_at=timezone.now()
    )
    seat = PoolMember.objects.create(
        draw=call,
        identifier="v1",
        pseudonym="P-AWA1",
        features={"tranche_age": "30-44"},
        personal={"nom": awa.display_name, "courriel": EMAIL, "téléphone": PHONE},
        status=PoolMember.Status.SELECTED,
        user=awa,
    )
    DrawAttempt.objects.create(draw=call, kind=DrawAttempt.Kind.PREVIEW, actor=awa, outcome={})
    # --- workshops: she answers one, and sits on a panel
    workshop = make_workshop(territory=quartier, answerer=awa)
    workshop.created_by = awa
    workshop.save()
    MandateRevision.objects.create(workshop=workshop, note="Calendrier", author=awa)
    member = add_member(workshop, awa, name=FULL_NAME)
    member.pool_member = seat
    member.save()
    now = timezone.now()
    session = Sitting.objects.create(
        body=workshop,
        title="Séance 1",
        starts_at=now,
        ends_at=now + datetime.timedelta(hours=3),
        place="Mairie",
        agenda=".",
    )
    Attendance.objects.create(sitting=session, member=member)
    recommendation = add_recommendation(workshop, author=awa)
    recommendation.revisions.update(author_label=FIRST)
    RecommendationVote.objects.create(recommendation=recommendation, member=member, choice="for")
    make_answer(source=recommendation, status="accepted", body="Oui.", signer=awa, signed_by="Awa", author=awa)
    # --- councils: a seat, her attendance, a renewal she recorded
    council = CouncilFactory.create(territory=quartier)
    membership = MembershipFactory.create(council=council, user=awa, full_name=FULL_NAME, public_name=f"{FIRST} Z.")
    audit(admin, "council.member_add", membership, council_id=council.pk)
    Attendance.objects.create(sitting=MeetingFactory.create(council=council), member=membership, status="present")
    Renewal.objects.create(council=council, held_on=timezone.localdate(), actor=awa)
    # --- verification and census (h4)
    from apps.accounts.models import CensusEntry, CensusImport, VerificationRecord

    VerificationRecord.objects.create(user=awa, level="verified", method="counter", verified_by=admin)
    VerificationRecord.objects.create(user=other, level="verified", method="counter", verified_by=awa)
    census = CensusImport.objects.create(
        city=city, imported_by=awa, purge_on=timezone.localdate() + datetime.timedelta(days=30)
    )
    CensusEntry.objects.create(census=census, digest="d" * 64, claimed_by=awa, claimed_at=timezone.now())
    # --- answer signing (h7)
    Answer.objects.filter(author=awa).update(signer=awa)
    make_answer(proposal=mine, status="under_study", body="Brouillon.", author=awa, state="draft")
    SignatureDelegation.objects.create(user=awa, title="Directrice du dialogue citoyen", granted_by=awa)
    # --- trust barometer: she gave her marks on the answer to her proposal
    received = make_answer(proposal=mine, status="accepted", body="Retenue.", signed_by="Le maire")
    barometer_reply(person=awa, answer=received, heard=4, clear=5)
    return {"mine": mine, "chosen": chosen, "budget": budget}


def _modules_scenarios(awa: User) -> None:
    """A module living outside this file (a new one, the test module of the tests tree) adds its
    rows through ``<its app package>.rgpd_scenario.build(person)``, found from its manifest."""
    names = {manifest.name for manifest in all_manifests()}
    for config in apps.get_app_configs():
        if config.label in names and importlib.util.find_spec(config.name) is not None:
            try:
                scenario = importlib.import_module(f"{config.name}.rgpd_scenario")
            except ModuleNotFoundError as missing:
                if missing.name != f"{config.name}.rgpd_scenario":
                    raise
                continue
            scenario.build(awa)


def _user_links(model: type[models.Model], field: str, user: User) -> int:
    return model._base_manager.filter(**{field: user}).count()


def _leftovers() -> list[str]:
    """Every text, JSON and date column of every table that still holds one of her values."""
    hits = []
    for model in apps.get_models(include_auto_created=True):
        manager = model._base_manager
        for field in model._meta.concrete_fields:
            where = f"{model._meta.label}.{field.name}"
            if isinstance(field, models.CharField | models.TextField):
                lookups: list[dict[str, object]] = [{f"{field.attname}__icontains": needle} for needle in NEEDLES]
                queryset = manager.all()
            elif isinstance(field, models.JSONField):
                queryset = manager.annotate(_as_text=Cast(field.attname, models.TextField()))
                lookups = [{"_as_text__icontains": needle} for needle in NEEDLES]
            elif type(field) is models.DateField:
                queryset, lookups = manager.all(), [{field.attname: BIRTH}]
            else:
                continue
            hits += [f"{where} {lookup}" for lookup in lookups if queryset.filter(**lookup).exists()]
    return hits


def test_export_then_delete_leaves_nothing(city: Territory, quartier: Territory) -> None:
    awa = _person(quartier)
    made = _everywhere(awa, city, quartier)
    _modules_scenarios(awa)
    session = Client()
    assert session.login(email=EMAIL, password=PASSWORD)

    # The scenario reaches every declared link to the account: a new model needs a line here.
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for holding in all_holdings():
        model = apps.get_model(holding.model)
        for name in holding.fields:
            field = model._meta.get_field(name)
            if field.is_relation and field.related_model is user_model:
                assert _user_links(model, name, awa), f"the scenario has no {holding.model}.{name}"

    # --- export: every section holds her data
    data = account_export_data(awa)
    text = json.dumps(data, ensure_ascii=False)
    account = data["account"]
    assert (account["email"], account["birth_date"], account["verification"]) == (EMAIL, "1987-03-14", "verified")
    assert account["verification_label"] == "Identité et adresse vérifiées par la Ville"
    assert account["age_band_label"] == "30 à 44 ans"
    for section in (
        "proposals", "comments", "supports", "reports", "follows", "notifications", "role_assignments",
        "budget_projects", "budget_invitations", "budget_comments", "budget_votes", "volunteer_applications",
        "sortition_pools", "panel_memberships", "recommendation_revisions", "council_memberships",
        "staff_records", "audit_entries", "barometer_replies",
    ):  # fmt: skip
        assert data[section], section
    # Which answer she gave her opinion on; never her marks (they are linked to nobody).
    assert set(data["barometer_replies"][0]) == {"answer", "source"}
    assert {p["role"] for p in data["budget_projects"]} == {"author", "coauthor"}
    assert data["reports"][0]["reason"] == "Il m'insulte depuis des semaines"
    assert data["volunteer_applications"][0]["phone"] == PHONE
    assert data["panel_memberships"][0]["full_name"] == FULL_NAME
    assert data["panel_memberships"][0]["attended"] and data["panel_memberships"][0]["recommendation_votes"]
    assert data["council_memberships"][0]["full_name"] == FULL_NAME
    assert data["council_memberships"][0]["attendance"][0]["status"] == "present"
    assert {"answers.Answer", "budgets.PaperSheet", "workshops.Workshop"} <= {
        r["record"] for r in data["staff_records"]
    }
    assert {"role.grant", "comment.hide", "council.member_add"} <= {e["action"] for e in data["audit_entries"]}
    # Ballot secrecy: in which budget she voted, never for what.
    assert [v["budget"] for v in data["budget_votes"]] == [made["budget"].process.title]
    ballot = Ballot.objects.get()
    assert ballot.receipt and ballot.receipt not in text
    assert ballot.locator and ballot.locator not in text
    assert "choices" not in text
    for row in data["budget_votes"]:
        assert set(row) == {"budget", "envelope", "voted", "channel", "voted_on"}

    # --- deletion
    kept = ("proposals.Proposal", "budgets.VoterRecord", "workshops.PanelMember", "councils.Membership")
    counts_before = {label: apps.get_model(label)._base_manager.count() for label in (*kept, "core.AuditLogEntry")}
    # The search finds her before the deletion (so an empty result afterwards means something).
    before = {hit.split(" ")[0] for hit in _leftovers()}
    assert {
        "accounts.User.email",
        "accounts.User.birth_date",
        "sortition.VolunteerApplication.phone",
        "sortition.PoolMember.personal",
        "workshops.PanelMember.full_name",
        "councils.Membership.full_name",
        "workshops.RecommendationRevision.author_label",
        "core.AuditLogEntry.actor_label",
        "core.AuditLogEntry.target_label",
        "admin.LogEntry.object_repr",
    } <= before
    account_delete(user=awa)
    awa.refresh_from_db()

    assert _leftovers() == []
    # Who gave the barometer their marks goes; the anonymous marks stay.
    assert not BarometerReply.objects.exists() and BarometerScore.objects.count() == 1
    # Contributions, seats, turnout and the audit trail stay.
    for label, count in counts_before.items():
        expected = count + 1 if label == "core.AuditLogEntry" else count  # + the deletion itself
        assert apps.get_model(label)._base_manager.count() == expected, label
    made["mine"].refresh_from_db()
    assert made["mine"].author_label == "Participant·e supprimé·e"
    assert Membership.objects.get().public_name == "Participant·e supprimé·e"
    report = Report.objects.get()
    assert report.reporter is None and report.reason == "Motif effacé (compte supprimé)"
    assert PoolMember.objects.get(pseudonym="P-AWA1").features == {"tranche_age": "30-44"}
    assert (
        AuditLogEntry.objects.filter(actor=awa).exclude(actor_label=f"Participant·e supprimé·e n° {awa.pk}").count()
        == 0
    )
    assert AuditLogEntry.objects.filter(action="account.delete").exists()
    # Every declared fate holds.
    for holding in all_holdings():
        model = apps.get_model(holding.model)
        for name in holding.fields:
            field = model._meta.get_field(name)
            if not (field.is_relation and field.related_model is user_model):
                continue
            if holding.fate in {Fate.DELETED, Fate.UNLINKED}:
                assert not _user_links(model, name, awa), f"{holding.model}.{name}"
            elif holding.fate is Fate.ACCOUNT:
                assert _user_links(model, name, awa), f"{holding.model}.{name}"
    assert not Session.objects.exists() or all(
        str(s.get_decoded().get("_auth_user_id")) != str(awa.pk) for s in Session.objects.all()
    )
    assert session.get(reverse("accounts:dashboard")).status_code == 302
