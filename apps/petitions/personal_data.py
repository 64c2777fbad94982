"""What petitions hold about a person (RGPD), declared in the manifest: the petitions they filed,
their committee seats, their online signatures, and the acts of agents (paper entries).

Paper signatures hold no name: only a keyed digest (``Signature.person_key``) that the platform
cannot reverse without its secret key. Online signatures keep counting after an account is
deleted (a threshold reached stays reached), tied to nobody."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import F, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _

from apps.core.personal_data import KEPT_CONTRIBUTION, KEPT_ROLE_ACT, STAFF, Fate, Holding
from apps.core.registry import PersonalData

if TYPE_CHECKING:
    from apps.accounts.models import User

HOLDINGS: tuple[Holding, ...] = (
    Holding("petitions.Petition", ("author",), "petitions", Fate.ACCOUNT, KEPT_CONTRIBUTION),
    Holding(
        "petitions.CommitteeMember",
        ("user", "public_name"),
        "petition_committees",
        Fate.DELETED,
        "The seat on the committee is deleted with the name shown.",
    ),
    Holding(
        "petitions.Signature",
        ("user",),
        "petition_signatures",
        Fate.UNLINKED,
        "The signature keeps counting for the petition (its threshold stays reached), tied to nobody: "
        "its key no longer names the account.",
    ),
    Holding("petitions.Signature", ("entered_by",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding(
        "petitions.Stakeholder",
        ("contact_name", "email"),
        None,
        Fate.KEPT,
        "A stakeholder of an agora is entered by an agent, without an account; the name is published only "
        "with the person's consent, the address never (it carries the invitation); an agent removes both "
        "on request.",
    ),
)


def anonymise(user: User, label: str) -> None:
    """The key of an online signature is the digest of the person's identity (or, for older
    ones, names the account, ``u:<id>``): it becomes the signature's own number, so the row
    stays unique and counted but points at nobody."""
    from apps.petitions.models import Signature

    Signature.objects.filter(user=user).update(
        person_key=Concat(Value("d:"), Cast(F("pk"), output_field=Signature._meta.get_field("person_key")))
    )


PERSONAL_DATA = PersonalData(
    holdings=HOLDINGS,
    anonymise=anonymise,
    labels={
        "petitions": _("Pétitions et demandes d'auto-saisine déposées"),
        "petition_committees": _("Comités de pétition"),
        "petition_signatures": _("Signatures de pétitions"),
    },
)
