"""The consultations module declares itself: conversations (Polis-style opinion maps) on a
process, their public pages, process panel, personal data, open data, participation events and
demo, and its questionnaires (sub-package ``questionnaires``: answers online, on paper and at the
sites of a multi-site session, their back office and results). Statements are moderated before
or after publication (per conversation) in a back-office queue, counted in the « À faire »
inbox; free-text contributions get a French synthesis (``synthesis``), reviewed by agents."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.consultations import demo, exports, inbox, panels
from apps.consultations import rules as conversation_rules
from apps.consultations.participation import participation
from apps.consultations.personal_data import PERSONAL_DATA
from apps.consultations.questionnaires import rules as questionnaire_rules
from apps.core.registry import DemoBuilder, ExportSpec, ModuleManifest, NavEntry, PhaseKind, ProcessPanel, register

MANIFEST = register(
    ModuleManifest(
        name="consultations",
        verbose_name=_("Consultations"),
        actions=frozenset({"vote", "write", "answer"}),
        phases=(
            PhaseKind("conversation", _("Conversation ouverte"), allows=frozenset({"vote", "write"})),
            PhaseKind("voting", _("Votes seulement"), allows=frozenset({"vote"})),
            PhaseKind("questionnaire", _("Questionnaire ouvert"), allows=frozenset({"answer"})),
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
        backoffice_urls="apps.consultations.backoffice_urls",
        backoffice_prefix="consultations/",
        nav=(
            NavEntry(
                _("Questionnaires"),
                "consultations_admin:questionnaires",
                questionnaire_rules.can_use_questionnaire_backoffice,
                area="backoffice",
                order=45,
                description=_("Créer un questionnaire, saisir le papier, sessions multi-sites, résultats."),
            ),
            NavEntry(
                _("Modération des affirmations"),
                "consultations_admin:moderation",
                conversation_rules.can_use_moderation,
                area="backoffice",
                order=46,
                description=_("Accepter ou refuser les affirmations des conversations, avec un motif public."),
            ),
            NavEntry(
                _("Synthèses des contributions"),
                "consultations_admin:syntheses",
                questionnaire_rules.can_use_questionnaire_backoffice,
                area="backoffice",
                order=47,
                description=_("Regrouper en thèmes les contributions écrites, les relire et publier la synthèse."),
            ),
        ),
        process_panels=(
            ProcessPanel(_("Conversation"), "consultations/_process_panel.html", panels.process_panel, order=40),
        ),
        personal_data=PERSONAL_DATA,
        participation=participation,
        records_events=True,
        demo=DemoBuilder(demo.build, order=60),
        todo=inbox.todo,
    )
)
