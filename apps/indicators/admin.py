"""The structures (and their agents) are created by a city administrator in the Django admin;
the catalogue has its own back-office page, mirrored here."""

from __future__ import annotations

from django.contrib import admin

from apps.indicators.models import CatalogueIndicator, Structure


@admin.register(CatalogueIndicator)
class CatalogueIndicatorAdmin(admin.ModelAdmin[CatalogueIndicator]):
    list_display = ["title", "measure", "order"]


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin[Structure]):
    list_display = ["name", "kind", "territory"]
    filter_horizontal = ["agents", "indicators"]
