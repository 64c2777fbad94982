"""The participatory budget declares itself: actions, phase kinds, open data exports, URLs, its
panel on process pages and tab among their back-office pages, its demo."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.budgets import demo, panels
from apps.budgets.participation import participation
from apps.budgets.personal_data import PERSONAL_DATA
from apps.budgets.projects import discussion, exports, rules, selectors
from apps.budgets.voting import inbox
from apps.budgets.voting.selectors import quartier_change_notice
from apps.core.registry import DemoBuilder, ExportSpec, ModuleManifest, PhaseKind, ProcessPanel, register

MANIFEST = register(
    ModuleManifest(
        name="budgets",
        verbose_name=_("Budget participatif"),
        actions=frozenset({"submit_project", "comment", "vote"}),
        phases=(
            PhaseKind("submission", _("Dépôt des projets"), allows=frozenset({"submit_project", "comment"})),
            PhaseKind("analysis", _("Analyse technique par la Ville"), allows=frozenset({"comment"})),
            PhaseKind("vote", _("Vote"), allows=frozenset({"vote"})),
            PhaseKind("results", _("Résultats"), allows=frozenset()),
            PhaseKind("realisation", _("Réalisation des projets"), allows=frozenset()),
        ),
        exports={
            "budget_projects": ExportSpec(
                exports.project_rows, exports.PROJECT_FIELDS, _("Budget participatif : projets (auteurs pseudonymisés)")
            ),
            "budget_envelopes": ExportSpec(
                exports.envelope_rows, exports.ENVELOPE_FIELDS, _("Budget participatif : enveloppes et leur calcul")
            ),
        },
        urls="apps.budgets.urls",
        url_prefix="budgets/",
        backoffice_urls="apps.budgets.backoffice_urls",
        backoffice_prefix="budgets/",
        process_panels=(
            ProcessPanel(
                _("Budget participatif"),
                "budgets/_process_panel.html",
                panels.process_panel,
                order=20,
                backoffice_url_name="budgets_admin:config",
                backoffice_rule=rules.can_view_budget_config,
            ),
        ),
        # During a vote, the quartier that counts is the one of the first ballot.
        quartier_notice=quartier_change_notice,
        todo=inbox.todo,
        search=inbox.search,
        demo=DemoBuilder(demo.build, order=20),
        personal_data=PERSONAL_DATA,
        # Its covers (apps.core.covers) are served while what they illustrate is public.
        public_file=selectors.is_public_cover,
        participation=participation,
        records_events=True,
    )
)

__all__ = ["MANIFEST", "discussion"]
