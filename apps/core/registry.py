"""The module registry: each participatory module declares itself with a manifest.

A phase of a process hosts one module and one of its phase kinds; the phase kind says
which actions are open while the phase runs. Open data exports are declared here too,
so that later modules (budgets, sortition, workshops...) add theirs without touching
the open data app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

    from apps.core.models import Process

# An export yields flat rows (dicts of JSON-serialisable values); ``process`` is None for
# the platform-wide export. Rows must never contain personal data.
ExportRows = Callable[["Process | None"], Iterator[Mapping[str, Any]]]


@dataclass(frozen=True)
class PhaseKind:
    name: str
    verbose_name: _StrOrPromise
    allows: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class ExportSpec:
    rows: ExportRows
    fields: tuple[str, ...]
    verbose_name: _StrOrPromise


@dataclass(frozen=True)
class ModuleManifest:
    name: str
    verbose_name: _StrOrPromise
    actions: frozenset[str]
    phases: tuple[PhaseKind, ...]
    exports: Mapping[str, ExportSpec] = field(default_factory=dict)

    def phase_kind(self, name: str) -> PhaseKind | None:
        return next((kind for kind in self.phases if kind.name == name), None)

    def __post_init__(self) -> None:
        for kind in self.phases:
            unknown = kind.allows - self.actions
            if unknown:
                raise ValueError(f"{self.name}.{kind.name} allows undeclared actions {sorted(unknown)}")


_REGISTRY: dict[str, ModuleManifest] = {}


def register(manifest: ModuleManifest) -> ModuleManifest:
    existing = _REGISTRY.get(manifest.name)
    if existing is not None and existing != manifest:
        raise ValueError(f"module {manifest.name!r} is already registered")
    _REGISTRY[manifest.name] = manifest
    return manifest


def get_manifest(name: str) -> ModuleManifest | None:
    return _REGISTRY.get(name)


def all_manifests() -> Iterable[ModuleManifest]:
    return sorted(_REGISTRY.values(), key=lambda manifest: manifest.name)


def module_choices() -> list[tuple[str, str]]:
    return [(manifest.name, str(manifest.verbose_name)) for manifest in all_manifests()]


def phase_kind_choices() -> list[tuple[str, str]]:
    return [
        (f"{manifest.name}:{kind.name}", f"{manifest.verbose_name} — {kind.verbose_name}")
        for manifest in all_manifests()
        for kind in manifest.phases
    ]


def all_exports() -> Iterable[tuple[str, ExportSpec]]:
    for manifest in all_manifests():
        yield from sorted(manifest.exports.items())
