"""The living page of Archipel's design system: every token and component, rendered by the same
includes the pages use (templates/components/), so the axe run checks them in every state."""

from __future__ import annotations

import datetime

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from apps.core.backoffice_kit import render_page, staff_required
from apps.core.charts import ChartRow, Segment, StackedRow, bar_chart, stacked_bar_chart
from apps.core.covers import CoverFormMixin
from apps.core.icons import ICONS

COLOURS = (
    "ink", "muted", "bg", "soft", "line", "brand", "brand-dark", "brand-tint", "accent",
    "ok", "ok-tint", "warn", "warn-tint", "danger", "danger-tint", "focus",
)  # fmt: skip
STEPS = ("-1", "0", "1", "2", "3", "4")


@require_safe
@staff_required
def styleguide(request: HttpRequest) -> HttpResponse:
    today = datetime.date(2026, 12, 2)
    return render_page(
        request,
        "backoffice/styleguide.html",
        {
            "colours": COLOURS,
            "steps": STEPS,
            "spaces": range(1, 8),
            "icons": sorted(ICONS),
            "card_image": None,
            "cover_form": CoverFormMixin(),
            "stepper": [
                {"title": _("Propositions"), "dates": _("du 1er au 30 septembre"), "state": "done"},
                {"title": _("Vote"), "dates": _("du 1er au 22 décembre"), "state": "current"},
                {"title": _("Résultats"), "dates": _("janvier"), "state": "upcoming"},
            ],
            "tabs": [
                {"label": _("Présentation"), "url": "#composants", "current": True, "icon": "info"},
                {"label": _("Propositions"), "url": "#cartes", "icon": "lightbulb"},
                {"label": _("Suivi"), "url": "#frise", "icon": "list-checks"},
            ],
            "faq": [
                {"title": _("Qui peut voter ?"), "body": _("Toute personne qui habite la ville, dès 11 ans.")},
                {
                    "title": _("Comment est choisi un projet ?"),
                    "body": _("Les projets les plus soutenus, dans l'enveloppe."),
                },
            ],
            "chart": bar_chart(
                _("Participation par quartier"),
                [
                    ChartRow(_("Centre-ville"), 18.0, "18 %", 12.0, "12 %"),
                    ChartRow(_("Nord"), 4.0, "4 %", 9.0, "9 %", alert=True),
                    ChartRow(_("Île"), 11.0, "11 %", 10.0, "10 %"),
                ],
                caption=_("Part des votants (barre colorée) et de la population (barre grise)."),
            ),
            "stacked_chart": stacked_bar_chart(
                _("Quotas et panel"),
                [
                    StackedRow(_("Femmes"), [Segment(_("Dans le quota"), 6, "ok")], "6 (quota 5 à 7)", target=(5, 7)),
                    StackedRow(_("Hommes"), [Segment(_("Hors quota"), 8, "alert")], "8 (quota 5 à 7)", target=(5, 7)),
                    StackedRow(
                        _("Enveloppe"),
                        [Segment(_("Attribué"), 9, "primary"), Segment(_("Non attribué"), 3, "muted")],
                        "9 / 12",
                    ),
                ],
                caption=_("Barres empilées : une barre par ligne, un cadre en pointillés pour une cible."),
            ),
            "events": [
                {"date": today - datetime.timedelta(days=60), "title": _("Démarche ouverte"), "icon": "megaphone"},
                {
                    "date": today - datetime.timedelta(days=10),
                    "title": _("Réponse de la Ville publiée"),
                    "text": _("12 propositions retenues, 3 en partie."),
                    "icon": "message-circle",
                },
                {"date": today, "title": _("Travaux commencés"), "icon": "clipboard-list"},
            ],
        },
    )
