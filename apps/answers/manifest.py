"""Answers declare their back-office pages (signature delegations) and the personal data they
hold: who drafted, signed or may sign an answer, acts done in a role."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.personal_data import STAFF, Fate, Holding
from apps.core.registry import ModuleManifest, PersonalData, register

KEPT_ROLE_ACT = (
    "Act done in a role (agent, élu·e, moderator, administrator): the city must be able to show who "
    "acted; the account row is emptied, so the act is tied to a numbered deleted account only."
)

MANIFEST = register(
    ModuleManifest(
        name="answers",
        verbose_name=_("Réponses argumentées"),
        actions=frozenset(),
        phases=(),
        backoffice_urls="apps.answers.backoffice.urls",
        backoffice_prefix="",
        personal_data=PersonalData(
            holdings=(
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
