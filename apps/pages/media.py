"""Which uploaded files the public may download."""

from __future__ import annotations

from apps.core.covers import is_cover_of
from apps.core.models import Process
from apps.core.registry import is_public_file
from apps.followup.models import CommitmentUpdate


def is_public(name: str) -> bool:
    """True when ``name`` (relative to MEDIA_ROOT) is the photo of a commitment update in a
    published process, the cover of a published process (or one of its smaller copies), or a
    public file of a module (a visible proposal's image…)."""
    if not name:
        return False
    # A process's cover and its smaller copies are public once the process is.
    if is_cover_of(name, Process.objects.filter(is_published=True)):
        return True
    # So is a commitment update's photo (and its copies).
    published_updates = CommitmentUpdate.objects.filter(commitment__process__is_published=True)
    return is_cover_of(name, published_updates, field="photo") or is_public_file(name)
