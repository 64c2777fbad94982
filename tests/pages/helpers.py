from __future__ import annotations

from apps.core.models import Process


def draft(process: Process) -> Process:
    """Unpublish a process built by the fixtures (they always publish)."""
    process.is_published = False
    process.save(update_fields=["is_published"])
    return process
