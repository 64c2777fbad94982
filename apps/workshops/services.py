"""Writes of the workshops module: keyword-only, checked, atomic, audited."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.answers.models import Answer
from apps.answers.selectors import pending_answer
from apps.answers.services import answer_draft_save, answer_sign
from apps.core.covers import cover_apply
from apps.core.models import Process, audit
from apps.core.roles import has_role
from apps.core.rules_kit import require
from apps.sittings import selectors as sitting_selectors
from apps.sittings import services as sittings
from apps.sittings.models import Attendance, Document, Sitting
from apps.sortition import selectors as sortition
from apps.workshops import rules
from apps.workshops.models import (
    AnswerCommitment,
    CitizenOpinion,
    MandateRevision,
    PanelMember,
    Recommendation,
    RecommendationRevision,
    RecommendationVote,
    Workshop,
    opinion_digest,
)

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.sortition.selectors import Draw, PoolMember

CLAIM_SALT = "workshops.panel-claim"
# An invitation link stays valid for the length of a workshop (a few months).
CLAIM_MAX_AGE = 60 * 60 * 24 * 240


class StaleRevision(Exception):
    """Someone saved the recommendation since the form was opened: nothing is overwritten."""

    def __init__(self, current: Recommendation) -> None:
        super().__init__("stale revision")
        self.current = current


# --- workshop and mandate ------------------------------------------------------------------


@transaction.atomic
def workshop_create(
    *, actor: User, process: Process, cover: Mapping[str, Any] | None = None, **fields: Any
) -> Workshop:
    """``cover``: the keyword arguments of ``apps.core.covers.cover_apply`` (its picture)."""
    require(has_role(actor, rules.AGENTS, process=process))
    return workshop_insert(actor=actor, process=process, cover=cover, **fields)


def workshop_insert(
    *,
    actor: User,
    process: Process,
    cover: Mapping[str, Any] | None = None,
    action: str = "workshop.create",
    **fields: Any,
) -> Workshop:
    """The workshop and its empty opinion, without the permission check: for
    :func:`workshop_create` and for a mandate the city's signed answer promised (referrals)."""
    workshop = Workshop(process=process, created_by=actor, **fields)
    if cover is not None:
        cover_apply(workshop, **cover)
    workshop.full_clean()
    workshop.save()
    CitizenOpinion.objects.create(workshop=workshop)
    audit(actor, action, workshop, process=process.slug)
    return workshop


@transaction.atomic
def mandate_update(
    *, actor: User, workshop: Workshop, note: str = "", cover: Mapping[str, Any] | None = None, **fields: Any
) -> Workshop:
    """Change the mandate. Before publication, freely; after, only with a revision note,
    which is published with its date beside the mandate (never a silent change). The picture
    (``cover``, see ``apps.core.covers.cover_apply``) illustrates; it is no part of the mandate."""
    require(rules.can_manage_workshop(actor, workshop))
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    before = workshop.mandate_snapshot()
    for name, value in fields.items():
        if name not in Workshop.MANDATE_FIELDS:
            raise ValueError(f"not a mandate field: {name}")
        setattr(workshop, name, value)
    workshop.full_clean()
    after = workshop.mandate_snapshot()
    changed = [name for name in Workshop.MANDATE_FIELDS if before[name] != after[name]]
    if workshop.is_mandate_published and changed:
        if not note.strip():
            raise ValidationError(
                {
                    "note": _(
                        "Le mandat est publié : expliquez ce qui change dans une note de révision, "
                        "elle sera publiée avec sa date."
                    )
                }
            )
        MandateRevision.objects.create(workshop=workshop, note=note.strip(), changed_fields=changed, author=actor)
    if cover is not None and cover_apply(workshop, **cover):
        changed.append("cover")
    workshop.full_clean()
    workshop.save()
    audit(actor, "workshop.mandate_update", workshop, changed=changed, before=before, note=note.strip())
    return workshop


@transaction.atomic
def mandate_publish(*, actor: User, workshop: Workshop) -> Workshop:
    require(rules.can_manage_workshop(actor, workshop))
    if workshop.is_mandate_published:
        return workshop
    workshop.mandate_published_at = timezone.now()
    workshop.save(update_fields=["mandate_published_at", "updated_at"])
    audit(actor, "workshop.mandate_publish", workshop)
    return workshop


# --- panel ---------------------------------------------------------------------------------


def first_name_only(name: str) -> str:
    words = name.split()
    return words[0].strip(",.;:")[:80] if words else ""


