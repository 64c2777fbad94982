"""Which uploaded files the public may download."""

from __future__ import annotations

from apps.core import pictures
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
    stem = pictures.original_of(name)
    if stem is not None and Process.objects.filter(cover__startswith=f"{stem}.", is_published=True).exists():
        return True
    if name.startswith("covers/") and Process.objects.filter(cover=name, is_published=True).exists():
        return True
    return CommitmentUpdate.objects.filter(photo=name, commitment__process__is_published=True).exists() or (
        is_public_file(name)
    )
