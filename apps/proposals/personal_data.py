"""What the proposals module holds about a person (RGPD), declared in its manifest: the
holdings walked by the completeness test and the sections of the data export. Comments and
their reports are declared by the shared ``discussion`` app.

The answers block is separate because those models move to the shared ``answers`` app: their
declarations go with them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from apps.core.personal_data import KEPT_CONTRIBUTION, KEPT_ROLE_ACT, STAFF, Fate, Holding, iso
from apps.core.registry import PersonalData, Rows

if TYPE_CHECKING:
    from apps.accounts.models import User

PROPOSAL_HOLDINGS: tuple[Holding, ...] = (
    Holding("proposals.Proposal", ("author",), "proposals", Fate.ACCOUNT, KEPT_CONTRIBUTION),
    Holding(
        "proposals.Proposal",
        ("address",),
        "proposals",
        Fate.KEPT,
        "The place a proposal is about (part of the public contribution), not the author's home.",
    ),
    Holding("proposals.Proposal", ("entered_by",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding(
        "proposals.Proposal",
        ("paper_author_name",),
        None,
        Fate.KEPT,
        "Name a paper contributor (who has no account) gave with the contribution: not any account's data.",
    ),
    Holding("proposals.Support", ("user",), "supports", Fate.ACCOUNT, "Counted support, tied to no name any more."),
    Holding("proposals.InternalNote", ("author",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding(
        "proposals.PaperContact",
        ("email", "postal_address"),
        None,
        Fate.KEPT,
        "Contact a paper contributor (who has no account) gave: not any account's data; deleted once the "
        "answer is sent, or after PAPER_CONTACT_RETENTION_DAYS.",
    ),
)

# --- reasoned answers and their signature (move to the shared answers app) ----------------
# Now declared by apps.answers (its manifest).
ANSWER_HOLDINGS: tuple[Holding, ...] = ()
# ------------------------------------------------------------------------------------------


def _proposals(user: User) -> Rows:
    from apps.proposals.models import Proposal

    queryset = Proposal.objects.filter(author=user).select_related("process", "theme", "territory").order_by("pk")
    return [
        {
            "id": p.pk,
            "process": p.process.title,
            "title": p.title,
            "body": p.body,
            "theme": p.theme.name if p.theme else None,
            "territory": p.territory.name if p.territory else None,
            "address": p.address,
            "latitude": str(p.latitude) if p.latitude is not None else None,
            "longitude": str(p.longitude) if p.longitude is not None else None,
            "status": p.status,
            "is_withdrawn": p.is_withdrawn,
            "images": [image.image.name for image in p.images.all()],
            "created_at": iso(p.created_at),
        }
        for p in queryset.prefetch_related("images")
    ]


def _supports(user: User) -> Rows:
    from apps.proposals.models import Support

    return [
        {"proposal_id": s.proposal_id, "proposal": s.proposal.title, "created_at": iso(s.created_at)}
        for s in Support.objects.filter(user=user).select_related("proposal").order_by("pk")
    ]


def export(user: User) -> dict[str, Rows]:
    return {
        "proposals": _proposals(user),
        "supports": _supports(user),
    }


def anonymise(user: User, label: str) -> None:
    """The proposals stay, shown as from a deleted participant (the account's ``is_deleted``):
    their pages' cached top blocks, which name the author, are dropped now and after the
    commit, and their lists' versions bumped, so the name goes at once."""
    from django.db import transaction

    from apps.proposals import fragments, views  # the views build the blocks' keys
    from apps.proposals.models import Proposal

    rows = list(Proposal.objects.filter(author=user).values_list("pk", "process_id"))
    if not rows:
        return
    ids = [pk for pk, _process in rows]
    views.forget_detail_blocks(ids)
    transaction.on_commit(lambda: views.forget_detail_blocks(ids))
    for process_id in {process for _pk, process in rows}:
        fragments.bump_list(process_id)


PERSONAL_DATA = PersonalData(
    holdings=(*PROPOSAL_HOLDINGS, *ANSWER_HOLDINGS),
    export=export,
    anonymise=anonymise,
    labels={
        "proposals": _("Propositions"),
        "supports": _("Soutiens"),
    },
)
