"""Parallel support requests on PostgreSQL (Decidim CVE-2023-47634, CONSUL #2415/#4061).

A real HTTP server (pytest-django's ``live_server``, one thread per request, one database
connection per thread) receives 50 POSTs released at the same instant by a barrier. The
unique constraint must leave exactly one support for one account, and 50 for 50 accounts,
with the denormalised counter equal to the number of rows.
"""

from __future__ import annotations

import http.client
import secrets
import string
import threading
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from pytest_django.live_server_helper import LiveServer

from apps.accounts.models import User
from apps.core.models import Process
from apps.proposals.models import Proposal, Support
from tests.factories import ProposalFactory, UserFactory

pytestmark = pytest.mark.postgres

PARALLEL = 50


@pytest.fixture(autouse=True)
def _postgres_only(transactional_db: None) -> None:
    # Locking and constraint races are only meaningful on the production database.
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (CI runs it there)")


def _session_cookie(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _post_all(
    live_url: str, path: str, sessions: list[str], *, paths: list[str] | None = None, body: str = ""
) -> list[int | str]:
    """POST ``path`` (or ``paths[i]``) once per session with a form-encoded ``body``, all threads
    released together; statuses in order."""
    parts = urlsplit(live_url)
    barrier = threading.Barrier(len(sessions))
    results: list[int | str] = [0] * len(sessions)
    # An unmasked 32-character secret is a valid CSRF cookie and header value.
    csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))

    def worker(index: int, session: str) -> None:
        conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
        try:
            conn.connect()
            barrier.wait(timeout=60)
            conn.request(
                "POST",
                paths[index] if paths else path,
                body=body,
                headers={
                    "Cookie": f"sessionid={session}; csrftoken={csrf}",
                    "X-CSRFToken": csrf,
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            )
            response = conn.getresponse()
            response.read()
            results[index] = response.status
        except Exception as exc:  # reported in the assertion below
            results[index] = f"{type(exc).__name__}: {exc}"
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(i, s)) for i, s in enumerate(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_fifty_parallel_supports_from_one_account_leave_one(
    live_server: LiveServer, process_in_phase: Callable[..., Process]
) -> None:
    proposal = ProposalFactory.create(process=process_in_phase("collect"))
    user = UserFactory.create()
    session = _session_cookie(user)
    path = reverse("proposals:support", kwargs={"pk": proposal.pk})

    statuses = _post_all(live_server.url, path, [session] * PARALLEL)

    assert all(status in (200, 302, 303) for status in statuses), statuses
    assert Support.objects.filter(proposal=proposal, user=user).count() == 1
    proposal.refresh_from_db()
    assert proposal.support_count == 1


def test_fifty_parallel_supports_from_fifty_accounts_count_fifty(
    live_server: LiveServer, process_in_phase: Callable[..., Process]
) -> None:
    proposal = ProposalFactory.create(process=process_in_phase("collect"))
    users = [UserFactory.create() for _ in range(PARALLEL)]
    sessions = [_session_cookie(user) for user in users]
    path = reverse("proposals:support", kwargs={"pk": proposal.pk})

    statuses = _post_all(live_server.url, path, sessions)

    assert all(status in (200, 302, 303) for status in statuses), statuses
    assert Support.objects.filter(proposal=proposal).count() == PARALLEL
    proposal.refresh_from_db()
    assert proposal.support_count == PARALLEL


def test_parallel_support_and_withdrawal_keep_the_counter_exact(
    live_server: LiveServer, process_in_phase: Callable[..., Process]
) -> None:
    # Support and "take it back" racing from the same account: whatever wins, the counter
    # equals the number of rows.
    proposal = ProposalFactory.create(process=process_in_phase("collect"))
    user = UserFactory.create()
    session = _session_cookie(user)
    support = reverse("proposals:support", kwargs={"pk": proposal.pk})
    unsupport = reverse("proposals:unsupport", kwargs={"pk": proposal.pk})
    parts = urlsplit(live_server.url)
    barrier = threading.Barrier(20)
    statuses: list[int] = []
    csrf = "k" * 32

    def worker(path: str) -> None:
        conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
        barrier.wait(timeout=60)
        conn.request("POST", path, headers={"Cookie": f"sessionid={session}; csrftoken={csrf}", "X-CSRFToken": csrf})
        statuses.append(conn.getresponse().status)
        conn.close()

    threads = [threading.Thread(target=worker, args=(support if i % 2 else unsupport,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(statuses) == 20 and all(status in (200, 302, 303) for status in statuses), statuses
    proposal.refresh_from_db()
    assert proposal.support_count == Support.objects.filter(proposal=proposal).count()
    assert proposal.support_count in (0, 1)
    assert Proposal.objects.filter(pk=proposal.pk, support_count__gte=0).exists()
