"""Where Archipel holds personal data, and what the export and the deletion do with it.

Each app declares, in the ``personal_data`` of its manifest, one line per model: the personal
fields (links to the account included), the section of the data export where they appear,
and their fate when the account is deleted (``apps/<app>/personal_data.py``). The export
(:mod:`apps.accounts.rgpd.export`) and the deletion (:mod:`apps.accounts.rgpd.erase`) follow
these declarations, read from the registry (:func:`apps.core.registry.all_holdings`), and
``tests/accounts/test_rgpd_coverage.py`` walks every model of every app: a model that links
to the account or has a field named like personal data (``PERSONAL_FIELD_NAMES``) and is not
declared fails the test, so a new module cannot forget the RGPD.

``docs/`` quotes the ``why`` of what is kept: keep them exact.
"""

from __future__ import annotations

from apps.core.personal_data import AUDIT, STAFF, Fate, Holding
from apps.core.registry import all_holdings

__all__ = ["AUDIT", "STAFF", "Fate", "Holding", "holdings"]


# Field names (or parts of names) that hold personal data whatever the model: the coverage test
# asks every model having one of them to be declared below, even without a link to the account.
PERSONAL_FIELD_NAMES = frozenset(
    {
        "first_name",
        "last_name",
        "display_name",
        "full_name",
        "public_name",
        "author_label",
        "actor_label",
        "paper_author_name",
        "paper_identity",
        "personal",
        "signed_by",
        "reason",
        "gender",
        "age_band",
        "object_repr",
        "session_data",
        "user_agent",
    }
)
PERSONAL_NAME_PARTS = ("email", "phone", "birth", "address", "ip_addr", "contact", "postal")


def holdings() -> list[Holding]:
    """Every manifest's holdings (modules and foundation apps alike)."""
    return all_holdings()


def holdings_with_export(section: str) -> list[Holding]:
    return [holding for holding in all_holdings() if holding.export == section]


def account_links(holding: Holding) -> list[str]:
    """The fields of ``holding`` that link to the account (foreign keys, many-to-many)."""
    from django.apps import apps
    from django.conf import settings

    model = apps.get_model(holding.model)
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return [name for name in holding.fields if model._meta.get_field(name).related_model is user_model]