def pool_member_name(pool_member: PoolMember) -> str:
    """The name the sortition module kept for inviting (emptied at its purge date)."""
    personal = pool_member.personal or {}
    for key in ("name", "full_name", "nom_complet"):
        if str(personal.get(key, "")).strip():
            return str(personal[key]).strip()
    first = str(personal.get("first_name") or personal.get("prenom") or personal.get("prénom") or "").strip()
    last = str(personal.get("last_name") or personal.get("nom") or "").strip()
    return f"{first} {last}".strip()


@transaction.atomic
def member_add(
    *,
    actor: User,
    workshop: Workshop,
    full_name: str,
    public_name: str = "",
    user: User | None = None,
    status: str = PanelMember.Status.INVITED,
    is_alternate: bool = False,
) -> PanelMember:
    """A volunteer added by an agent (a paper application, a phone call...)."""
    require(rules.can_manage_workshop(actor, workshop))
    full_name = full_name.strip() or (user.display_name if user else "")
    member = PanelMember(
        workshop=workshop,
        user=user,
        source=PanelMember.Source.VOLUNTEER,
        full_name=full_name,
        public_name=public_name.strip() or first_name_only(full_name) or _("Membre"),
        status=status,
        is_alternate=is_alternate,
    )
    member.full_clean()
    member.save()
    audit(actor, "workshop.member_add", workshop, member=member.pk, status=status, alternate=is_alternate)
    return member


@transaction.atomic
def member_apply(*, user: User, workshop: Workshop) -> PanelMember:
    """A resident volunteers for the panel; an agent then confirms (or not)."""
    require(rules.can_apply(user, workshop))
    member = PanelMember(
        workshop=workshop,
        user=user,
        source=PanelMember.Source.VOLUNTEER,
        full_name=user.display_name,
        public_name=first_name_only(user.display_name) or _("Membre"),
        status=PanelMember.Status.APPLIED,
    )
    member.full_clean()
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:
        raise ValidationError(_("Vous faites déjà partie de ce panel.")) from exc
    rules.forget_membership(user)
    return member


IMPORTED_STATUSES = {
    "selected": (PanelMember.Status.INVITED, False),
    "invited": (PanelMember.Status.INVITED, False),
    "confirmed": (PanelMember.Status.CONFIRMED, False),
    "alternate": (PanelMember.Status.INVITED, True),
}


@transaction.atomic
def panel_import_from_draw(*, actor: User, workshop: Workshop, draw: Draw) -> int:
    """Bring the people drawn (and the alternates) into the panel; idempotent: someone
    already imported is left as they are. Returns the number of new members."""
    require(rules.can_manage_workshop(actor, workshop))
    already = set(
        PanelMember.objects.filter(workshop=workshop, pool_member__draw=draw).values_list("pool_member_id", flat=True)
    )
    linked_users = set(
        PanelMember.objects.filter(workshop=workshop, user__isnull=False).values_list("user_id", flat=True)
    )
    created = 0
    for pool_member in sortition.members_with_status(draw, IMPORTED_STATUSES):
        if pool_member.pk in already:
            continue
        status, alternate = IMPORTED_STATUSES[pool_member.status]
        name = pool_member_name(pool_member)
        user_id = pool_member.user_id if pool_member.user_id not in linked_users else None
        member = PanelMember(
            workshop=workshop,
            pool_member=pool_member,
            user_id=user_id,
            source=PanelMember.Source.DRAWN,
            full_name=name,
            public_name=first_name_only(name) or pool_member.pseudonym or _("Membre"),
            status=status,
            is_alternate=alternate,
        )
        member.full_clean()
        member.save()
        if user_id:
            linked_users.add(user_id)
        created += 1
    audit(actor, "workshop.panel_import", workshop, draw=draw.slug, created=created)
    return created


@transaction.atomic
def member_set_status(*, actor: User, member: PanelMember, status: str, is_alternate: bool) -> PanelMember:
    require(rules.can_manage_workshop(actor, member.workshop))
    before = (member.status, member.is_alternate)
    member.status = status
    member.is_alternate = is_alternate
    member.full_clean()
    member.save(update_fields=["status", "is_alternate", "updated_at"])
    audit(
        actor,
        "workshop.member_status",
        member.workshop,
        member=member.pk,
        before=list(before),
        status=status,
        alternate=is_alternate,
    )
    return member


def claim_token(member: PanelMember) -> str:
    """A signed token for the invitation link of one member (no database state)."""
    return signing.dumps({"m": member.pk, "w": member.workshop_id}, salt=CLAIM_SALT, compress=True)


