"""Sittings declare themselves like a module (no phase, no action): what they hold about people.

An attendance names a member of a body (a panel seat, a council seat), never an account: it is
exported with that seat by the module holding it, and stays with the seat when the account is
deleted (the module then erases the seat's names)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.personal_data import Fate, Holding
from apps.core.registry import ModuleManifest, PersonalData, register

HOLDINGS = (
    Holding(
        "sittings.Attendance",
        ("member_type", "member_id"),
        None,
        Fate.KEPT,
        "Exported with the seat it belongs to (panel or council membership), in that module's section; "
        "it stays with the seat, whose names the module erases: attendance is part of the public record "
        "of the body's work.",
    ),
)

MANIFEST = register(
    ModuleManifest(
        name="sittings",
        verbose_name=_("Séances et réunions"),
        actions=frozenset(),
        phases=(),
        personal_data=PersonalData(holdings=HOLDINGS),
    )
)
