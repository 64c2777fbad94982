"""Writes of agoras éphémères: create, stakeholders, 2–4 sittings (shared ``sittings``), the
diagnosis, the action plan, and the dated close that turns every action into a commitment of
the follow-up, and the invitations of the stakeholders. Keyword-only, validated, atomic; each
requires its rule again."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.models import Process, Service, Territory, audit
from apps.core.rules_kit import require
from apps.followup.services import commitment_from_source
from apps.petitions import rules
from apps.petitions.models import ActionItem, Agora, Petition, Stakeholder
from apps.petitions.tasks import send_invitation
from apps.sittings.models import Sitting
from apps.sittings.services import sitting_create, sitting_update

if TYPE_CHECKING:
    from apps.accounts.models import User


def _open(agora: Agora) -> Agora:
    locked = Agora.objects.select_for_update().get(pk=agora.pk)
    if locked.state != Agora.State.OPEN:
        raise ValidationError(_("Cette agora est close : elle ne change plus."))
    return locked


@transaction.atomic
def agora_create(
    *,
    actor: User,
    title: str,
    problem: str,
    territory: Territory,
    process: Process,
    petition: Petition | None = None,
) -> Agora:
    require(rules.can_create_agora(actor))
    agora = Agora(title=title.strip(), problem=problem.strip(), territory=territory, process=process, petition=petition)
    require(rules.can_manage_agora(actor, agora))
    agora.full_clean()
    agora.save()
    audit(actor, "agora.create", agora)
    return agora


@transaction.atomic
def agora_update(*, actor: User, agora: Agora, title: str, problem: str, diagnosis: str, is_published: bool) -> Agora:
    require(rules.can_manage_agora(actor, agora))
    agora = _open(agora)
    agora.title, agora.problem, agora.diagnosis = title.strip(), problem.strip(), diagnosis.strip()
    agora.is_published = is_published
    agora.full_clean()
    agora.save()
    audit(actor, "agora.update", agora)
    return agora


@transaction.atomic
def stakeholder_add(
    *,
    actor: User,
    agora: Agora,
    kind: str,
    organisation: str = "",
    contact_name: str = "",
    name_is_public: bool = False,
    email: str = "",
    invited_on: datetime.date | None = None,
) -> Stakeholder:
    require(rules.can_manage_agora(actor, agora))
    agora = _open(agora)
    if not organisation.strip() and not contact_name.strip():
        raise ValidationError({"organisation": _("Indiquez une organisation ou le nom d'une personne.")})
    stakeholder = Stakeholder(
        agora=agora,
        kind=kind,
        organisation=organisation.strip(),
        contact_name=contact_name.strip(),
        name_is_public=name_is_public,
        email=email.strip(),
        invited_on=invited_on,
    )
    stakeholder.full_clean()
    stakeholder.save()
    return stakeholder


@transaction.atomic
def stakeholder_invite(*, actor: User, stakeholder: Stakeholder) -> Stakeholder:
    """Send the stakeholder the invitation: the problem, the sittings planned (date, place) and
    the agora's page; the day is kept (« invitée le »). Sent again after a new sitting."""
    require(rules.can_manage_agora(actor, stakeholder.agora))
    agora = _open(stakeholder.agora)
    if not stakeholder.email:
        raise ValidationError(
            _("Ajoutez d'abord l'adresse électronique de cette partie prenante, ou invitez-la par courrier.")
        )
    stakeholder.invited_on = timezone.localdate()
    stakeholder.save(update_fields=["invited_on"])
    audit(actor, "petitions.stakeholder_invite", agora, stakeholder=stakeholder.pk)
    transaction.on_commit(lambda: send_invitation(stakeholder.pk))
    return stakeholder


@transaction.atomic
def agora_sitting_add(
    *,
    actor: User,
    agora: Agora,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime | None,
    place: str,
    agenda: str,
) -> Sitting:
    """A sitting of the agora: at most four (the agora is short by design)."""
    require(rules.can_manage_agora(actor, agora))
    agora = _open(agora)
    if agora.sittings.count() >= Agora.MAX_SITTINGS:
        raise ValidationError(_("Une agora éphémère se réunit au plus quatre fois."))
    sitting = sitting_create(
        body=agora, title=title, starts_at=starts_at, ends_at=ends_at, place=place, agenda=agenda, is_published=True
    )
    audit(actor, "agora.sitting_add", agora, sitting_id=sitting.pk)
    return sitting


@transaction.atomic
def agora_minutes_save(*, actor: User, agora: Agora, sitting: Sitting, minutes: str) -> Sitting:
    require(rules.can_manage_agora(actor, agora) and sitting.belongs_to(agora))
    _open(agora)
    return sitting_update(sitting=sitting, minutes=minutes)


@transaction.atomic
def action_add(
    *,
    actor: User,
    agora: Agora,
    title: str,
    description: str = "",
    service: Service | None = None,
    planned_date: datetime.date | None = None,
) -> ActionItem:
    require(rules.can_manage_agora(actor, agora))
    agora = _open(agora)
    item = ActionItem(
        agora=agora, title=title.strip(), description=description.strip(), service=service, planned_date=planned_date
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def agora_close(*, actor: User, agora: Agora, report: str, closed_on: datetime.date) -> Agora:
    """Close with a dated report: 2 to 4 sittings held, a shared diagnosis and an action plan;
    each action becomes a commitment of the follow-up, « fait avec les habitants »."""
    require(rules.can_manage_agora(actor, agora))
    agora = _open(agora)
    errors: dict[str, str] = {}
    if not report.strip():
        errors["report"] = _("Le rapport de clôture dit ce qui a été tenté et décidé.")
    if agora.sittings.count() < Agora.MIN_SITTINGS:
        errors["__all__"] = _("Une agora éphémère se réunit au moins deux fois avant de se clore.")
    elif not agora.diagnosis.strip():
        errors["__all__"] = _("Rédigez le diagnostic partagé avant de clore l'agora.")
    elif not agora.actions.exists():
        errors["__all__"] = _("Le plan d'action est vide : ajoutez au moins une action.")
    if errors:
        raise ValidationError(errors)
    for item in agora.actions.select_related("service").order_by("pk"):
        commitment = commitment_from_source(
            actor=actor,
            source=item,
            process=agora.process,
            title=item.title,
            description=item.description,
            territory=agora.territory,
            service=item.service,
        )
        commitment.made_with_residents = True
        commitment.planned_date = item.planned_date
        commitment.save(update_fields=["made_with_residents", "planned_date"])
        item.commitment = commitment
        item.save(update_fields=["commitment"])
    agora.state, agora.report, agora.closed_on = Agora.State.CLOSED, report.strip(), closed_on
    agora.full_clean()
    agora.save()
    audit(actor, "agora.close", agora)
    return agora
