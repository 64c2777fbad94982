"""The indicators module declares itself: public pages (``/indicateurs/``), back office
(``/gestion/indicateurs/``), its panel and tab on processes, its open data (protected tables),
its demo. It records no participation of its own: it reads the core's participation events
and, for the modules that record none, their manifest's counts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.registry import (
    DemoBuilder,
    ExportSpec,
    ModuleManifest,
    NavEntry,
    ProcessPanel,
    everyone,
    register,
)
from apps.indicators import demo, exports, panels, rules, selectors
from apps.indicators.personal_data import PERSONAL_DATA

MANIFEST = register(
    ModuleManifest(
        name="indicators",
        verbose_name=_("Indicateurs de participation"),
        personal_data=PERSONAL_DATA,
        actions=frozenset(),
        phases=(),
        exports={
            "participation_representativeness": ExportSpec(
                exports.representativeness_rows,
                exports.FIELDS,
                _("Représentativité des participants (âge, genre, QPV), par année, secret statistique appliqué"),
            ),
            "participation_barometer": ExportSpec(
                exports.barometer_rows,
                exports.BAROMETER_FIELDS,
                _("Baromètre de confiance (entendu, réponse claire), par année, moins de 11 avis non publiés"),
            ),
        },
        urls="apps.indicators.urls",
        url_prefix="indicateurs/",
        backoffice_urls="apps.indicators.backoffice_urls",
        backoffice_prefix="indicateurs/",
        process_panels=(
            ProcessPanel(
                _("Qui participe ?"),
                "indicators/_process_panel.html",
                panels.process_panel,
                order=90,
                backoffice_url_name="indicators_admin:process",
                backoffice_rule=rules.can_read_process_indicators,
            ),
        ),
        nav=(
            NavEntry(_("Indicateurs de participation"), "indicators:index", everyone, area="public", order=60),
            NavEntry(_("Cahiers de la participation"), "indicators:cahiers", everyone, area="public", order=61),
            NavEntry(
                _("Indicateurs de participation"),
                "indicators_admin:index",
                rules.can_read_indicators,
                area="backoffice",
                order=60,
                description=_("Qui participe, qui manque, alertes pendant les démarches ouvertes."),
            ),
        ),
        reference_population=selectors.reference_counts,
        demo=DemoBuilder(demo.build, order=200),  # after every module's processes
    )
)