def member_from_token(token: str) -> PanelMember | None:
    try:
        data = signing.loads(token, salt=CLAIM_SALT, max_age=CLAIM_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("m"), int) or not isinstance(data.get("w"), int):
        return None
    return (
        PanelMember.objects.select_related("workshop", "workshop__process")
        .filter(pk=data["m"], workshop_id=data["w"])
        .first()
    )


@transaction.atomic
def member_claim(*, user: User, member: PanelMember, accept: bool) -> PanelMember:
    """The person invited (drawn or volunteer) links the membership to their account and
    confirms — or declines — their participation."""
    require(rules.can_claim(user))
    member = PanelMember.objects.select_for_update().get(pk=member.pk)
    if member.user_id is not None and member.user_id != user.pk:
        raise ValidationError(_("Cette invitation a déjà été utilisée par un autre compte."))
    other = PanelMember.objects.filter(workshop_id=member.workshop_id, user=user).exclude(pk=member.pk)
    if other.exists():
        raise ValidationError(_("Votre compte est déjà membre de ce panel."))
    if member.status in {PanelMember.Status.LEFT}:
        raise ValidationError(_("Cette invitation n'est plus valable."))
    member.user = user
    member.claimed_at = member.claimed_at or timezone.now()
    member.status = PanelMember.Status.CONFIRMED if accept else PanelMember.Status.DECLINED
    member.save(update_fields=["user", "claimed_at", "status", "updated_at"])
    rules.forget_membership(user)
    return member


# --- sessions ------------------------------------------------------------------------------


@transaction.atomic
def session_save(*, actor: User, workshop: Workshop, session: Sitting | None = None, **fields: Any) -> Sitting:
    require(rules.can_manage_workshop(actor, workshop))
    # A panel session has an end (the attestation counts its hours) and an agenda.
    for name in ("ends_at", "agenda"):
        if (name in fields or session is None) and not fields.get(name):
            raise ValidationError({name: _("Ce champ est obligatoire.")})
    if session is None:
        session = sittings.sitting_create(body=workshop, **fields)
        action = "workshop.session_create"
    else:
        if not session.belongs_to(workshop):
            raise PermissionDenied
        session = sittings.sitting_update(sitting=session, **fields)
        action = "workshop.session_update"
    audit(actor, action, session, workshop=workshop.pk, published=session.is_published)
    return session


@transaction.atomic
def session_document_add(*, actor: User, session: Sitting, title: str, file: UploadedFile) -> Document:
    workshop = Workshop.objects.get(pk=session.body_id) if session.belongs_to_model(Workshop) else None
    require(workshop is not None and rules.can_manage_workshop(actor, workshop))
    document = sittings.document_add(sitting=session, title=title, file=file)
    audit(actor, "workshop.document_add", session, document=document.pk, title=document.title)
    return document


@transaction.atomic
def attendance_set(*, actor: User, workshop: Workshop, present: Iterable[tuple[int, int]]) -> int:
    """Replace the attendance grid of a workshop by ``present`` ((session id, member id)
    pairs); pairs outside this workshop are ignored. Returns the number of presences."""
    require(rules.can_manage_workshop(actor, workshop))
    sessions = {session.pk: session for session in workshop.sessions.all()}
    member_ids = set(workshop.members.values_list("pk", flat=True))
    wanted = {(s, m) for s, m in present if s in sessions and m in member_ids}
    existing = sitting_selectors.attendance_pairs(sessions.values(), PanelMember)
    removed = existing - wanted
    for session_id, session in sessions.items():
        statuses = {m: "" for s, m in removed if s == session_id}
        statuses.update({m: Attendance.Status.PRESENT for s, m in wanted - existing if s == session_id})
        if statuses:
            sittings.attendance_record(sitting=session, member_model=PanelMember, statuses=statuses)
    audit(actor, "workshop.attendance", workshop, added=len(wanted - existing), removed=len(removed))
    return len(wanted)


# --- the citizen opinion -------------------------------------------------------------------


def _revision(recommendation: Recommendation, author: User | None) -> RecommendationRevision:
    label = (
        (
            PanelMember.objects.filter(workshop=recommendation.opinion.workshop, user=author)
            .values_list("public_name", flat=True)
            .first()
            or author.display_name
        )
        if author is not None
        else ""
    )
    return RecommendationRevision.objects.create(
        recommendation=recommendation,
        number=recommendation.revision,
        title=recommendation.title,
        text=recommendation.text,
        author=author,
        author_label=label,
    )


