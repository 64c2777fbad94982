"""What the follow-up announces to the modules whose items commitments come from.

A module that shows something of a commitment on its own pages (the proposal page links to
the commitment born of it, and caches that link) subscribes here, with its source model as
``sender``, instead of listening to the follow-up's model: the follow-up decides what counts
as a change (any save or delete of a commitment, whoever writes: its services, the admin).
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

from apps.followup.models import Commitment

# Sent with ``sender`` = the source's model class and ``source_id`` = its primary key, after
# a commitment of that source was created, edited or deleted (inside the writing transaction).
commitment_changed = Signal()


def _announce(instance: Commitment, **_kwargs: Any) -> None:
    if instance.source_type_id is None or instance.source_id is None:
        return
    source_model = ContentType.objects.get_for_id(instance.source_type_id).model_class()
    if source_model is not None:
        commitment_changed.send(sender=source_model, source_id=instance.source_id)


post_save.connect(_announce, sender=Commitment, dispatch_uid="followup.commitment_changed.save")
post_delete.connect(_announce, sender=Commitment, dispatch_uid="followup.commitment_changed.delete")
