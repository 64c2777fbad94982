"""The sortition module declares itself (actions, phase kinds, open data exports)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.registry import ExportSpec, ModuleManifest, PhaseKind, register
from apps.sortition import exports
from apps.sortition.participation import participation
from apps.sortition.personal_data import PERSONAL_DATA

MANIFEST = register(
    ModuleManifest(
        name="sortition",
        verbose_name=_("Tirage au sort"),
        actions=frozenset({"volunteer"}),
        phases=(
            PhaseKind("volunteers", _("Appel à volontaires"), allows=frozenset({"volunteer"})),
            PhaseKind("draw", _("Tirage au sort"), allows=frozenset()),
        ),
        exports={
            "draws": ExportSpec(exports.draw_rows, exports.DRAW_FIELDS, _("Tirages au sort publiés")),
            "draw_quotas": ExportSpec(
                exports.quota_rows, exports.QUOTA_FIELDS, _("Tirages au sort : quotas et effectifs obtenus")
            ),
            "draw_members": ExportSpec(
                exports.member_rows,
                exports.MEMBER_FIELDS,
                _("Tirages au sort : probabilités de sélection (pseudonymisées)"),
            ),
        },
        personal_data=PERSONAL_DATA,
        participation=participation,
    )
)
