"""The proposals module declares itself: actions, phase kinds, open data exports, URLs, its panel
on process pages, its sections of « Mon espace » and of the home and territory pages, its demo."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.registry import (
    AccountSection,
    ApiRoute,
    DemoBuilder,
    ExportSpec,
    ModuleManifest,
    PageSection,
    PhaseKind,
    ProcessPanel,
    register,
)
from apps.proposals import demo, discussion, exports, panels
from apps.proposals import followup as followup_plugs
from apps.proposals.backoffice import inbox as backoffice_inbox
from apps.proposals.backoffice import selectors as backoffice_selectors
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
        backoffice_urls="apps.proposals.backoffice.urls",
        backoffice_prefix="",
        dashboard_counts=backoffice_selectors.dashboard_counts,
        todo=backoffice_inbox.todo,
        search=backoffice_inbox.search,
        audit_targets=backoffice_selectors.audit_targets,
        exports={
            "proposals": ExportSpec(exports.proposal_rows, exports.PROPOSAL_FIELDS, _("Propositions")),
            "answers": ExportSpec(exports.answer_rows, exports.ANSWER_FIELDS, _("Réponses argumentées")),
            "comments": ExportSpec(exports.comment_rows, exports.COMMENT_FIELDS, _("Commentaires (pseudonymisés)")),
        },
        urls="apps.proposals.urls",
        url_prefix="propositions/",
        process_panels=(
            ProcessPanel(_("Propositions"), "proposals/_process_panel.html", panels.process_panel, order=10),
        ),
        account_sections=(
            AccountSection(_("Où en est mon idée ?"), "proposals/_account_ideas.html", panels.my_ideas, order=10),
        ),
        page_sections=(
            PageSection("home", "proposals/_home_answers.html", panels.home_answers, order=10),
            PageSection("territory", "proposals/_territory_proposals.html", panels.territory_proposals, order=10),
        ),
        public_file=panels.is_public_image,
        # First: the other modules' demos come after the proposals' processes (same random draws).
        demo=DemoBuilder(demo.build, order=10),
        personal_data=PERSONAL_DATA,
        followables=(PROPOSAL,),
        timeline=followup_plugs.timeline,
        figures=followup_plugs.figures,
        participation=participation,
        records_events=True,
        api=(ApiRoute("proposals", "apps.proposals.api.ProposalViewSet", "proposal"),),
    )
)

__all__ = ["MANIFEST", "discussion"]
