"""Petitions, interpellation, auto-saisine and agoras éphémères declare themselves: public and
back-office URLs, links, open data (petitions with counts per quartier, answers and routes,
agoras' action plans — no names), personal data, participation figures and the demo."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.registry import DemoBuilder, ExportSpec, ModuleManifest, NavEntry, everyone, register
from apps.petitions import demo, exports, rules
from apps.petitions.participation import participation
from apps.petitions.personal_data import PERSONAL_DATA

MANIFEST = register(
    ModuleManifest(
        name="petitions",
        verbose_name=_("Pétitions et agoras éphémères"),
        actions=frozenset(),
        phases=(),
        exports={
            "petitions": ExportSpec(
                exports.petition_rows, exports.PETITION_FIELDS, _("Pétitions, réponses et suites données")
            ),
            "petition_signature_counts": ExportSpec(
                exports.count_rows, exports.COUNT_FIELDS, _("Signatures des pétitions par quartier et par canal")
            ),
            "agora_actions": ExportSpec(
                exports.action_rows, exports.ACTION_FIELDS, _("Plans d'action des agoras éphémères")
            ),
        },
        urls="apps.petitions.urls",
        url_prefix="petitions/",
        backoffice_urls="apps.petitions.backoffice_urls",
        backoffice_prefix="petitions/",
        nav=(
            NavEntry(_("Pétitions et interpellations"), "petitions:list", everyone, area="public", order=25),
            NavEntry(
                _("Pétitions et agoras éphémères"),
                "petitions_admin:list",
                rules.can_use_backoffice,
                area="backoffice",
                order=35,
            ),
        ),
        personal_data=PERSONAL_DATA,
        participation=participation,
        demo=DemoBuilder(demo.build, order=60),
    )
)
