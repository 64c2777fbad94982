"""The accounts app is foundation, not a participatory module: its manifest has no phase and
declares only the personal data the platform itself holds (the account, roles, Django's
and core's tables), read by the RGPD export, deletion and completeness test."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.accounts.personal_data import PERSONAL_DATA
from apps.core.registry import ModuleManifest, register

MANIFEST = register(
    ModuleManifest(
        name="accounts",
        verbose_name=_("Comptes"),
        actions=frozenset(),
        phases=(),
        personal_data=PERSONAL_DATA,
    )
)
