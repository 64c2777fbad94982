"""Consultations (issue 13). What has landed is the opinion-map engine (``opinion/``), the Polis
openData interchange (``polis_csv``) and the ``opinion_map`` command: no model, no page yet, so
the module declares no URL, export or personal data."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.registry import ModuleManifest, register

MANIFEST = register(
    ModuleManifest(
        name="consultations",
        verbose_name=_("Consultations"),
        actions=frozenset(),
        phases=(),
    )
)
