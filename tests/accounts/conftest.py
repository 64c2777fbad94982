"""Fixtures of the accounts tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def mails(mailoutbox, monkeypatch):  # type: ignore[no-untyped-def]
    """The outbox; mails queued for after the commit leave at once (the test's transaction
    never commits), as they do in the non-atomic views."""
    monkeypatch.setattr("django.db.transaction.on_commit", lambda func, using=None, robust=False: func())
    return mailoutbox
