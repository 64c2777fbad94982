"""The vocabulary modules use to declare the personal data they hold (``PersonalData`` of the
manifest): for each personal field, the section of the data export where it appears and its fate
when the account is deleted. The RGPD export, deletion and completeness test in
:mod:`apps.accounts.rgpd` read these declarations from every manifest."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Fate(StrEnum):
    """What deleting the account does to a field."""

    # The rows are deleted.
    DELETED = "deleted"
    # The field is emptied, or replaced by the « Participant·e supprimé·e » label.
    ERASED = "erased"
    # The link to the account is set to NULL: the row stays, tied to nobody.
    UNLINKED = "unlinked"
    # The link stays, to the emptied account row (no email, no name, no password): the row
    # shows « Participant·e supprimé·e ». Contributions and acts done in a role stay this way.
    ACCOUNT = "account"
    # Kept as is, for the reason given in ``why``.
    KEPT = "kept"


# Export sections that are not a list of the person's own records.
STAFF = "staff_records"
AUDIT = "audit_entries"


# The ``why`` most modules give: docs quote them, keep them exact.
KEPT_CONTRIBUTION = "Contribution to a public debate: it stays, shown as from « Participant·e supprimé·e »."
KEPT_ROLE_ACT = (
    "Act done in a role (agent, élu·e, moderator, administrator): the city must be able to show who "
    "acted; the account row is emptied, so the act is tied to a numbered deleted account only."
)


def iso(value: Any) -> str | None:
    """A date or datetime of an export row (JSON has neither)."""
    return value.isoformat() if value is not None else None


@dataclass(frozen=True)
class Holding:
    model: str  # "app_label.ModelName"
    fields: tuple[str, ...]
    export: str | None  # key of the export's JSON; None only with a ``why``
    fate: Fate
    why: str = ""
