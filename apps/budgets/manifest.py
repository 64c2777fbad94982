"""The participatory budget declares its actions, phase kinds and open data exports."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.budgets.participation import participation
from apps.budgets.personal_data import PERSONAL_DATA
from apps.budgets.projects import exports
from apps.core.registry import ExportSpec, ModuleManifest, PhaseKind, register

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
        personal_data=PERSONAL_DATA,
        participation=participation,
    )
)
