"""Writes of petitions: rules of the game, filing, committee, moderation, signatures (online
and on paper). Keyword-only, validated, atomic; each requires its rule's answer again.

Signatures race: 50 parallel requests from one person must leave one, whether they come from
the person's account or from agents typing the person's paper sheet. Both channels key the
signature by the same identity key (an HMAC of the normalised name, birth date and address), so
the unique constraint on (petition, person_key) counts a person once across channels; the one on
(petition, user) counts an account once. The petition row is locked first so the counter and the
moment the threshold is reached are computed by one transaction at a time.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.census import census_digest, normalise_address, normalise_name
from apps.accounts.models import CensusEntry
from apps.core import participation
from apps.core.models import Process, Territory, audit
from apps.core.rules_kit import require
from apps.petitions import rules
from apps.petitions.models import CommitteeMember, Petition, PetitionRule, Signature

if TYPE_CHECKING:
    from apps.accounts.models import User


# --- rules of the game ----------------------------------------------------------------------------


def rule_for(kind: str, territory: Territory) -> PetitionRule | None:
    return PetitionRule.objects.select_related("process").filter(kind=kind, level=territory.kind).first()


@transaction.atomic
def rule_save(
    *,
    actor: User,
    kind: str,
    level: str,
    threshold: int,
    verification: str,
    duration_days: int,
    answer_days: int,
    process: Process,
) -> PetitionRule:
    """Create or change the rule of one kind at one level. Petitions already filed keep the
    values they were filed with."""
    require(rules.can_set_rules(actor))
    rule = PetitionRule.objects.select_for_update().filter(kind=kind, level=level).first() or PetitionRule(
        kind=kind, level=level
    )
    rule.threshold, rule.verification, rule.process = threshold, verification, process
    rule.duration_days, rule.answer_days = duration_days, answer_days
    rule.full_clean()
    rule.save()
    audit(actor, "petitions.rule_save", rule, threshold=threshold, verification=verification)
    return rule


# --- filing, committee, moderation ----------------------------------------------------------------


@transaction.atomic
def petition_file(
    *,
    author: User,
    kind: str,
    title: str,
    body: str,
    recipient: str,
    territory: Territory,
    group_name: str = "",
    show_my_name: bool = False,
) -> Petition:
    """File a petition for moderation, with the rules of the game in force, frozen on it."""
    require(rules.can_file(author))
    rule = rule_for(kind, territory)
    if rule is None:
        raise ValidationError(
            {"territory": _("La Ville n'a pas encore fixé les règles du jeu pour ce type de territoire.")}
        )
    petition = Petition(
        kind=kind,
        title=title.strip(),
        body=body.strip(),
        recipient=recipient.strip(),
        territory=territory,
        group_name=group_name.strip(),
        author=author,
        process=rule.process,
        threshold=rule.threshold,
        verification=rule.verification,
        duration_days=rule.duration_days,
        answer_days=rule.answer_days,
        committee_token=secrets.token_urlsafe(24),
    )
    petition.full_clean()
    petition.save()
    CommitteeMember.objects.create(
        petition=petition, user=author, public_name=author.display_name, agrees_to_be_named=show_my_name
    )
    return petition


@transaction.atomic
def committee_join(*, user: User, petition: Petition, token: str, agrees_to_be_named: bool) -> CommitteeMember:
    require(rules.can_join_committee(user, petition))
    if not hmac.compare_digest(token.encode(), petition.committee_token.encode()):
        raise ValidationError(_("Ce lien d'invitation au comité n'est pas valable."))
    member, _created = CommitteeMember.objects.update_or_create(
        petition=petition,
        user=user,
        defaults={"public_name": user.display_name, "agrees_to_be_named": agrees_to_be_named},
    )
    return member


@transaction.atomic
def petition_moderate(*, actor: User, petition: Petition, publish: bool, reason: str = "") -> Petition:
    """Publish a pending petition (its collection starts now) or refuse it with a public reason."""
    require(rules.can_moderate(actor, petition))
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if petition.state != Petition.State.PENDING:
        raise ValidationError(_("Cette pétition a déjà été modérée."))
    now = timezone.now()
    if publish:
        petition.state = Petition.State.COLLECTING
        petition.published_at = now
        petition.closes_at = now + datetime.timedelta(days=petition.duration_days)
    else:
        if not reason.strip():
            raise ValidationError({"reason": _("Donnez le motif du refus : il sera public.")})
        petition.state = Petition.State.REJECTED
        petition.rejection_reason = reason.strip()
        petition.published_at = now
    petition.full_clean()
    petition.save()
    audit(actor, "petitions.publish" if publish else "petitions.reject", petition)
    return petition


# --- signatures -----------------------------------------------------------------------------------


def _key_secret() -> bytes:
    # Its own key, not the census one: a signature key cannot be joined to the census digests.
    return hashlib.sha256(f"petitions:{settings.SECRET_KEY}".encode()).digest()


def person_key(*, family_name: str, first_name: str, birth_date: datetime.date, address: str, postal_code: str) -> str:
    """Who a signatory is, without keeping who: an HMAC of the normalised name (accents, case,
    spaces and punctuation ignored; the first first name), birth date and address (usual street
    abbreviations expanded). Two sheets of one person, or a sheet and an online signature, give
    one key."""
    message = "\n".join(
        (normalise_name(family_name, first_name), birth_date.isoformat(), normalise_address(address, postal_code))
    ).encode()
    return "p:" + hmac.new(_key_secret(), message, hashlib.sha256).hexdigest()


def _add(petition: Petition, signature: Signature) -> Petition:
    """Insert under the petition's lock; a second signature of the same person is refused by
    the unique constraints (a savepoint keeps the transaction usable)."""
    locked = Petition.objects.select_for_update().get(pk=petition.pk)
    if not rules.is_collecting(locked):
        raise ValidationError(_("La collecte des signatures n'est pas ouverte."))
    signature.petition = locked
    try:
        with transaction.atomic():
            signature.save()
    except IntegrityError:
        raise ValidationError(
            _("Cette personne a déjà signé cette pétition, en ligne ou sur papier : une signature compte une fois.")
        ) from None
    locked.signature_count += 1
    if locked.reached_at is None and locked.signature_count >= locked.threshold:
        locked.reached_at = timezone.now()
        locked.answer_due = timezone.localdate() + datetime.timedelta(days=locked.answer_days)
    locked.save(update_fields=["signature_count", "reached_at", "answer_due"])
    return locked


def _check_verified_identity(
    user: User, *, family_name: str, first_name: str, birth_date: datetime.date, address: str, postal_code: str
) -> None:
    """An account the census list verified signs under that identity only: otherwise a verified
    person could type someone else's facts and sign twice (once online, once on paper)."""
    claimed = set(
        CensusEntry.objects.filter(claimed_by=user, census__purge_on__gt=timezone.localdate()).values_list(
            "digest", flat=True
        )
    )
    if not claimed:
        return
    typed = census_digest(
        nom=family_name, prenom=first_name, birth_date=birth_date, address=address, postal_code=postal_code
    )
    if typed not in claimed:
        raise ValidationError(
            _(
                "Ces informations ne correspondent pas à l'identité vérifiée de votre compte : "
                "écrivez vos nom, prénom, date de naissance et adresse comme lors de la vérification."
            )
        )


