"""The proposals module declares its actions, phase kinds and open data exports."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.registry import ApiRoute, ExportSpec, ModuleManifest, PhaseKind, register
from apps.proposals import exports
from apps.proposals import followup as followup_plugs
from apps.proposals.followable import PROPOSAL
from apps.proposals.participation import participation
from apps.proposals.personal_data import PERSONAL_DATA

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
        exports={
            "proposals": ExportSpec(exports.proposal_rows, exports.PROPOSAL_FIELDS, _("Propositions")),
            "answers": ExportSpec(exports.answer_rows, exports.ANSWER_FIELDS, _("Réponses argumentées")),
            "comments": ExportSpec(exports.comment_rows, exports.COMMENT_FIELDS, _("Commentaires (pseudonymisés)")),
        },
        personal_data=PERSONAL_DATA,
        followables=(PROPOSAL,),
        timeline=followup_plugs.timeline,
        figures=followup_plugs.figures,
        participation=participation,
        api=(ApiRoute("proposals", "apps.proposals.api.ProposalViewSet", "proposal"),),
    )
)
