"""The initiatives module declares itself: no process phase (residents' initiatives come in at any
time, through one open door), its URLs, its links, open data, personal data, participation
figures, the open doors it adds to the neighbourhood agenda and demo."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.registry import DemoBuilder, ExportSpec, ModuleManifest, NavEntry, everyone, register
from apps.initiatives import delays, demo, exports, inbox, open_doors, rules
from apps.initiatives.followable import INITIATIVE
from apps.initiatives.participation import participation
from apps.initiatives.personal_data import PERSONAL_DATA

MANIFEST = register(
    ModuleManifest(
        name="initiatives",
        verbose_name=_("Initiatives habitantes"),
        actions=frozenset(),
        phases=(),
        exports={
            "initiative_calls": ExportSpec(
                exports.call_rows,
                exports.CALL_FIELDS,
                _("Appels à initiatives : enveloppes, montants accordés et versés"),
            ),
            "initiative_decisions": ExportSpec(
                exports.decision_rows, exports.DECISION_FIELDS, _("Décisions sur les initiatives, montants et motifs")
            ),
        },
        urls="apps.initiatives.urls",
        url_prefix="initiatives/",
        backoffice_urls="apps.initiatives.backoffice_urls",
        backoffice_prefix="initiatives/",
        nav=(
            NavEntry(_("Initiatives habitantes"), "initiatives:home", everyone, area="public", order=30),
            NavEntry(_("Récits d'initiatives"), "initiatives:stories", everyone, area="public", order=31),
            NavEntry(_("Carte des initiatives"), "initiatives:map", everyone, area="public", order=32),
            NavEntry(_("Annuaire des acteurs"), "initiatives:actors", everyone, area="public", order=33),
            NavEntry(_("Portes ouvertes des initiatives"), "initiatives:open_doors", everyone, area="public", order=34),
            NavEntry(
                _("Initiatives habitantes"),
                "initiatives_admin:queue",
                rules.can_read_backoffice,
                area="backoffice",
                order=40,
                description=_("Le guichet unique, les appels et l'annuaire des ressources."),
            ),
            NavEntry(
                _("Annuaire des acteurs"),
                "initiatives_admin:actors",
                rules.can_manage,
                area="backoffice",
                order=41,
                description=_("Valider les associations et collectifs proposés par les habitant·es."),
            ),
            NavEntry(
                _("Ma fiche dans l'annuaire des acteurs"),
                "initiatives:my_entry",
                rules.can_list_self,
                area="account",
                order=60,
            ),
        ),
        personal_data=PERSONAL_DATA,
        followables=(INITIATIVE,),
        participation=participation,
        public_meetings=open_doors.public_meetings,
        todo=inbox.todo,
        service_delays=delays.service_delays,
        demo=DemoBuilder(demo.build, order=60),
    )
)