@transaction.atomic
def sign_online(
    *,
    user: User,
    petition: Petition,
    family_name: str,
    first_name: str,
    birth_date: datetime.date,
    address: str,
    postal_code: str,
) -> Petition:
    """Sign from an account. The person gives the facts a paper sheet asks for: only their
    keyed digest is kept, so that a person who also signed on paper counts once."""
    refusal = rules.sign_refusal(user, petition)
    if refusal and rules.is_collecting(petition):
        raise ValidationError(refusal)
    require(not refusal)
    identity: dict[str, Any] = {
        "family_name": family_name,
        "first_name": first_name,
        "birth_date": birth_date,
        "address": address,
        "postal_code": postal_code,
    }
    _check_verified_identity(user, **identity)
    signature = Signature(
        user=user,
        person_key=person_key(**identity),
        channel=Signature.Channel.ONLINE,
        territory_id=user.home_territory_id,
        signed_on=timezone.localdate(),
    )
    locked = _add(petition, signature)
    participation.record(module="petitions", kind="signature", person=user, process=locked.process)
    return locked


@transaction.atomic
def sign_paper(
    *,
    actor: User,
    petition: Petition,
    family_name: str,
    first_name: str,
    birth_date: datetime.date,
    address: str,
    postal_code: str,
    territory: Territory | None,
) -> Petition:
    """An agent enters one paper signature. Nothing but the key, the quartier and the day is
    kept: the sheet itself stays in the city's paper archive."""
    require(rules.can_enter_paper(actor, petition))
    key = person_key(
        family_name=family_name,
        first_name=first_name,
        birth_date=birth_date,
        address=address,
        postal_code=postal_code,
    )
    signature = Signature(
        person_key=key,
        channel=Signature.Channel.PAPER,
        territory=territory,
        entered_by=actor,
        signed_on=timezone.localdate(),
    )
    locked = _add(petition, signature)
    # The signatory has no account here: the event knows the quartier written on the sheet only.
    participation.record(
        module="petitions",
        kind="signature",
        person=None,
        process=locked.process,
        channel=participation.PAPER,
        territory=territory,
    )
    audit(actor, "petitions.paper_signature", locked)
    return locked
