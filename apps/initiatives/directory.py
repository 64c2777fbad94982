"""The directory of actors (« annuaire des acteurs »): writes and reads.

A resident appears by choosing to (their entry shows at once: they consented, it is about
them), edits what shows and withdraws at any time (the entry is deleted, not hidden). An
association or a collective is proposed by a resident and waits for an agent of its quartier.
People write to an entry through a form: the message reaches the person behind it as a
notification (in « Mon espace », and by e-mail if they chose so); nobody's address is shown."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.backoffice_kit import AGENTS, territories_in_scope
from apps.core.models import Territory, audit
from apps.core.textsearch import search_text
from apps.initiatives import rules
from apps.initiatives.models import Actor, Initiative
from apps.notifications.models import Notification
from apps.notifications.services import notify

if TYPE_CHECKING:
    from apps.accounts.models import User

ORGANISATIONS = (Actor.Kind.ASSOCIATION, Actor.Kind.COLLECTIVE)


def _check_public_text(name: str, skills: str) -> None:
    # The directory never shows an e-mail address: people are reached through the form.
    errors = {}
    if "@" in name:
        errors["name"] = _("Le nom affiché ne peut pas contenir d'adresse e-mail.")
    if "@" in skills:
        errors["skills"] = _("Les savoir-faire ne peuvent pas contenir d'adresse e-mail.")
    if not skills.strip():
        errors["skills"] = _("Indiquez au moins un savoir-faire.")
    if errors:
        raise ValidationError(errors)


def resident_entry(person: User) -> Actor | None:
    return Actor.objects.filter(person=person, kind=Actor.Kind.RESIDENT).select_related("territory").first()


@transaction.atomic
def resident_entry_save(
    *, person: User, name: str, skills: str, description: str, territory: Territory, show_initiatives: bool
) -> Actor:
    """Create (published at once) or update the person's own entry; an entry an agent took
    down stays down."""
    if not rules.can_list_self(person):
        raise ValidationError(_("Connectez-vous pour apparaître dans l'annuaire."))
    _check_public_text(name, skills)
    entry = resident_entry(person) or Actor(person=person, kind=Actor.Kind.RESIDENT, state=Actor.State.PUBLISHED)
    entry.name, entry.skills, entry.description = name.strip(), skills.strip(), description.strip()
    entry.territory, entry.show_initiatives = territory, show_initiatives
    entry.full_clean(exclude=["person"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as error:  # two tabs opting in at once: one entry only
        raise ValidationError(_("Vous figurez déjà dans l'annuaire.")) from error
    return entry


def resident_entry_withdraw(*, person: User) -> bool:
    """Leave the directory: the entry is deleted, nothing of it stays public."""
    deleted, _counts = Actor.objects.filter(person=person, kind=Actor.Kind.RESIDENT).delete()
    return deleted > 0


def participations(person: User) -> QuerySet[Initiative]:
    """Public initiatives the person holds, co-holds or joined (what an entry may link to)."""
    return (
        Initiative.objects.filter(is_public=True)
        .exclude(stage=Initiative.Stage.CLOSED)
        .filter(Q(holder=person) | Q(co_holders__person=person) | Q(offers__person=person))
        .distinct()
        .order_by("title", "pk")
    )


@transaction.atomic
def organisation_propose(
    *,
    person: User,
    kind: str,
    name: str,
    skills: str,
    description: str,
    territory: Territory,
    website: str,
    initiatives: Iterable[Initiative] = (),
) -> Actor:
    """A resident proposes an association or a collective; an agent of the quartier validates it."""
    if not rules.can_list_self(person):
        raise ValidationError(_("Connectez-vous pour proposer une association ou un collectif."))
    if kind not in ORGANISATIONS:
        raise ValidationError({"kind": _("Choisissez association ou collectif.")})
    _check_public_text(name, skills)
    allowed = set(participations(person).values_list("pk", flat=True))
    chosen = [initiative for initiative in initiatives if initiative.pk in allowed]
    entry = Actor(
        kind=kind,
        name=name.strip(),
        skills=skills.strip(),
        description=description.strip(),
        territory=territory,
        website=website.strip(),
        person=person,
        state=Actor.State.PENDING,
    )
    entry.full_clean(exclude=["person"], validate_constraints=False)
    entry.save()
    entry.initiatives.set(chosen)
    audit(person, "initiative.actor_propose", entry)
    return entry


def organisation_withdraw(*, person: User, actor: Actor) -> None:
    """Who proposed an association or a collective takes it out of the directory."""
    if actor.kind not in ORGANISATIONS or actor.person_id != person.pk:
        raise ValidationError(_("Seule la personne qui a proposé cette fiche peut la retirer."))
    audit(person, "initiative.actor_withdraw", actor)
    actor.delete()


@transaction.atomic
def actor_moderate(*, agent: User, actor: Actor, publish: bool) -> Actor:
    """An agent of the quartier publishes a proposed entry, or takes any entry down."""
    locked = Actor.objects.select_for_update().get(pk=actor.pk)
    if not rules.can_moderate_actor(agent, locked):
        raise ValidationError(_("Cette fiche n'est pas dans votre périmètre."))
    locked.state = Actor.State.PUBLISHED if publish else Actor.State.REFUSED
    locked.moderated_by, locked.moderated_at = agent, timezone.now()
    locked.save(update_fields=["state", "moderated_by", "moderated_at", "updated_at"])
    audit(agent, "initiative.actor_publish" if publish else "initiative.actor_refuse", locked)
    if locked.person_id is not None:
        notify(
            user_ids=[locked.person_id],
            kind=Notification.Kind.STATUS,
            title=(
                _("Votre fiche « %(name)s » est publiée dans l'annuaire")
                if publish
                else _("Votre fiche « %(name)s » n'est pas publiée dans l'annuaire")
            )
            % {"name": locked.name},
            url=locked.get_absolute_url(),
        )
    return locked


# --- reads ---------------------------------------------------------------------------------


def published_actors(*, text: str = "", territory_id: int | None = None, kind: str = "") -> QuerySet[Actor]:
    queryset = Actor.objects.filter(state=Actor.State.PUBLISHED).select_related("territory")
    if territory_id is not None:
        queryset = queryset.filter(territory_id=territory_id)
    if kind in Actor.Kind.values:
        queryset = queryset.filter(kind=kind)
    return search_text(queryset, text, ("name", "skills", "description")).order_by("name", "pk")


def linked_initiatives(actor: Actor) -> list[Initiative]:
    """The public initiatives an entry shows: a resident's own (only if they chose to show them),
    an organisation's chosen ones that are still public."""
    if actor.is_resident:
        if not actor.show_initiatives or actor.person is None:
            return []
        return list(participations(actor.person).select_related("territory")[:20])
    return list(actor.initiatives.filter(is_public=True).select_related("territory").order_by("title", "pk")[:20])


