"""A page of threads (``selectors.threads_of``): the right threads and their replies, in
order, with three statements whatever the number of comments."""

from __future__ import annotations

from pytest_django import DjangoAssertNumQueries

from apps.discussion.models import Comment
from apps.discussion.selectors import threads_of
from apps.proposals.models import Proposal
from tests.conftest import Personas
from tests.factories import CommentFactory


def personas_name(comment: Comment) -> str:
    assert comment.author is not None
    return comment.author.public_name


def _children(comment: Comment) -> list[Comment]:
    replies: list[Comment] = comment.__dict__["children"]  # set by threads_of
    return replies


def test_each_page_has_its_threads_and_their_replies_only(
    proposal: Proposal, personas: Personas, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    tops = [CommentFactory.create(proposal=proposal, body=f"Fil {n}") for n in range(1, 24)]
    first = CommentFactory.create(proposal=proposal, parent=tops[0], root=tops[0], body="Réponse au fil 1")
    nested = CommentFactory.create(proposal=proposal, parent=first, root=tops[0], body="Réponse à la réponse")
    last = CommentFactory.create(
        proposal=proposal, parent=tops[21], root=tops[21], author=None, body="Réponse au fil 22"
    )
    with django_assert_num_queries(3):  # count, page, replies
        page = threads_of(proposal, 1, personas["resident"])
    assert [c.body for c in page.threads] == [f"Fil {n}" for n in range(1, 21)]
    assert page.page.paginator.count == 23 and page.page.has_next()
    assert [c.pk for c in _children(page.threads[0])] == [first.pk]
    assert [c.pk for c in _children(_children(page.threads[0])[0])] == [nested.pk]
    assert all(not _children(c) for c in page.threads[1:])
    second = threads_of(proposal, 2, personas["resident"])
    assert [c.body for c in second.threads] == ["Fil 21", "Fil 22", "Fil 23"]
    reply = _children(second.threads[1])[0]
    assert reply.pk == last.pk and reply.author_label == "Participant·e supprimé·e"
    # What the page shows of an author: the public name, and whether they may be reported.
    assert page.threads[0].author_label == personas_name(tops[0])
    assert page.threads[0].__dict__["can_report"] is (tops[0].author_id != personas["resident"].pk)


def test_no_comment_no_page_query(
    proposal: Proposal, personas: Personas, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(1):  # the count
        page = threads_of(proposal, 1, personas["resident"])
    assert page.threads == [] and not Comment.objects.exists()
