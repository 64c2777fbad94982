"""Cover pictures of processes: re-encoded on upload with smaller WebP copies, never without
their text alternative, public only with a published process, a fallback when there is none."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from PIL import Image
from pytest_django import Settings

from apps.accounts.models import User
from apps.core import pictures
from apps.core.models import Process
from tests.backoffice.test_processes import _process_data
from tests.conftest import Personas
from tests.factories import ProcessFactory
from tests.security.uploads_samples import SCRIPT, bomb_png, polyglot_png

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _jpeg(width: int = 1600, height: int = 900) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 60)).save(buffer, format="JPEG")
    return buffer.getvalue()


def _post(client: Client, process: Process, content: bytes, name: str = "place.jpg", **extra: Any) -> Any:
    data = _process_data(process.territory_id, title=process.title, slug=process.slug, **extra)
    data.update({"etapes-TOTAL_FORMS": "0", "etapes-INITIAL_FORMS": "0"})
    if content:
        data["cover_file"] = SimpleUploadedFile(name, content, content_type="image/jpeg")
    return client.post(reverse("backoffice:process_edit", kwargs={"pk": process.pk}), data)


@pytest.fixture
def process(personas: Personas) -> Process:
    agent = personas["agent"]
    territory = agent.role_assignments.get().territory
    return ProcessFactory.create(territory=territory, slug="place-du-marche")


def test_a_cover_is_reencoded_with_smaller_copies_and_shown_lazily_with_its_alt(
    process: Process,
    personas: Personas,
    client_for: Callable[[User | None], Client],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    response = _post(client_for(personas["agent"]), process, _jpeg(1000, 560), cover_alt="La place un jour de marché")
    assert response.status_code == 302, response.content.decode()[:2000]
    process.refresh_from_db()
    name = process.cover.name
    assert name.startswith("covers/") and name.endswith(".jpg") and "place" not in name
    assert (process.cover_width, process.cover_height) == (1000, 560)
    for width in pictures.WIDTHS:
        with default_storage.open(pictures.variant_name(name, width)) as handle, Image.open(handle) as copy:
            assert copy.format == "WEBP" and copy.width == width

    anonymous = client_for(None)
    home = anonymous.get(reverse("pages:home")).content.decode()
    page = anonymous.get(process.get_absolute_url()).content.decode()
    for html in (home, page):
        assert 'alt="La place un jour de marché"' in html
        assert f"{pictures.variant_name(name, 480).rsplit('/', 1)[1]} 480w" in html
    assert 'loading="lazy"' in home
    served = anonymous.get(default_storage.url(pictures.variant_name(name, 960)))
    assert served.status_code == 200 and served["Content-Type"] == "image/webp"
    assert served["X-Content-Type-Options"] == "nosniff"

    # A new picture replaces the old files once saved; removing it brings the fallback back.
    with django_capture_on_commit_callbacks(execute=True):
        _post(client_for(personas["agent"]), process, _jpeg(800, 600), cover_alt="La place le soir")
    process.refresh_from_db()
    assert not default_storage.exists(name) and not default_storage.exists(pictures.variant_name(name, 480))
    assert default_storage.exists(pictures.variant_name(process.cover.name, 480))
    assert not default_storage.exists(pictures.variant_name(process.cover.name, 960))  # never upscaled
    _post(client_for(personas["agent"]), process, b"", cover_alt="La place le soir", remove_cover="on")
    process.refresh_from_db()
    assert not process.cover and process.cover_alt == ""
    assert 'class="card-fallback' in anonymous.get(reverse("pages:home")).content.decode()


def test_a_cover_without_alternative_text_is_refused_in_french_keeping_what_was_typed(
    process: Process, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    response = _post(client_for(personas["agent"]), process, _jpeg(), cover_alt="  ", summary="Mon résumé tapé")
    assert response.status_code == 400
    html = response.content.decode()
    assert "le texte alternatif est obligatoire" in html and "Mon résumé tapé" in html
    process.refresh_from_db()
    assert not process.cover
    # The database refuses it too, whatever writes it.
    with pytest.raises(IntegrityError), transaction.atomic():
        Process.objects.filter(pk=process.pk).update(cover="covers/x.jpg", cover_alt="")


@pytest.mark.parametrize(
    ("content", "name", "error"),
    [
        (SCRIPT, "page.html", "pas une image lisible"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "logo.svg", "pas une image lisible"),
        (bomb_png(), "bombe.png", "millions de pixels"),
    ],
)
def test_hostile_files_are_refused_as_covers(
    process: Process,
    personas: Personas,
    client_for: Callable[[User | None], Client],
    content: bytes,
    name: str,
    error: str,
) -> None:
    response = _post(client_for(personas["agent"]), process, content, name=name, cover_alt="Une image")
    assert response.status_code == 400 and error in response.content.decode()
    process.refresh_from_db()
    assert not process.cover


def test_a_polyglot_is_stored_as_a_plain_picture_and_a_draft_cover_stays_private(
    process: Process, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    response = _post(client_for(personas["agent"]), process, polyglot_png(), name="x.html", cover_alt="Une image")
    assert response.status_code == 302
    process.refresh_from_db()
    with default_storage.open(process.cover.name) as handle:
        stored = handle.read()
    assert process.cover.name.endswith(".png") and b"<script" not in stored
    Process.objects.filter(pk=process.pk).update(is_published=False)
    anonymous = client_for(None)
    assert anonymous.get(default_storage.url(process.cover.name)).status_code == 404
    # A name shaped like a copy of someone else's file is no way in either.
    assert anonymous.get("/media/covers/2026/12/abc-480.webp").status_code == 404
