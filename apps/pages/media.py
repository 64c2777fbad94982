"""Which uploaded files the public may download."""

from __future__ import annotations

from apps.followup.models import CommitmentUpdate
from apps.proposals.models import ProposalImage


def is_public(name: str) -> bool:
    """True when ``name`` (relative to MEDIA_ROOT) is the image of a visible proposal or the
    photo of a commitment update, both in a published process."""
    if not name:
        return False
    return (
        ProposalImage.objects.filter(
            image=name, proposal__process__is_published=True, proposal__is_withdrawn=False
        ).exists()
        or CommitmentUpdate.objects.filter(photo=name, commitment__process__is_published=True).exists()
    )
