"""The trust barometer: only the person who received an answer may fill it in, once (a database
constraint, also under parallel requests on PostgreSQL); the marks are stored with no link to
the person nor to the answer; aggregates hide fewer than 11 replies."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.answers import barometer
from apps.answers.models import Answer, BarometerReply, BarometerScore
from apps.core.models import Territory
from apps.indicators.barometer import barometer as aggregate
from apps.indicators.selectors import Scope
from tests.factories import ProposalFactory, UserFactory, make_answer

pytestmark = pytest.mark.django_db


def _answered(author: User | None = None) -> Answer:
    proposal = ProposalFactory.create(author=author or UserFactory.create())
    return make_answer(proposal=proposal, status="accepted", body="Nous installerons les bancs.")


def _author(answer: Answer) -> User:
    author = answer.source.author  # type: ignore[union-attr]  # a proposal's answer
    assert isinstance(author, User)
    return author


def test_only_the_recipient_may_reply_and_only_once() -> None:
    answer = _answered()
    author = _author(answer)
    stranger = UserFactory.create()
    assert barometer.can_reply(author, answer) and not barometer.can_reply(stranger, answer)
    with pytest.raises(PermissionDenied):
        barometer.barometer_reply(person=stranger, answer=answer, heard=5, clear=5)
    barometer.barometer_reply(person=author, answer=answer, heard=4, clear=None)
    with pytest.raises(ValidationError, match="déjà donné votre avis"):
        barometer.barometer_reply(person=author, answer=answer, heard=1, clear=1)
    assert BarometerReply.objects.count() == 1
    score = BarometerScore.objects.get()
    assert (score.heard, score.clear, score.year) == (4, None, timezone.localdate().year)


def test_the_database_refuses_a_second_reply_and_marks_off_scale() -> None:
    answer = _answered()
    BarometerReply.objects.create(answer=answer, person=_author(answer))
    with pytest.raises(IntegrityError), transaction.atomic():
        BarometerReply.objects.create(answer=answer, person=_author(answer))
    for heard, clear in ((0, 3), (6, None), (None, None)):
        with pytest.raises(IntegrityError), transaction.atomic():
            BarometerScore.objects.create(process=answer.process, year=2026, heard=heard, clear=clear)


def test_a_reply_needs_at_least_one_mark_and_a_draft_answer_has_no_barometer() -> None:
    answer = _answered()
    with pytest.raises(ValidationError, match="au moins à une"):
        barometer.barometer_reply(person=_author(answer), answer=answer, heard=None, clear=None)
    draft = make_answer(proposal=answer.source, status="accepted", body="Brouillon.", state="draft")
    assert not barometer.can_reply(_author(answer), draft)
    assert not BarometerReply.objects.exists()


def test_marks_are_not_linked_to_the_person_or_the_answer() -> None:
    # What was said: no column leads to a person, an account or an answer.
    names = {field.name for field in BarometerScore._meta.get_fields()}
    assert names == {"id", "process", "year", "heard", "clear"}
    assert BarometerScore._meta.pk is not None and BarometerScore._meta.pk.get_internal_type() == "UUIDField"


def test_page_flow_for_the_author_and_404_for_others(client_for: Callable[[User | None], Client]) -> None:
    answer = _answered()
    author = _author(answer)
    url = reverse("answers:barometer", kwargs={"pk": answer.pk})
    assert client_for(None).get(url).status_code == 302
    assert client_for(UserFactory.create()).get(url).status_code == 404
    client = client_for(author)
    page = client.get(url)
    assert page.status_code == 200 and "Vous sentez-vous entendu·e" in page.content.decode()
    # « Mon espace » invites the author.
    assert url in client.get(reverse("accounts:dashboard")).content.decode()
    empty = client.post(url, {})
    assert empty.status_code == 400 and "au moins à une" in empty.content.decode()
    bad = client.post(url, {"heard": "9"})
    assert bad.status_code == 400 and not BarometerReply.objects.exists()
    assert client.post(url, {"heard": "2", "clear": "5"}).status_code == 302
    assert client.post(url, {"heard": "5"}).status_code == 302  # already done: nothing more recorded
    assert BarometerScore.objects.count() == 1
    assert url not in client.get(reverse("accounts:dashboard")).content.decode()


def test_panel_members_receive_the_answers_to_their_recommendations(quartier: Territory) -> None:
    from tests.workshops.factories import add_member, add_recommendation, make_workshop

    member, outsider = UserFactory.create(), UserFactory.create()
    workshop = make_workshop("answer", territory=quartier, state="published")
    add_member(workshop, member)
    recommendation = add_recommendation(workshop)
    answer = make_answer(source=recommendation, status="accepted", body="Retenue.")
    assert barometer.can_reply(member, answer) and not barometer.can_reply(outsider, answer)


def test_aggregates_hide_fewer_than_eleven_replies(quartier: Territory) -> None:
    year = timezone.localdate().year
    answers = [_answered() for _ in range(10)]
    for answer in answers:
        answer.process.territory = quartier
        answer.process.save()
        barometer.barometer_reply(person=_author(answer), answer=answer, heard=5, clear=2)
    scope = Scope(year, territory=quartier)
    hidden = aggregate(scope)
    assert hidden.replies is None and hidden.heard_mean is None and not hidden.shown
    extra = _answered()
    extra.process.territory = quartier
    extra.process.save()
    barometer.barometer_reply(person=_author(extra), answer=extra, heard=3, clear=None)
    shown = aggregate(scope)
    assert shown.replies == 10  # 11 rounded to 5
    assert shown.heard_mean == pytest.approx((10 * 5 + 3) / 11)
    assert shown.heard_positive == pytest.approx(100 * 10 / 11)
    # Only 10 people answered the second question: its mean stays hidden.
    assert shown.clear_mean is None and shown.clear_positive is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_duplicate_replies_leave_one() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("constraint races are tested on PostgreSQL")
    answer = _answered()
    author = _author(answer)
    parallel = 12
    gate = threading.Barrier(parallel)
    outcomes: list[str] = []

    def reply() -> None:
        try:
            gate.wait(timeout=30)
            barometer.barometer_reply(person=author, answer=answer, heard=4, clear=4)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reply) for _ in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["ok"] + ["refused"] * (parallel - 1)
    assert BarometerReply.objects.filter(answer=answer).count() == 1
    assert BarometerScore.objects.count() == 1


def _physical_order(column: str) -> list[tuple[int | None, int | None]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT heard, clear FROM answers_barometerscore ORDER BY {column}")
        return [tuple(row) for row in cursor.fetchall()]


# Thirty replies told apart by their marks (1, 1), (1, 2), … in the order they were given.
MARKS: list[tuple[int | None, int | None]] = [
    (heard, clear) for heard in range(1, 6) for clear in (1, 2, 3, 4, 5, None)
]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_neither_the_key_nor_the_row_order_nor_the_transaction_follows_the_replies() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("ctid and xmin are PostgreSQL's")
    process = _answered().process
    year = timezone.localdate().year
    for heard, clear in MARKS:  # each in its own transaction, as the requests would
        barometer.store_mixed(BarometerScore(process=process, year=year, heard=heard, clear=clear))
    by_ctid, by_pk = _physical_order("ctid"), _physical_order("id")
    assert sorted(by_ctid, key=str) == sorted(MARKS, key=str), "no score lost or doubled"
    assert by_ctid != MARKS and by_pk != MARKS
    # Far from the reply order: the number of inversions of a random order averages n(n-1)/4
    # (217 for 30); the reply order has none. The bound fails by chance with a tiny probability.
    position = {marks: index for index, marks in enumerate(MARKS)}
    ranks = [position[marks] for marks in by_ctid]
    inversions = sum(1 for i in range(len(ranks)) for j in range(i + 1, len(ranks)) if ranks[i] > ranks[j])
    assert inversions > 60
    # The last reply's transaction wrote MIX scores: its own is one of them, not singled out.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT xmin::text::bigint AS xid, count(*) FROM answers_barometerscore GROUP BY xid ORDER BY xid"
        )
        written_together = [count for _xid, count in cursor.fetchall()]
    assert written_together[-1] == barometer.MIX


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_replies_mix_without_losing_or_doubling_a_score() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL")
    process = _answered().process
    year = timezone.localdate().year
    for heard, clear in MARKS[:20]:
        barometer.store_mixed(BarometerScore(process=process, year=year, heard=heard, clear=clear))
    parallel = 8
    gate = threading.Barrier(parallel)
    errors: list[BaseException] = []

    def reply(index: int) -> None:
        try:
            gate.wait(timeout=30)
            heard, clear = MARKS[20 + index]
            barometer.store_mixed(BarometerScore(process=process, year=year, heard=heard, clear=clear))
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reply, args=(index,)) for index in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert sorted(_physical_order("ctid"), key=str) == sorted(MARKS[: 20 + parallel], key=str)
