"""Fixtures of the accounts tests."""

from __future__ import annotations

import pytest
from django.core.mail import EmailMessage


@pytest.fixture
def mails(mailoutbox: list[EmailMessage], monkeypatch: pytest.MonkeyPatch) -> list[EmailMessage]:
    """The outbox; mails queued for after the commit leave at once (the test's transaction
    never commits), as they do in the non-atomic views."""
    monkeypatch.setattr("django.db.transaction.on_commit", lambda func, using=None, robust=False: func())
    return mailoutbox
