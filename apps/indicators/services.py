"""Writes of the indicators module: the import of reference populations, the thresholds."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction

from apps.core.models import audit
from apps.core.rules_kit import require
from apps.indicators import insee, rules
from apps.indicators.models import CatalogueIndicator, ReferencePopulation, Structure, Thresholds

if TYPE_CHECKING:
    from apps.accounts.models import User


def reference_import(*, actor: User | None, raw: bytes) -> insee.Parsed:
    """Import an INSEE table by IRIS (:mod:`apps.indicators.insee`): the year's figures of
    every quartier named in the file are replaced, all or nothing. ``actor`` None is the
    management command (run by whoever holds the server)."""
    if actor is not None:
        require(rules.can_manage_reference(actor))
    parsed = insee.parse(raw)
    with transaction.atomic():
        ReferencePopulation.objects.filter(year=parsed.year, territory_id__in=list(parsed.figures)).delete()
        ReferencePopulation.objects.bulk_create(
            [
                ReferencePopulation(
                    territory_id=territory_id, year=parsed.year, dimension=dimension, value=value, count=round(figure)
                )
                for territory_id, figures in sorted(parsed.figures.items())
                for (dimension, value), figure in sorted(figures.items())
            ]
        )
        if actor is not None:
            first = ReferencePopulation.objects.filter(year=parsed.year).order_by("pk").first()
            if first is not None:
                audit(actor, "indicators.reference_import", first, year=parsed.year, quartiers=len(parsed.figures))
    return parsed


@transaction.atomic
def thresholds_update(*, actor: User, min_ratio: Decimal, min_participants: int) -> Thresholds:
    require(rules.can_manage_reference(actor))
    thresholds = Thresholds.objects.select_for_update().order_by("pk").first() or Thresholds()
    thresholds.min_ratio = min_ratio
    thresholds.min_participants = min_participants
    thresholds.full_clean()
    thresholds.save()
    audit(actor, "indicators.thresholds", thresholds, min_ratio=str(min_ratio), min_participants=min_participants)
    return thresholds


@transaction.atomic
def catalogue_save(*, actor: User, measure: str, title: str, definition: str, order: int) -> CatalogueIndicator:
    """Add an indicator to the city's catalogue, or rename and redefine it (one per measure)."""
    require(rules.can_manage_catalogue(actor))
    item = CatalogueIndicator.objects.select_for_update().filter(measure=measure).first() or CatalogueIndicator(
        measure=measure
    )
    item.title, item.definition, item.order = title, definition, order
    item.full_clean()
    item.save()
    audit(actor, "indicators.catalogue", item, measure=measure)
    return item


@transaction.atomic
def structure_choose(*, actor: User, structure: Structure, indicators: list[CatalogueIndicator]) -> Structure:
    """The structure's own set of indicators for its dashboard (its agents choose)."""
    require(rules.can_edit_structure(actor, structure))
    structure.indicators.set(indicators)
    audit(actor, "indicators.structure_choice", structure, indicators=sorted(item.measure for item in indicators))
    return structure
