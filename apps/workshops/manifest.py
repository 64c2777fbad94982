"""The workshops module declares itself: actions, phase kinds, open data exports, URLs, its panel
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
from apps.workshops import demo, exports, panels, rules, selectors
from apps.workshops.participation import participation
from apps.workshops.personal_data import PERSONAL_DATA
from apps.workshops.referrals import take_referral

MANIFEST = register(
    ModuleManifest(
        take_referral=take_referral,
        name="workshops",
        verbose_name=_("Atelier citoyen"),
        actions=frozenset({"apply", "edit_opinion", "vote_opinion"}),
        phases=(
            PhaseKind("mandate", _("Mandat et constitution du panel"), allows=frozenset({"apply"})),
            PhaseKind("sessions", _("Séances de travail du panel"), allows=frozenset({"edit_opinion"})),
            PhaseKind(
                "opinion",
                _("Rédaction et adoption de l'avis citoyen"),
                allows=frozenset({"edit_opinion", "vote_opinion"}),
            ),
            PhaseKind("answer", _("Réponse argumentée des élu·es"), allows=frozenset()),
            PhaseKind("followup", _("Droit de suite"), allows=frozenset()),
        ),
        exports={
            "workshops": ExportSpec(exports.workshop_rows, exports.WORKSHOP_FIELDS, _("Ateliers citoyens (mandats)")),
            "workshop_recommendations": ExportSpec(
                exports.recommendation_rows,
                exports.RECOMMENDATION_FIELDS,
                _("Recommandations des avis citoyens, votes et réponses"),
            ),
        },
        urls="apps.workshops.urls",
        url_prefix="ateliers/",
        backoffice_urls="apps.workshops.backoffice_urls",
        backoffice_prefix="ateliers/",
        process_panels=(
            ProcessPanel(_("Atelier citoyen"), "workshops/_process_panel.html", panels.process_panel, order=40),
        ),
        nav=(
            NavEntry(_("Ateliers citoyens"), "workshops:list", everyone, area="public", order=10),
            NavEntry(
                _("Ateliers citoyens"),
                "workshops_admin:list",
                rules.can_list_workshops_admin,
                area="backoffice",
                order=20,
            ),
        ),
        demo=DemoBuilder(demo.build, order=40),  # uses the draws of the sortition demo
        personal_data=PERSONAL_DATA,
        # Its covers (apps.core.covers) are served while what they illustrate is public.
        public_file=selectors.is_public_cover,
        participation=participation,
    )
)
