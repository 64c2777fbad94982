"""Test parts found by convention from the registered module manifests.

A module plugs into the shared test harnesses (the security matrix, the axe screens) the same way
it plugs into the platform: through its manifest. For a manifest named ``X``, the part is
``<tests package>.X`` when it exists (the tests of the first modules live in the tests tree), else
``<X's app package>.<leaf>`` (a new module, or a test module living in the tests tree, ships its
part next to its code). No list to edit: registering the manifest is enough.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

from django.apps import apps

from apps.core.registry import ModuleManifest, all_manifests


def app_package(manifest: ModuleManifest) -> str | None:
    """The Python package of the app that registered ``manifest`` (the app's label or the last
    part of its dotted name is the manifest's name), or None."""
    for config in apps.get_app_configs():
        if manifest.name in (config.label, config.name.rsplit(".", 1)[-1]):
            return config.name
    return None


def _find(module_name: str) -> ModuleType | None:
    try:
        spec = importlib.util.find_spec(module_name)
    except ModuleNotFoundError:  # a parent package does not exist
        return None
    return importlib.import_module(module_name) if spec is not None else None


def discover_parts(
    tests_package: str, app_leaf: str, manifests: list[ModuleManifest] | None = None
) -> dict[str, ModuleType]:
    """Per manifest name (in manifest order), ``<tests_package>.X`` if it exists, else
    ``<app package>.<app_leaf>``; manifests with neither are left out."""
    found: dict[str, ModuleType] = {}
    for manifest in manifests if manifests is not None else list(all_manifests()):
        module = _find(f"{tests_package}.{manifest.name}")
        if module is None:
            package = app_package(manifest)
            module = _find(f"{package}.{app_leaf}") if package is not None else None
        if module is not None:
            found[manifest.name] = module
    return found
