"""Answers declare their back-office pages (signature delegations) and the personal data they
hold: who drafted, signed or may sign an answer, acts done in a role."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from apps.core.personal_data import STAFF, Fate, Holding
from apps.core.registry import AccountSection, ModuleManifest, PersonalData, register

KEPT_ROLE_ACT = (
    "Act done in a role (agent, élu·e, moderator, administrator): the city must be able to show who "
    "acted; the account row is emptied, so the act is tied to a numbered deleted account only."
)


def _to_rate(request: HttpRequest) -> Mapping[str, Any] | None:
    from apps.answers.barometer import answers_to_rate

    answers = answers_to_rate(request.user)
    return {"answers": answers} if answers else None


def _export(user: Any) -> Mapping[str, Any]:
    from apps.answers.barometer import export_for

    return export_for(user)


MANIFEST = register(
    ModuleManifest(
        name="answers",
        verbose_name=_("Réponses argumentées"),
        actions=frozenset(),
        phases=(),
        backoffice_urls="apps.answers.backoffice.urls",
        backoffice_prefix="",
        urls="apps.answers.urls",
        url_prefix="reponses/",
        account_sections=(
            AccountSection(
                _("Les réponses de la Ville : votre avis"), "answers/_account_barometer.html", _to_rate, order=90
            ),
        ),
        personal_data=PersonalData(
            export=_export,
            labels={"barometer_replies": _("Réponses de la Ville sur lesquelles vous avez donné votre avis")},
            holdings=(
                Holding(
                    "answers.BarometerReply",
                    ("person",),
                    "barometer_replies",
                    Fate.DELETED,
                    "That the person gave their opinion; the marks are stored apart, linked to nobody.",
                ),
                Holding("answers.Answer", ("author", "signer"), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
                Holding(
                    "answers.Answer",
                    ("signed_by",),
                    None,
                    Fate.KEPT,
                    "The signature of a public reasoned answer, given in an official capacity (public act).",
                ),
                Holding(
                    "answers.SignatureDelegation",
                    ("user", "granted_by"),
                    STAFF,
                    Fate.ACCOUNT,
                    KEPT_ROLE_ACT + " The emptied account is inactive, so it can no longer sign.",
                ),
            ),
        ),
    )
)
