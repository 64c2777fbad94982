"""Writes of the « rejoindre », time-given and récit part of the initiatives module.

News go through the shared notifications: whoever follows the initiative (or its quartier) hears
of its realisation and its récit; the holder hears that someone joined."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.models import audit
from apps.initiatives import rules
from apps.initiatives.models import CoHolder, HelpOffer, Initiative, Step, TimeGiven
from apps.notifications.models import Notification
from apps.notifications.services import followers_of, notify

if TYPE_CHECKING:
    from apps.accounts.models import User


@transaction.atomic
def help_offer(*, person: User, initiative: Initiative, skills: str, message: str = "", contact: str = "") -> HelpOffer:
    """« Rejoindre »: the person offers help; the holder is told (never the public who)."""
    if not rules.can_join(person, initiative):
        raise ValidationError(_("Vous ne pouvez pas rejoindre ce projet."))
    if not skills.strip():
        raise ValidationError({"skills": _("Dites en quelques mots ce que vous pouvez apporter.")})
    offer = HelpOffer(
        initiative=initiative, person=person, skills=skills.strip(), message=message.strip(), contact=contact.strip()
    )
    offer.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            offer.save()
    except IntegrityError as error:
        raise ValidationError(_("Vous avez déjà proposé votre aide à ce projet.")) from error
    if initiative.holder_id is not None:
        notify(
            user_ids=[initiative.holder_id],
            kind=Notification.Kind.STATUS,
            title=_("Quelqu'un propose son aide à « %(title)s »") % {"title": initiative.title},
            url=initiative.get_absolute_url() + "temps/",
        )
    audit(person, "initiative.join", initiative)
    return offer


def time_people(initiative: Initiative) -> list[User]:
    """Whose time may be recorded on the project: its holders and the people who joined it."""
    from apps.accounts.models import User

    ids = set(HelpOffer.objects.filter(initiative=initiative).values_list("person_id", flat=True))
    ids |= set(CoHolder.objects.filter(initiative=initiative).values_list("person_id", flat=True))
    if initiative.holder_id is not None:
        ids.add(initiative.holder_id)
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("display_name", "pk"))


@transaction.atomic
def time_record(
    *,
    actor: User,
    initiative: Initiative,
    person: User,
    day: datetime.date,
    hours: Decimal,
    activity: str,
    skills: str,
) -> TimeGiven:
    """Record hours given to the project by its holder or someone who joined it."""
    if not rules.can_record_time(actor, initiative):
        raise ValidationError(_("Seul·es le porteur ou la porteuse du projet et les agent·es enregistrent le temps."))
    if person.pk not in {p.pk for p in time_people(initiative)}:
        raise ValidationError({"person": _("Cette personne n'a pas rejoint le projet.")})
    if day > timezone.localdate():
        raise ValidationError({"day": _("Le temps donné s'enregistre une fois donné : la date est dans le futur.")})
    if (hours * 4) % 1:
        raise ValidationError({"hours": _("Comptez les heures par quarts d'heure, par exemple 2 ou 2,5.")})
    entry = TimeGiven(
        initiative=initiative,
        person=person,
        day=day,
        hours=hours,
        activity=activity.strip(),
        skills=skills.strip(),
        recorded_by=actor,
    )
    entry.full_clean()
    entry.save()
    audit(actor, "initiative.time", initiative, hours=str(hours))
    return entry


@transaction.atomic
def story_tell(*, actor: User, initiative: Initiative, story: str) -> Initiative:
    """Publish (or correct) the récit of a realised project; its followers hear of the first one."""
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if not rules.can_tell_story(actor, initiative):
        raise ValidationError(_("Le récit se raconte une fois le projet réalisé, par son porteur ou sa porteuse."))
    if len(story.strip()) < 40:
        raise ValidationError({"story": _("Racontez le projet en quelques phrases (40 caractères au moins).")})
    first = initiative.story_at is None
    initiative.story = story.strip()
    initiative.story_at = initiative.story_at or timezone.now()
    initiative.full_clean()
    initiative.save(update_fields=["story", "story_at"])
    if first and initiative.is_public:
        notify(
            user_ids=followers_of(initiative),
            kind=Notification.Kind.STATUS,
            title=_("Le récit de « %(title)s » est publié") % {"title": initiative.title},
            url=initiative.get_absolute_url() + "#recit",
            exclude=actor.pk,
        )
    audit(actor, "initiative.story", initiative)
    return initiative


def _co_hold(initiative: Initiative, person: User, actor: User) -> bool:
    """Make ``person`` a co-holder of ``initiative``; False when they already hold it."""
    if person.pk == initiative.holder_id:
        return False
    _row, created = CoHolder.objects.get_or_create(initiative=initiative, person=person, defaults={"added_by": actor})
    return created


@transaction.atomic
def co_holder_add(*, actor: User, initiative: Initiative, person: User) -> CoHolder:
    """The holder makes someone who joined the project a co-holder."""
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if not rules.can_add_co_holder(actor, initiative):
        raise ValidationError(
            _("Seul·es le porteur ou la porteuse du projet et les agent·es ajoutent un·e co-porteur·se.")
        )
    if not HelpOffer.objects.filter(initiative=initiative, person=person).exists():
        raise ValidationError(_("Cette personne n'a pas rejoint le projet."))
    if not _co_hold(initiative, person, actor):
        raise ValidationError(_("Cette personne porte déjà le projet."))
    Step.objects.create(
        initiative=initiative,
        kind=Step.Kind.NOTE,
        at=timezone.now(),
        actor=None,
        note=_("Un·e co-porteur·se rejoint le projet."),
    )
    notify(
        user_ids=[person.pk],
        kind=Notification.Kind.STATUS,
        title=_("Vous portez maintenant « %(title)s »") % {"title": initiative.title},
        url=initiative.get_absolute_url(),
    )
    audit(actor, "initiative.co_holder", initiative, person=person.pk)
    return CoHolder.objects.get(initiative=initiative, person=person)


@transaction.atomic
def initiative_merge(*, actor: User, source: Initiative, target: Initiative) -> Initiative:
    """Regroup ``source`` into ``target``: its holder and co-holders hold ``target`` too, the people
    who joined it are offered to ``target``, and ``source`` closes with a link to ``target``."""
    if source.pk == target.pk:
        raise ValidationError({"target": _("Choisissez une autre idée que celle-ci.")})
    # Both rows locked, lower key first: two merges of the same pair in opposite directions wait.
    locked = {
        i.pk: i for i in Initiative.objects.select_for_update().filter(pk__in=[source.pk, target.pk]).order_by("pk")
    }
    source, target = locked[source.pk], locked[target.pk]
    if not rules.can_merge(actor, source) or not rules.can_manage(actor, target.territory):
        raise ValidationError(_("Vous ne pouvez pas regrouper ces idées."))
    if target.stage == Initiative.Stage.CLOSED or target.merged_into_id is not None:
        raise ValidationError({"target": _("Cette idée est close : choisissez un projet en cours.")})
    if hasattr(source, "decision"):
        raise ValidationError(_("Un dossier déjà décidé ne se regroupe pas."))
    people = [source.holder] if source.holder is not None else []
    people += [row.person for row in source.co_holders.select_related("person")]
    for person in people:
        _co_hold(target, person, actor)
    for offer in source.offers.exclude(person_id__in=target.offers.values("person_id")):
        if offer.person_id != target.holder_id:
            HelpOffer.objects.create(
                initiative=target,
                person=offer.person,
                skills=offer.skills,
                message=offer.message,
                contact=offer.contact,
            )
    now = timezone.now()
    source.merged_into = target
    source.stage = Initiative.Stage.CLOSED
    source.save(update_fields=["merged_into", "stage"])
    Step.objects.create(
        initiative=source,
        kind=Step.Kind.NOTE,
        at=now,
        actor=actor,
        note=_("Regroupée avec « %(title)s ».") % {"title": target.title},
    )
    Step.objects.create(
        initiative=target,
        kind=Step.Kind.NOTE,
        at=now,
        actor=actor,
        note=_("« %(title)s » rejoint ce projet.") % {"title": source.title},
    )
    notify(
        user_ids=[p.pk for p in people],
        kind=Notification.Kind.STATUS,
        title=_("« %(source)s » rejoint « %(target)s » : vous le portez ensemble")
        % {"source": source.title, "target": target.title},
        url=target.get_absolute_url(),
    )
    audit(actor, "initiative.merge", source, into=target.pk)
    return target
