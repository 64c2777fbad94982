"""The notifications app is foundation, not a participatory module: its manifest has no phase
and declares only the personal data it holds (follows, notifications)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.registry import ModuleManifest, register
from apps.notifications.personal_data import PERSONAL_DATA

MANIFEST = register(
    ModuleManifest(
        name="notifications",
        verbose_name=_("Notifications"),
        actions=frozenset(),
        phases=(),
        personal_data=PERSONAL_DATA,
    )
)
