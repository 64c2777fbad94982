"""What an answer means for each kind of source, declared by the source's module.

A module calls :func:`register_source` (from its ``ready``) with the decisions an answer may
carry, who may draft one, why publication may have to wait, and what publishing changes on its
side (a status, commitments, notifications). ``apps.answers`` never imports a module: it asks
this registry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet
    from django.utils.functional import _StrOrPromise

    from apps.answers.models import Answer
    from apps.core.models import Process


def _no_refusal(source: Any) -> str:
    return ""


def _nothing(actor: Any, answer: Answer) -> None:
    return None


@dataclass(frozen=True)
class AnswerSource:
    """``model`` is the source's "app_label.ModelName".

    - ``statuses``: the decisions an answer may carry (value, label);
    - ``process_of(source)``: the process the source belongs to (signatures are scoped by it);
    - ``can_draft(user, source)``: who may draft and submit an answer;
    - ``validate(status, body, source)``: raises ``ValidationError`` for an answer the module
      refuses (on top of « a decision among ``statuses`` and a non-empty text »);
    - ``refusal(source)``: why no answer may be published now ("" when it may);
    - ``on_publish(actor, answer)``: runs in the signing transaction, after the answer is saved
      (use ``transaction.on_commit`` for e-mails and notifications);
    - ``received_by(user)``: the sources whose answers ``user`` received (the author of a
      proposal, the panel of a recommendation): they may fill in the trust barometer
      (:mod:`apps.answers.barometer`). None: no barometer for this kind of source.
    """

    model: str
    statuses: Sequence[tuple[str, _StrOrPromise]]
    process_of: Callable[[Any], Process]
    can_draft: Callable[[Any, Any], bool]
    validate: Callable[[str, str, Any], None] | None = None
    refusal: Callable[[Any], str] = _no_refusal
    on_publish: Callable[[Any, Answer], None] = _nothing
    received_by: Callable[[Any], QuerySet[Any]] | None = None


_SOURCES: dict[str, AnswerSource] = {}


def register_source(source: AnswerSource) -> AnswerSource:
    existing = _SOURCES.get(source.model.lower())
    if existing is not None and existing != source:
        raise ValueError(f"answers to {source.model!r} are already declared")
    _SOURCES[source.model.lower()] = source
    return source


def source_for(obj: Model | type[Model]) -> AnswerSource:
    """The declaration for ``obj``'s model; ``LookupError`` when it is not answerable."""
    label = obj._meta.label_lower
    try:
        return _SOURCES[label]
    except KeyError:
        raise LookupError(f"{label} is not declared as an answer source") from None


def status_label(source_type_id: int, status: str) -> str:
    content_type = ContentType.objects.get_for_id(source_type_id)
    declared = _SOURCES.get(f"{content_type.app_label}.{content_type.model}")
    labels = dict(declared.statuses) if declared else {}
    return str(labels.get(status, status))


def barometer_sources() -> list[tuple[str, AnswerSource]]:
    """The declared sources whose recipients may fill in the trust barometer."""
    return [(label, source) for label, source in _SOURCES.items() if source.received_by is not None]
