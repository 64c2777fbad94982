"""Notification fan-out and emails: immediate, daily digest, never."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from apps.accounts.models import User
from apps.core.models import Process, Territory
from apps.followup.models import Commitment
from apps.followup.services import commitment_update
from apps.notifications.models import Follow, Notification
from apps.notifications.services import follow
from apps.notifications.tasks import send_daily_digests
from apps.proposals.models import Status
from apps.proposals.services import comment_create, proposal_answer
from tests.conftest import Personas
from tests.factories import CommentFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db

ANSWER = "Nous installerons des bancs à l'ombre avant l'été prochain."


@pytest.fixture
def setting(personas: Personas, process_in_phase: Callable[..., Process], quartier: Territory) -> dict[str, Any]:
    process = process_in_phase("debate")  # comments open, answers allowed (not the collect phase)
    author = UserFactory.create(email="autrice@example.org", display_name="Autrice")
    proposal = ProposalFactory.create(process=process, author=author, territory=quartier, title="Des bancs à l'ombre")
    people = {
        "author": author,
        "proposal_follower": UserFactory.create(email="p@example.org"),
        "process_follower": UserFactory.create(email="d@example.org", email_frequency=User.EmailFrequency.DAILY),
        "quartier_follower": UserFactory.create(email="q@example.org", email_frequency=User.EmailFrequency.NEVER),
        "stranger": UserFactory.create(email="s@example.org"),
    }
    follow(user=people["proposal_follower"], target=proposal)
    follow(user=people["process_follower"], process=process)
    follow(user=people["quartier_follower"], territory=quartier)
    return {"proposal": proposal, "process": process, "agent": personas["agent"], "elu": personas["elu"], **people}


def _answer(setting: dict[str, Any], capture: DjangoCaptureOnCommitCallbacks) -> None:
    with capture(execute=True):
        proposal_answer(
            actor=setting["elu"],
            author=setting["agent"],
            proposal=setting["proposal"],
            status=Status.ACCEPTED,
            body=ANSWER,
        )


def test_answer_notifies_author_and_every_kind_of_follower(
    setting: dict[str, Any], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    _answer(setting, django_capture_on_commit_callbacks)
    notified = set(Notification.objects.filter(kind="answer").values_list("user__email", flat=True))
    assert notified == {"autrice@example.org", "p@example.org", "d@example.org", "q@example.org"}
    assert not Notification.objects.filter(user__in=[setting["agent"], setting["elu"]]).exists()
    # Emails only to the immediate people, one each.
    assert sorted(m.to[0] for m in mail.outbox) == ["autrice@example.org", "p@example.org"]
    message = mail.outbox[0]
    assert "Des bancs à l'ombre" in message.subject  # no HTML escaping in plain-text mail
    assert "&#x27;" not in message.body
    assert "Des bancs à l'ombre" in message.body
    assert "/comptes/profil/" in message.body
    immediate = Notification.objects.filter(user=setting["author"]).get()
    assert immediate.emailed_at is not None


def test_daily_digest_gets_one_email_and_never_gets_none(
    setting: dict[str, Any], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    _answer(setting, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(author=setting["stranger"], proposal=setting["proposal"], body="Très bonne idée !")
    assert all("d@example.org" not in m.to for m in mail.outbox)
    mail.outbox.clear()
    Notification.objects.create(user=setting["process_follower"], kind="status", title="Deuxième nouvelle", url="/")
    assert send_daily_digests() == 1
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == ["d@example.org"]
    assert digest.subject == "Votre résumé du jour sur Archipel"
    assert "La Ville a répondu" in digest.body and "Deuxième nouvelle" in digest.body
    # Nothing twice, and "never" people got nothing at all.
    assert send_daily_digests() == 0
    assert len(mail.outbox) == 1
    assert not any("q@example.org" in m.to for m in mail.outbox)
    assert Notification.objects.filter(user=setting["quartier_follower"], emailed_at__isnull=True).exists()


def test_digest_skips_stale_backlog(setting: dict[str, Any]) -> None:
    old = Notification.objects.create(user=setting["process_follower"], kind="status", title="Vieux", url="/")
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=10))
    assert send_daily_digests() == 0
    assert mail.outbox == []


def test_reply_notifies_the_parent_comment_author(
    setting: dict[str, Any], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    parent_author = UserFactory.create(email="parent@example.org")
    parent = CommentFactory.create(proposal=setting["proposal"], author=parent_author)
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(author=setting["stranger"], proposal=setting["proposal"], body="Je réponds.", parent=parent)
    reply = Notification.objects.get(user=parent_author)
    assert reply.kind == Notification.Kind.REPLY
    assert "parent@example.org" in [m.to[0] for m in mail.outbox]
    # The proposal's author hears about the new comment too, and the commenter about nothing.
    assert Notification.objects.filter(user=setting["author"], kind="comment").exists()
    assert not Notification.objects.filter(user=setting["stranger"]).exists()


def test_own_reply_does_not_notify_oneself(
    setting: dict[str, Any], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    parent = CommentFactory.create(proposal=setting["proposal"], author=setting["stranger"])
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(author=setting["stranger"], proposal=setting["proposal"], body="Précision.", parent=parent)
    assert not Notification.objects.filter(user=setting["stranger"]).exists()


def test_commitment_update_notifies_followers(
    setting: dict[str, Any], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    _answer(setting, django_capture_on_commit_callbacks)
    commitment = Commitment.objects.get(source_id=setting["proposal"].pk)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        commitment_update(
            actor=setting["agent"],
            commitment=commitment,
            date=timezone.localdate(),
            body="Les bancs sont commandés.",
            progress=30,
            state=Commitment.State.IN_PROGRESS,
        )
    notified = set(Notification.objects.filter(kind="commitment").values_list("user__email", flat=True))
    assert notified == {"autrice@example.org", "p@example.org", "d@example.org", "q@example.org"}
    assert sorted(m.to[0] for m in mail.outbox) == ["autrice@example.org", "p@example.org"]
    assert "30 %" in mail.outbox[0].subject


def test_deleted_and_inactive_people_are_not_notified(
    setting: dict[str, Any], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    from apps.accounts.services import account_delete

    account_delete(user=setting["proposal_follower"])
    User.objects.filter(pk=setting["author"].pk).update(is_active=False)
    _answer(setting, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert not Follow.objects.filter(user=setting["proposal_follower"]).exists()


def test_frequency_changed_before_the_task_runs_is_respected(setting: dict[str, Any]) -> None:
    from apps.notifications.tasks import send_immediate_emails

    notification = Notification.objects.create(user=setting["author"], kind="status", title="X", url="/")
    User.objects.filter(pk=setting["author"].pk).update(email_frequency=User.EmailFrequency.NEVER)
    send_immediate_emails([notification.pk])
    assert mail.outbox == []


def test_subject_with_line_breaks_is_flattened(setting: dict[str, Any]) -> None:
    from apps.notifications.tasks import send_immediate_emails

    notification = Notification.objects.create(user=setting["author"], kind="status", title="Ligne 1\nLigne 2", url="/")
    send_immediate_emails([notification.pk])
    assert mail.outbox[0].subject == "Ligne 1 Ligne 2"


MARKDOWN_ANSWER = (
    "La Ville posera trois bancs **au printemps 2027** :\n\n"
    "- un banc *rue Ménétrier*\n- deux bancs [place Viarme](https://example.org/viarme)\n\n"
    "<script>alert('x')</script>Merci pour votre proposition."
)


def test_answer_email_renders_markdown_in_html_and_plain_text(
    setting: dict[str, Any], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    """Issue 8, item 12: no ``**au printemps 2027**`` in the e-mails."""
    with django_capture_on_commit_callbacks(execute=True):
        proposal_answer(
            actor=setting["elu"], proposal=setting["proposal"], status=Status.ACCEPTED, body=MARKDOWN_ANSWER
        )
    message = next(m for m in mail.outbox if m.to == ["autrice@example.org"])
    text = message.body
    assert "au printemps 2027" in text and "**" not in text and "*rue" not in text
    assert "- un banc rue Ménétrier" in text
    assert "place Viarme (https://example.org/viarme)" in text
    assert "<script>" not in text and "alert" not in text
    assert isinstance(message, EmailMultiAlternatives)
    html, mimetype = message.alternatives[0]
    assert isinstance(html, str)
    assert mimetype == "text/html"
    assert "<strong>au printemps 2027</strong>" in html
    assert "<li>un banc <em>rue Ménétrier</em></li>" in html
    assert "<script>" not in html and "alert(" not in html  # sanitised like the site
    assert "**" not in html
