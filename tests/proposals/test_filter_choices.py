"""The list filters' choices, read with prepared statements, are the ORM's choices."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from apps.core.models import Process, Territory, Theme
from apps.proposals.forms import filter_choices, process_themes
from apps.proposals.placement import process_territories
from tests.factories import TerritoryFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def _orm(process: Process) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    territories = [(t.slug, t.name) for t in process_territories(process)]
    return territories, [(t.slug, t.name) for t in process_themes(process)]


def test_choices_are_the_process_territories_and_themes(process_in_phase: Callable[..., Process], theme: Theme) -> None:
    process = process_in_phase("collect")
    quartier = TerritoryFactory.create(name="Zola", kind=Territory.Kind.QUARTIER, parent=process.territory)
    TerritoryFactory.create(name="Procé", kind=Territory.Kind.MICRO, parent=quartier)
    TerritoryFactory.create(name="Ailleurs", kind=Territory.Kind.QUARTIER)  # outside the process
    process.themes.add(theme, ThemeFactory.create(name="Climat", slug="climat"))
    ThemeFactory.create(name="Sport", slug="sport")  # not the process's
    territories, themes = filter_choices(process)
    assert (territories, themes) == _orm(process)
    assert themes == [("climat", "Climat"), ("mobilites", "Mobilités")]
    names = {name for _slug, name in territories}
    assert {"Zola", "Procé", process.territory.name} <= names and "Ailleurs" not in names


def test_a_process_without_themes_offers_every_theme(process_in_phase: Callable[..., Process]) -> None:
    process = process_in_phase("collect")
    process.themes.clear()
    ThemeFactory.create(name="Sport", slug="sport")
    ThemeFactory.create(name="Climat", slug="climat")
    territories, themes = filter_choices(process)
    assert (territories, themes) == _orm(process)
    assert themes == [(theme.slug, theme.name) for theme in Theme.objects.order_by("name")] and len(themes) >= 2