@transaction.atomic
def recommendation_create(*, actor: User, opinion: CitizenOpinion, title: str, text: str) -> Recommendation:
    """A new numbered recommendation (the facilitating agent opens it for the panel)."""
    require(rules.can_manage_workshop(actor, opinion.workshop))
    opinion = CitizenOpinion.objects.select_for_update().get(pk=opinion.pk)
    if opinion.state != CitizenOpinion.State.DRAFTING:
        raise ValidationError(_("L'avis n'est plus en rédaction : on ne peut plus y ajouter de recommandation."))
    number = (opinion.recommendations.aggregate(top=Max("number"))["top"] or 0) + 1
    recommendation = Recommendation(opinion=opinion, number=number, title=title.strip(), text=text.strip())
    recommendation.full_clean()
    recommendation.save()
    _revision(recommendation, actor)
    audit(actor, "workshop.recommendation_create", recommendation, number=number)
    return recommendation


@transaction.atomic
def recommendation_edit(
    *, author: User, recommendation: Recommendation, title: str, text: str, base_revision: int
) -> Recommendation:
    """A panel member saves a new version. The form carries the revision it was based on:
    when someone saved in between, ``StaleRevision`` carries the newer text and nothing is
    overwritten. A published (or voted) opinion is never edited."""
    locked = (
        Recommendation.objects.select_for_update()
        .select_related("opinion__workshop__process")
        .get(pk=recommendation.pk)
    )
    if locked.opinion.state != CitizenOpinion.State.DRAFTING:
        raise ValidationError(_("L'avis n'est plus en rédaction : le texte ne peut plus être modifié."))
    require(rules.can_edit_recommendation(author, locked))
    if base_revision != locked.revision:
        raise StaleRevision(locked)
    title, text = title.strip(), text.strip()
    if title == locked.title and text == locked.text:
        return locked
    locked.title = title
    locked.text = text
    locked.revision += 1
    locked.full_clean()
    locked.save()
    _revision(locked, author)
    return locked


@transaction.atomic
def votes_cast(*, user: User, opinion: CitizenOpinion, choices: Mapping[int, str]) -> int:
    """Record (or change, while the vote is open) the member's vote on each recommendation of
    ``choices`` ({recommendation id: "for" | "against" | "abstain"}). One vote per member and
    recommendation: a unique constraint, and the member's row is locked so that parallel
    requests of the same member run one after the other."""
    require(rules.can_vote(user, opinion))
    member = PanelMember.objects.select_for_update().get(workshop=opinion.workshop, user=user)
    valid = {value for value, _label in RecommendationVote.Choice.choices}
    wanted = {int(pk): choice for pk, choice in choices.items() if choice in valid}
    recommendations = set(opinion.recommendations.filter(pk__in=wanted).values_list("pk", flat=True))
    count = 0
    for pk in sorted(recommendations):
        updated = RecommendationVote.objects.filter(recommendation_id=pk, member=member).update(choice=wanted[pk])
        if not updated:
            RecommendationVote.objects.create(recommendation_id=pk, member=member, choice=wanted[pk])
        count += 1
    return count


def _opinion_step(actor: User, opinion: CitizenOpinion, expected: str) -> CitizenOpinion:
    require(rules.can_manage_workshop(actor, opinion.workshop))
    locked = CitizenOpinion.objects.select_for_update().get(pk=opinion.pk)
    if locked.state != expected:
        raise ValidationError(_("Cette étape n'est pas possible dans l'état actuel de l'avis."))
    return locked


@transaction.atomic
def opinion_open_vote(*, actor: User, opinion: CitizenOpinion) -> CitizenOpinion:
    locked = _opinion_step(actor, opinion, CitizenOpinion.State.DRAFTING)
    if not locked.recommendations.exists():
        raise ValidationError(_("L'avis ne contient encore aucune recommandation."))
    locked.state = CitizenOpinion.State.VOTING
    locked.vote_opened_at = timezone.now()
    locked.save()
    audit(actor, "workshop.opinion_open_vote", locked)
    return locked


@transaction.atomic
def opinion_close_vote(*, actor: User, opinion: CitizenOpinion) -> CitizenOpinion:
    locked = _opinion_step(actor, opinion, CitizenOpinion.State.VOTING)
    locked.state = CitizenOpinion.State.ADOPTED
    locked.vote_closed_at = timezone.now()
    locked.save()
    audit(actor, "workshop.opinion_close_vote", locked)
    return locked


