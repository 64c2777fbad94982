"""Petitions, interpellation, auto-saisine and agoras éphémères declare themselves: public and
back-office URLs, links, open data (petitions with counts per quartier, answers and routes,
agoras' action plans — no names), personal data, participation figures and the demo."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from apps.core.registry import AccountSection, DemoBuilder, ExportSpec, ModuleManifest, NavEntry, everyone, register
from apps.petitions import demo, exports, inbox, rules
from apps.petitions.participation import participation
from apps.petitions.personal_data import PERSONAL_DATA

if TYPE_CHECKING:
    from django.http import HttpRequest


def _my_petitions(request: HttpRequest) -> Mapping[str, Any] | None:
    """The person's own petitions (pending ones included: the page shows the committee link)."""
    from apps.petitions.selectors import my_petitions

    petitions = list(my_petitions(request.user)[:50])
    return {"petitions": petitions} if petitions else None


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
        account_sections=(AccountSection(_("Mes pétitions"), "petitions/_account.html", _my_petitions, order=40),),
        personal_data=PERSONAL_DATA,
        participation=participation,
        records_events=True,
        demo=DemoBuilder(demo.build, order=60),
        todo=inbox.todo,
        search=inbox.search,
    )
)
