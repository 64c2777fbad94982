"""The trust barometer: who may fill it in, recording a reply, and the answers waiting for one.

A person may give their two marks once per answer they received (the sources' modules say
who receives what: ``AnswerSource.received_by``). The reply and the marks are written in one
transaction to two unlinked tables (:mod:`apps.answers.barometer_models`); a second reply, even
sent twice at the same instant, is refused by the unique constraint on (answer, person)."""

from __future__ import annotations

import secrets
import uuid
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.answers.barometer_models import BarometerReply, BarometerScore
from apps.answers.models import Answer
from apps.answers.registry import barometer_sources
from apps.core.rules_kit import require

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User

    Person = User | AnonymousUser


def received_answers(person: Person) -> QuerySet[Answer]:
    """The published answers ``person`` received, on every source that has a barometer."""
    if not (person.is_authenticated and person.is_active):
        return Answer.objects.none()
    wanted = Q(pk__in=[])
    for label, source in barometer_sources():
        app_label, model = label.split(".")
        content_type = ContentType.objects.get_by_natural_key(app_label, model)
        assert source.received_by is not None
        wanted |= Q(source_type=content_type, source_id__in=source.received_by(person).values("pk"))
    return Answer.objects.filter(wanted)


def can_reply(person: Person, answer: Answer) -> bool:
    return answer.is_published and received_answers(person).filter(pk=answer.pk).exists()


def has_replied(person: Person, answer: Answer) -> bool:
    return person.is_authenticated and BarometerReply.objects.filter(answer=answer, person_id=person.pk).exists()


def answers_to_rate(person: Person, limit: int = 20) -> list[Answer]:
    """The latest answers the person received and has not rated yet."""
    replied = BarometerReply.objects.filter(person_id=person.pk).values("answer_id")
    return list(
        received_answers(person)
        .exclude(pk__in=replied)
        .select_related("source_type")
        .prefetch_related("source")
        .order_by("-created_at", "-pk")[:limit]
    )


@transaction.atomic
def barometer_reply(*, person: User, answer: Answer, heard: int | None, clear: int | None) -> BarometerScore:
    """Record the person's two marks on ``answer`` (either may be left out, not both)."""
    require(can_reply(person, answer))
    if heard is None and clear is None:
        raise ValidationError(_("Répondez au moins à une des deux questions, ou fermez simplement cette page."))
    try:
        with transaction.atomic():
            BarometerReply.objects.create(answer=answer, person=person)
    except IntegrityError:
        raise ValidationError(_("Vous avez déjà donné votre avis sur cette réponse : merci !")) from None
    score = BarometerScore(process_id=answer.process_id, year=timezone.localdate().year, heard=heard, clear=clear)
    score.full_clean()
    store_mixed(score)
    return score


# A new score is written among this many scores of its year, in a random order.
MIX = 12


@transaction.atomic
def store_mixed(score: BarometerScore) -> None:
    """Write ``score`` so that nothing in the table's physical order says which reply it came
    from: with up to ``MIX - 1`` earlier scores of the year drawn at random, deleted and
    inserted again, all in a random order and with fresh random keys.

    Without it, PostgreSQL's row order (``ctid``) and the writing transaction (``xmin``) of a
    score would match those of its ``BarometerReply``: whoever reads the database could pair
    the nth reply with the nth score. Now the reply's transaction wrote ``MIX`` scores in a
    shuffled order, and earlier scores keep moving. The drawn rows are locked (``SKIP LOCKED``:
    two replies at the same instant mix disjoint sets, so no score is lost or doubled)."""
    shuffler = secrets.SystemRandom()
    drawn = list(
        BarometerScore.objects.select_for_update(skip_locked=True)
        .filter(year=score.year)
        .order_by("?")
        .values_list("pk", "process_id", "heard", "clear")[: MIX - 1]
    )
    deleted, _ = BarometerScore.objects.filter(pk__in=[row[0] for row in drawn]).delete()
    assert deleted == len(drawn), "the drawn scores are locked by this transaction"
    batch = [score] + [
        BarometerScore(process_id=process_id, year=score.year, heard=heard, clear=clear)
        for _pk, process_id, heard, clear in drawn
    ]
    for item in batch:
        item.pk = uuid.uuid4()
    shuffler.shuffle(batch)
    BarometerScore.objects.bulk_create(batch)


def export_for(person: Any) -> dict[str, list[dict[str, Any]]]:
    """RGPD export: which answers the person gave their opinion on. The marks themselves are
    stored without any link to the person, so nobody, not even the person, can read them back."""
    rows = BarometerReply.objects.filter(person_id=person.pk).select_related("answer").order_by("pk")
    return {"barometer_replies": [{"answer": reply.answer_id, "source": str(reply.answer.source)} for reply in rows]}
