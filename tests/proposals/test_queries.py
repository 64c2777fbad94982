"""Query budgets: the number of queries does not grow with the number of rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from apps.accounts.models import User
from apps.core.models import Process, Territory
from apps.discussion.models import Comment
from apps.proposals.models import Proposal
from tests.conftest import Personas
from tests.factories import ThemeFactory, UserFactory

LIST_BUDGET = 10
DETAIL_BUDGET = 16


# The list's query strings: none, a sort and a search, the random sort on page 2.
QUERIES: tuple[dict[str, Any], ...] = (
    {},
    {"tri": "soutiens", "q": "bancs"},
    {"tri": "hasard", "graine": "42", "page": "2"},
)


def _count(client: Client, url: str, *, cold: bool = True, **params: Any) -> int:
    """Queries of one GET; ``cold``: with the fragment cache emptied first (the path that
    renders the cards and comments, where an N+1 would show)."""
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(context.captured_queries)


def _add_proposals(process: Process, count: int, quartier: Territory) -> None:
    themes = [ThemeFactory.create() for _ in range(3)]
    process.themes.add(*themes)
    authors = [UserFactory.create() for _ in range(count)]  # a different author per row: no lucky cache
    Proposal.objects.bulk_create(
        Proposal(
            process=process,
            author=authors[index],
            title=f"Idée numéro {index}",
            body="Des bancs et des arbres.",
            theme=themes[index % 3],
            territory=quartier,
            support_count=index,
            comment_count=index % 4,
        )
        for index in range(count)
    )


def test_list_queries_constant(
    client_for: Callable[[User | None], Client],
    personas: Personas,
    process_in_phase: Callable[..., Process],
    quartier: Territory,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    small, large = process_in_phase("collect"), process_in_phase("collect")
    _add_proposals(small, 10, quartier)
    _add_proposals(large, 60, quartier)
    for persona in ("anonymous", "resident"):
        client = client_for(personas[persona])
        for params in QUERIES:
            counts = [
                _count(client, reverse("proposals:list", args=[process.slug]), **params) for process in (small, large)
            ]
            assert counts[0] == counts[1], (persona, params, counts)
        with django_assert_max_num_queries(LIST_BUDGET):
            client.get(reverse("proposals:list", args=[large.slug]))
        # Warm: the filter choices and the results block come from the cache.
        url = reverse("proposals:list", args=[large.slug])
        assert _count(client, url, cold=False) < _count(client, url), persona
        map_counts = [_count(client, reverse("proposals:map", args=[p.slug])) for p in (small, large)]
        assert map_counts[0] == map_counts[1]


def _add_comments(proposal: Proposal, top_level: int, replies_per_thread: int) -> None:
    authors = [UserFactory.create() for _ in range(10)]
    on = {
        "target_type": ContentType.objects.get_for_model(proposal),
        "target_id": proposal.pk,
        "process_id": proposal.process_id,
    }
    roots = Comment.objects.bulk_create(
        Comment(**on, author=authors[index % 10], body=f"Avis {index}", stance="agree") for index in range(top_level)
    )
    replies = []
    for root in roots:
        parent = root
        for index in range(replies_per_thread):
            reply = Comment(**on, author=authors[index % 10], parent=parent, root=root, body=f"Réponse {index}")
            reply.save()
            replies.append(reply)
            parent = reply  # a deep thread: each reply answers the previous one
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=top_level * (1 + replies_per_thread))


def test_detail_queries_same_for_10_and_300_comments(
    client_for: Callable[[User | None], Client],
    personas: Personas,
    process_in_phase: Callable[..., Process],
    make_proposal: Callable[..., Proposal],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    process = process_in_phase("collect")
    few, many = make_proposal(process, title="Peu commentée"), make_proposal(process, title="Très commentée")
    _add_comments(few, 5, 1)  # 10 comments
    _add_comments(many, 60, 4)  # 300 comments, threads 5 deep
    # Django caches content types for the process lifetime: warm it so both counts compare alike.
    client_for(None).get(few.get_absolute_url())
    for persona in ("anonymous", "resident", "moderator"):
        client = client_for(personas[persona])
        counts = [_count(client, proposal.get_absolute_url()) for proposal in (few, many)]
        assert counts[0] == counts[1], (persona, counts)
        with django_assert_max_num_queries(DETAIL_BUDGET):
            response = client.get(many.get_absolute_url(), {"page": 2})
        assert "Réponse 3" in response.content.decode()
        # Warm: the text, answers and (except for moderators) comment threads come from the cache.
        warm = _count(client, many.get_absolute_url(), cold=False, page=2)
        assert warm < counts[1], (persona, warm, counts)
