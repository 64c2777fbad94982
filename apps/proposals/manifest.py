"""The proposals module declares its actions, phase kinds and open data exports."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.registry import ExportSpec, ModuleManifest, PhaseKind, register
from apps.proposals import exports
from apps.proposals.backoffice import selectors as backoffice_selectors

MANIFEST = register(
    ModuleManifest(
        name="proposals",
        verbose_name=_("Propositions"),
        actions=frozenset({"create", "edit", "comment", "support"}),
        phases=(
            PhaseKind(
                "collect", _("Dépôt des propositions"), allows=frozenset({"create", "edit", "comment", "support"})
            ),
            PhaseKind("support", _("Soutiens"), allows=frozenset({"support", "comment"})),
            PhaseKind("debate", _("Débat"), allows=frozenset({"comment"})),
            PhaseKind("analysis", _("Instruction par la Ville"), allows=frozenset()),
            PhaseKind("followup", _("Suivi des réalisations"), allows=frozenset()),
        ),
        backoffice_urls="apps.proposals.backoffice.urls",
        backoffice_prefix="",
        dashboard_counts=backoffice_selectors.dashboard_counts,
        audit_targets=backoffice_selectors.audit_targets,
        exports={
            "proposals": ExportSpec(exports.proposal_rows, exports.PROPOSAL_FIELDS, _("Propositions")),
            "answers": ExportSpec(exports.answer_rows, exports.ANSWER_FIELDS, _("Réponses argumentées")),
            "comments": ExportSpec(exports.comment_rows, exports.COMMENT_FIELDS, _("Commentaires (pseudonymisés)")),
        },
    )
)
