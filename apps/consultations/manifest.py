"""The consultations module declares itself: conversations (Polis-style opinion maps) on a
process, their public pages, process panel, personal data, open data, participation figures and
demo. Moderation: statements are published at once (mode « after ») and agents hide them
through the Django admin with a public reason; no back-office page yet."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.consultations import demo, exports, panels
from apps.consultations.participation import participation
from apps.consultations.personal_data import PERSONAL_DATA
from apps.core.registry import DemoBuilder, ExportSpec, ModuleManifest, PhaseKind, ProcessPanel, register

MANIFEST = register(
    ModuleManifest(
        name="consultations",
        verbose_name=_("Consultations"),
        actions=frozenset({"vote", "write"}),
        phases=(
            PhaseKind("conversation", _("Conversation ouverte"), allows=frozenset({"vote", "write"})),
            PhaseKind("voting", _("Votes seulement"), allows=frozenset({"vote"})),
            PhaseKind("results", _("Résultats"), allows=frozenset()),
        ),
        exports={
            "consultation_statements": ExportSpec(
                exports.statement_rows,
                exports.STATEMENT_FIELDS,
                _("Conversations : affirmations publiées et nombre de votes"),
            ),
        },
        urls="apps.consultations.urls",
        url_prefix="consultations/",
        process_panels=(
            ProcessPanel(_("Conversation"), "consultations/_process_panel.html", panels.process_panel, order=40),
        ),
        personal_data=PERSONAL_DATA,
        participation=participation,
        demo=DemoBuilder(demo.build, order=60),
    )
)
