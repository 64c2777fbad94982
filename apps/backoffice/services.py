"""Writes of the back office that no module service covers: processes with their phases.
Keyword-only, validated, atomic, audited."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from apps.backoffice import access
from apps.core.backoffice_kit import AGENTS, territories_in_scope
from apps.core.covers import cover_apply
from apps.core.models import Phase, Process, Theme, audit
from apps.core.registry import get_manifest
from apps.core.rules_kit import require

if TYPE_CHECKING:
    from apps.accounts.models import User

PROCESS_FIELDS = (
    "title",
    "summary",
    "description",
    "territory",
    "participation_level",
    "rules_open",
    "rules_closed",
    "rules_decider",
    "rules_use",
    "answer_due",
    "falc_summary",
    "is_published",
)


@dataclass(frozen=True)
class PhaseData:
    """One row of the phases formset; ``pk`` is None for a new phase."""

    pk: int | None
    module: str
    kind: str
    title: str
    description: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    delete: bool = False


def _unique_slug(title: str, slug: str, exclude_pk: int | None) -> str:
    base = slugify(slug or title)[:190] or "demarche"
    candidate, counter = base, 2
    others = Process.objects.exclude(pk=exclude_pk) if exclude_pk is not None else Process.objects.all()
    while others.filter(slug=candidate).exists():
        candidate = f"{base}-{counter}"
        counter += 1
    return candidate


def _validate_phases(phases: Sequence[PhaseData]) -> None:
    """Same checks as the formset, repeated here because the service is the guarantee."""
    kept = [phase for phase in phases if not phase.delete]
    for phase in kept:
        manifest = get_manifest(phase.module)
        if manifest is None or manifest.phase_kind(phase.kind) is None:
            raise ValidationError(_("Type d'étape inconnu : %(kind)s.") % {"kind": f"{phase.module}:{phase.kind}"})
        if phase.ends_at <= phase.starts_at:
            raise ValidationError(
                _("La fin de l'étape « %(title)s » doit venir après son début.") % {"title": phase.title}
            )
    for module in {phase.module for phase in kept}:
        ordered = sorted((p for p in kept if p.module == module), key=lambda p: p.starts_at)
        for previous, current in itertools.pairwise(ordered):
            if current.starts_at < previous.ends_at:
                raise ValidationError(
                    _("Les étapes « %(first)s » et « %(second)s » du même module se chevauchent.")
                    % {"first": previous.title, "second": current.title}
                )


@transaction.atomic
def process_save(
    *,
    actor: User,
    process: Process | None,
    values: Mapping[str, Any],
    slug: str = "",
    themes: Iterable[Theme] = (),
    phases: Sequence[PhaseData] = (),
    cover: Mapping[str, Any] | None = None,
) -> Process:
    """Create (``process=None``) or update a process and its phases, in one transaction.
    ``cover`` holds the keyword arguments of ``apps.core.covers.cover_apply`` (the form's
    ``cover_values()``): a new picture, its description, or its removal."""
    creating = process is None
    territory = values["territory"]
    # The new territory must be in the actor's scope, and so must the current one when editing.
    require(territories_in_scope(actor, AGENTS).filter(pk=territory.pk).exists())
    original: Process | None = None
    if process is None:
        process = Process()
    else:
        # Re-read: a bound ModelForm has already copied the new values onto ``process``.
        original = Process.objects.select_related("territory").get(pk=process.pk)
        require(access.can_edit_process(actor, original))
    changed = [name for name in PROCESS_FIELDS if original is None or getattr(original, name) != values[name]]
    for name in PROCESS_FIELDS:
        setattr(process, name, values[name])
    process.slug = _unique_slug(process.title, slug or process.slug, process.pk)
    if cover is not None and cover_apply(process, **cover):
        changed.append("cover")
    if original is not None and original.cover_alt != process.cover_alt:
        changed.append("cover_alt")
    process.full_clean()
    process.save()
    process.themes.set(list(themes))

    _validate_phases(phases)
    existing = {phase.pk: phase for phase in process.phases.all()}
    phase_changes = 0
    for data in phases:
        if data.pk is not None and data.pk not in existing:
            raise PermissionDenied  # a phase of another process smuggled into the form
        if data.delete:
            if data.pk is not None:
                existing[data.pk].delete()
                phase_changes += 1
            continue
        phase = existing.get(data.pk) if data.pk is not None else None
        phase = phase or Phase(process=process)
        phase.module, phase.kind = data.module, data.kind
        phase.title, phase.description = data.title.strip(), data.description.strip()
        if phase.start_announced_at is not None and data.starts_at > timezone.now():
            phase.start_announced_at = None  # postponed after its start was announced: announce it again
        phase.starts_at, phase.ends_at = data.starts_at, data.ends_at
        phase.full_clean()
        phase.save()
        phase_changes += 1
    audit(
        actor,
        "process.create" if creating else "process.update",
        process,
        fields=changed,
        phases_changed=phase_changes,
    )
    return process
