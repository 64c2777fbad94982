"""Fixtures of the proposals tests: a proposal by ``resident`` with a comment by ``other_resident``."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pytest_django import Settings

from apps.core.models import Process, Theme
from apps.discussion.models import Comment
from apps.proposals.models import Proposal
from tests.conftest import Personas
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
def _media(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def theme() -> Theme:
    return ThemeFactory.create(name="Mobilités", slug="mobilites")


@pytest.fixture
def make_proposal(personas: Personas) -> Callable[..., Proposal]:
    def make(process: Process, **extra: Any) -> Proposal:
        extra.setdefault("author", personas["resident"])
        return ProposalFactory.create(process=process, **extra)

    return make


@pytest.fixture
def collect_process(process_in_phase: Callable[..., Process], theme: Theme) -> Process:
    process = process_in_phase("collect")
    process.themes.add(theme)
    return process


@pytest.fixture
def proposal(collect_process: Process, make_proposal: Callable[..., Proposal], theme: Theme) -> Proposal:
    return make_proposal(collect_process, title="Des bancs à l'ombre place Viarme", theme=theme)


@pytest.fixture
def comment(proposal: Proposal, personas: Personas) -> Comment:
    return CommentFactory.create(proposal=proposal, author=personas["other_resident"])
