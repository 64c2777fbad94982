"""The sortition module declares itself: actions, phase kinds, open data exports, URLs, its panel
on process pages, its links (public footer, back office), its demo."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.registry import (
    DemoBuilder,
    ExportSpec,
    ModuleManifest,
    NavEntry,
    PhaseKind,
    ProcessPanel,
    everyone,
    register,
)
from apps.sortition import demo, exports, inbox, panels, rules
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
        urls="apps.sortition.urls",
        url_prefix="tirages/",
        backoffice_urls="apps.sortition.backoffice_urls",
        backoffice_prefix="tirages/",
        process_panels=(
            ProcessPanel(_("Tirage au sort"), "sortition/_process_panel.html", panels.process_panel, order=30),
        ),
        nav=(
            NavEntry(_("Tirages au sort"), "sortition:list", everyone, area="public", order=30),
            NavEntry(
                _("Tirages au sort"), "sortition_admin:list", rules.can_list_draws_admin, area="backoffice", order=10
            ),
        ),
        # After the budgets (same random draws as before); the workshops use the draws.
        demo=DemoBuilder(demo.build, order=30),
        todo=inbox.todo,
        search=inbox.search,
        personal_data=PERSONAL_DATA,
        participation=participation,
        records_events=True,
    )
)
