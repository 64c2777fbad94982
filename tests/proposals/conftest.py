"""Fixtures of the proposals tests: a proposal by ``resident`` with a comment by ``other_resident``."""

from __future__ import annotations

import io
import os
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.core.models import Process
from apps.discussion.models import Comment
from apps.proposals.models import Proposal
from tests.factories import CommentFactory, ProposalFactory, ThemeFactory


def png_upload(name: str = "photo.png", size: tuple[int, int] = (8, 8), noise: bool = False) -> SimpleUploadedFile:
    """A real PNG; with ``noise`` it does not compress, so its weight grows with ``size``."""
    buffer = io.BytesIO()
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (200, 30, 30))
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def theme():  # type: ignore[no-untyped-def]
    return ThemeFactory(name="Mobilités", slug="mobilites")


@pytest.fixture
def make_proposal(personas) -> Callable[..., Proposal]:  # type: ignore[no-untyped-def]
    def make(process: Process, **extra) -> Proposal:  # type: ignore[no-untyped-def]
        extra.setdefault("author", personas["resident"])
        return ProposalFactory(process=process, **extra)

    return make


@pytest.fixture
def collect_process(process_in_phase, theme) -> Process:  # type: ignore[no-untyped-def]
    process = process_in_phase("collect")
    process.themes.add(theme)
    return process


@pytest.fixture
def proposal(collect_process, make_proposal, theme) -> Proposal:  # type: ignore[no-untyped-def]
    return make_proposal(collect_process, title="Des bancs à l'ombre place Viarme", theme=theme)


@pytest.fixture
def comment(proposal, personas) -> Comment:  # type: ignore[no-untyped-def]
    return CommentFactory(proposal=proposal, author=personas["other_resident"])