def pending_actors(user: User) -> QuerySet[Actor]:
    """Entries waiting for validation in the agent's quartiers."""
    return (
        Actor.objects.filter(state=Actor.State.PENDING, territory__in=territories_in_scope(user, AGENTS))
        .select_related("territory")
        .order_by("created_at", "pk")
    )


def moderated_actors(user: User) -> QuerySet[Actor]:
    return (
        Actor.objects.exclude(state=Actor.State.PENDING)
        .filter(territory__in=territories_in_scope(user, AGENTS))
        .select_related("territory")
        .order_by("-updated_at", "-pk")
    )


def actors_of(initiative: Initiative) -> list[Actor]:
    """Published entries that show this initiative: organisations that chose it, and residents
    taking part in it who chose to show their initiatives."""
    people = {initiative.holder_id} if initiative.holder_id is not None else set()
    people |= set(initiative.co_holders.values_list("person_id", flat=True))
    people |= set(initiative.offers.values_list("person_id", flat=True))
    residents = Q(kind=Actor.Kind.RESIDENT, show_initiatives=True, person_id__in=people)
    organisations = Q(kind__in=ORGANISATIONS, initiatives=initiative)
    queryset = Actor.objects.filter(state=Actor.State.PUBLISHED).filter(residents | organisations)
    return list(queryset.distinct().order_by("name", "pk")[:20])
