"""The test module declares itself: this manifest is its only link to the platform."""

from __future__ import annotations

from apps.core.personal_data import Fate, Holding
from apps.core.registry import (
    AccountSection,
    DemoBuilder,
    ExportSpec,
    ModuleManifest,
    NavEntry,
    PersonalData,
    PhaseKind,
    ProcessPanel,
    everyone,
    register,
)
from tests.plugcheck import panels, rules

MANIFEST = register(
    ModuleManifest(
        name="plugcheck",
        verbose_name="Module témoin",
        actions=frozenset({"pledge"}),
        phases=(PhaseKind("pledging", "Promesses", allows=frozenset({"pledge"})),),
        exports={"plugcheck_pledges": ExportSpec(panels.pledge_rows, panels.PLEDGE_FIELDS, "Promesses témoin")},
        urls="tests.plugcheck.urls",
        url_prefix="essai/",
        backoffice_urls="tests.plugcheck.backoffice_urls",
        backoffice_prefix="essai/",
        process_panels=(
            ProcessPanel(
                "Promesses témoin",
                "plugcheck/_process_panel.html",
                panels.process_panel,
                order=90,
                backoffice_url_name="plugcheck_admin:process",
                backoffice_rule=rules.can_see_process_pledges,
            ),
        ),
        nav=(
            NavEntry("Module témoin", "plugcheck:index", everyone, area="public", order=90),
            NavEntry("Module témoin (gestion)", "plugcheck_admin:index", rules.can_use_backoffice, area="backoffice"),
            NavEntry("Mes promesses témoin", "plugcheck:mine", rules.is_signed_in, area="account"),
        ),
        account_sections=(AccountSection("Mes promesses", "plugcheck/_account_section.html", panels.account_section),),
        personal_data=PersonalData(
            holdings=(
                Holding(
                    "plugcheck.Pledge",
                    ("author",),
                    "plugcheck_pledges",
                    Fate.UNLINKED,
                    "The pledge stays, tied to nobody.",
                ),
            ),
            export=panels.export_for,
            labels={"plugcheck_pledges": "Promesses témoin"},
        ),
        timeline=panels.timeline,
        participation=panels.participation,
        demo=DemoBuilder(panels.build_demo, order=1000),
    )
)