@transaction.atomic
def opinion_publish(*, actor: User, opinion: CitizenOpinion) -> CitizenOpinion:
    """Publish the opinion unchanged: the text is frozen (a snapshot per recommendation and a
    SHA-256 of the whole), and every later edit is refused."""
    locked = _opinion_step(actor, opinion, CitizenOpinion.State.ADOPTED)
    recommendations = list(locked.recommendations.select_for_update().order_by("number"))
    for recommendation in recommendations:
        recommendation.published_text = recommendation.text
        recommendation.save(update_fields=["published_text"])
    locked.state = CitizenOpinion.State.PUBLISHED
    locked.published_at = timezone.now()
    locked.published_sha256 = opinion_digest(recommendations)
    locked.save()
    audit(actor, "workshop.opinion_publish", locked, sha256=locked.published_sha256)
    return locked


# --- the reasoned answer -------------------------------------------------------------------


RETAINED = frozenset({"accepted", "adapted"})


@transaction.atomic
def recommendation_answer(
    *,
    actor: User,
    recommendation: Recommendation,
    status: str,
    reasons: str,
    commitments: list[dict[str, Any]] | None = None,
) -> Answer:
    """Draft the answer to a recommendation (an agent, or the élu) and submit it for signature:
    it is public once an élu·e (or an agent with a « délégation de signature ») signs it
    (:func:`recommendation_answer_sign`). Accepted and adapted recommendations carry at least
    one commitment; each is followed publicly on /suivi/ with the « fait avec les habitants »
    label from the signature on."""
    workshop = recommendation.opinion.workshop
    require(rules.can_answer(actor, workshop))
    commitments = [c for c in (commitments or []) if c]
    errors: dict[str, list[str]] = {}
    if not reasons.strip():
        errors["reasons"] = [_("Les motifs sont obligatoires : expliquez la décision.")]
    has_existing = AnswerCommitment.objects.filter(
        answer__in=Answer.all_objects.filter(recommendation=recommendation)
    ).exists()
    if status in RETAINED and not commitments and not has_existing:
        errors["__all__"] = [
            _("Une recommandation retenue (ou adaptée) appelle au moins un engagement : service et date prévue.")
        ]
    if errors:
        raise ValidationError(errors)
    created = pending_answer(recommendation) is None
    answer = answer_draft_save(actor=actor, source=recommendation, status=status, body=reasons, submit=True)
    if status != "not_retained":
        for entry in commitments:
            AnswerCommitment.objects.create(
                answer=answer,
                title=entry["title"].strip(),
                service=entry.get("service"),
                planned_date=entry["planned_date"],
            )
    audit(
        actor,
        "workshop.answer_create" if created else "workshop.answer_update",
        recommendation,
        status=status,
        state=answer.state,
        commitments=len(commitments),
    )
    return answer


def recommendation_answer_sign(*, signer: User, answer: Answer) -> Answer:
    """Sign and publish the pending answer to a recommendation (see :mod:`apps.answers`)."""
    return answer_sign(signer=signer, answer=answer)


def answer_published(actor: User, answer: Answer) -> None:
    """Called by ``apps.answers`` in the signing transaction: the commitments the answer
    promises become follow-up commitments, and earlier ones stay attached to the answer."""
    from apps.followup.services import commitment_create

    recommendation = Recommendation.objects.select_related("opinion__workshop__process__territory").get(
        pk=answer.source_id
    )
    workshop = recommendation.opinion.workshop
    if answer.status == "not_retained":
        AnswerCommitment.objects.filter(answer=answer, commitment__isnull=True).delete()
    links = list(AnswerCommitment.objects.filter(answer=answer, commitment__isnull=True).order_by("pk"))
    # Commitments promised by earlier answers to this recommendation stay promised: they follow
    # the answer in force.
    AnswerCommitment.objects.filter(
        answer__in=Answer.objects.filter(recommendation=recommendation).exclude(pk=answer.pk)
    ).update(answer=answer)
    for link in links:
        commitment = commitment_create(
            actor=actor,
            process=workshop.process,
            title=link.title,
            description=str(
                _("Engagement pris en réponse à la recommandation n° %(number)s de l'atelier citoyen « %(title)s ».")
                % {"number": recommendation.number, "title": workshop.title}
            ),
            service=link.service,
            planned_date=link.planned_date,
            territory=workshop.process.territory,
            made_with_residents=True,
            source=link,
        )
        link.commitment = commitment
        link.save(update_fields=["commitment"])
    audit(
        actor,
        "workshop.answer_publish",
        recommendation,
        status=answer.status,
        answer_id=answer.pk,
        signed_by=answer.signed_by,
        commitments=len(links),
    )
