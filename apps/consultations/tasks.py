"""Background work (huey): recomputing a conversation's opinion map after votes."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from apps.consultations.mapping import store_map


@db_task()
def recompute_map(conversation_id: int) -> None:
    store_map(conversation_id)
