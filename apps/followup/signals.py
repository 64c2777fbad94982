"""What the follow-up announces to the modules whose items commitments come from.

A module that shows something of a commitment on its own pages (the proposal page links to
the commitment born of it, and caches that link) subscribes here, with its source model as
``sender``, instead of listening to the follow-up's model: the follow-up decides what counts
as a change (any save or delete of a commitment, whoever writes: its services, the admin).
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import Signal

from apps.followup.models import Commitment

# Sent with ``sender`` = the source's model class and ``source_id`` = its primary key, after
# a commitment of that source was created, edited or deleted (inside the writing transaction).
# A commitment moved from one source to another is announced to both: the one it left and the
# one it joined (each with its own model as ``sender``).
commitment_changed = Signal()

Source = tuple[int | None, int | None]  # (source_type_id, source_id)


def _announce_source(source: Source) -> None:
    source_type_id, source_id = source
    if source_type_id is None or source_id is None:
        return
    source_model = ContentType.objects.get_for_id(source_type_id).model_class()
    if source_model is not None:
        commitment_changed.send(sender=source_model, source_id=source_id)


def _remember_source(instance: Commitment, **_kwargs: Any) -> None:
    # The row as stored, not as loaded: whoever moves the commitment (a service, the admin)
    # may hold an instance older than the row. One query, on a commitment's save only.
    if instance.pk is None or instance._state.adding:
        return
    instance._previous_source = (  # type: ignore[attr-defined]
        Commitment.objects.filter(pk=instance.pk).values_list("source_type_id", "source_id").first()
    )


def _announce(instance: Commitment, **_kwargs: Any) -> None:
    current: Source = (instance.source_type_id, instance.source_id)
    previous: Source | None = instance.__dict__.pop("_previous_source", None)
    if previous is not None and previous != current:
        _announce_source(previous)
    _announce_source(current)


pre_save.connect(_remember_source, sender=Commitment, dispatch_uid="followup.commitment_changed.remember")
post_save.connect(_announce, sender=Commitment, dispatch_uid="followup.commitment_changed.save")
post_delete.connect(_announce, sender=Commitment, dispatch_uid="followup.commitment_changed.delete")
