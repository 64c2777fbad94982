"""Which uploaded files the public may download."""

from __future__ import annotations

from apps.core.registry import is_public_file
from apps.followup.models import CommitmentUpdate


def is_public(name: str) -> bool:
    """True when ``name`` (relative to MEDIA_ROOT) is the photo of a commitment update in a
    published process, or a public file of a module (a visible proposal's image…)."""
    if not name:
        return False
    return CommitmentUpdate.objects.filter(photo=name, commitment__process__is_published=True).exists() or (
        is_public_file(name)
    )
