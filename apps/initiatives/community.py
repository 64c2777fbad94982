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
from apps.initiatives.models import HelpOffer, Initiative, TimeGiven
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
    """Whose time may be recorded on the project: its holder and the people who joined it."""
    from apps.accounts.models import User

    ids = set(HelpOffer.objects.filter(initiative=initiative).values_list("person_id", flat=True))
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
