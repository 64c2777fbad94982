"""Covers of workshops and councils through the shared primitive (apps.core.covers): the same
upload path, the fallback, the text alternative required by the database, the media served only
while the page is public, the files deleted with the picture; the demo's drawn pictures."""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.test import Client
from PIL import Image
from pytest_django import Settings

from apps.accounts.models import User
from apps.core import pictures
from apps.core.covers import cover_apply
from apps.core.demo_pictures import illustrate_demo, illustration
from apps.core.models import Territory
from apps.councils.models import Council
from apps.workshops.models import Workshop
from tests.councils.factories import CouncilFactory
from tests.security.uploads_samples import SCRIPT
from tests.workshops.factories import make_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _png(width: int = 1200, height: int = 675) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def _workshop(territory: Territory) -> Workshop:
    return make_workshop(territory=territory)


def _council(territory: Territory) -> Council:
    return CouncilFactory.create(territory=territory, is_published=True)


@pytest.mark.parametrize("make", [_workshop, _council], ids=["workshop", "council"])
def test_workshops_and_councils_share_the_same_cover_path(
    make: Callable[[Territory], Any],
    quartier: Territory,
    client_for: Callable[[User | None], Client],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    obj = make(quartier)
    anonymous = client_for(None)
    fallback = anonymous.get(obj.get_absolute_url()).content.decode()
    assert 'class="page-cover-fallback tint-' in fallback and 'page-cover"' not in fallback

    with pytest.raises(ValidationError):
        cover_apply(obj, upload=ContentFile(SCRIPT, name="x.png"), alt="Une image")
    cover_apply(obj, upload=ContentFile(_png(), name="x.png"), alt="Le panel au travail")
    obj.save()
    name = obj.cover.name
    assert default_storage.exists(pictures.variant_name(name, 480))
    page = anonymous.get(obj.get_absolute_url()).content.decode()
    assert 'alt="Le panel au travail"' in page and "480w" in page
    assert anonymous.get(default_storage.url(pictures.variant_name(name, 960))).status_code == 200
    # The database refuses a picture without its description, whatever writes it.
    with pytest.raises(IntegrityError), transaction.atomic():
        type(obj).objects.filter(pk=obj.pk).update(cover_alt="")
    # Removing it deletes the files once committed.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        cover_apply(obj, upload=None, alt="", remove=True)
        obj.save()
    assert not default_storage.exists(name) and not default_storage.exists(pictures.variant_name(name, 480))


def test_a_council_draft_keeps_its_cover_private(
    quartier: Territory, client_for: Callable[[User | None], Client]
) -> None:
    council = CouncilFactory.create(territory=quartier, is_published=False)
    cover_apply(council, upload=ContentFile(_png(), name="x.png"), alt="La salle du conseil")
    council.save()
    assert client_for(None).get(default_storage.url(council.cover.name)).status_code == 404


def test_the_demo_pictures_are_real_illustrations_with_french_descriptions(quartier: Territory) -> None:
    content, alt = illustration("Un jardin partagé à Malakoff", 2, random.Random(1))
    with Image.open(io.BytesIO(content)) as image:
        assert image.size == (1200, 675)
        colours = image.convert("RGB").getcolors(maxcolors=1200 * 675)  # None only past that count
        assert colours is not None and len(colours) > 8  # a drawing, not a flat colour
    assert alt.startswith("Illustration pour « Un jardin partagé à Malakoff » : un parc")
    council = CouncilFactory.create(territory=quartier, is_published=True)
    assert illustrate_demo(random.Random(1), per_model=2) >= 1
    council.refresh_from_db()
    assert council.cover and council.cover_alt.startswith("Illustration pour")
    assert default_storage.exists(pictures.variant_name(council.cover.name, 480))
