"""Pictures of budget projects (apps.core.covers) through the project holder's form: every attack
path of an upload refused in French with the text kept, metadata stripped, the text alternative
required, the media served only while the budget is public; merged projects listed last."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image
from pytest_django import Settings

from apps.accounts.models import User
from apps.budgets.models import Budget, Project, ProjectStatus
from apps.core.models import Process, Territory
from tests.budgets.factories import ProjectFactory
from tests.conftest import Personas
from tests.security.uploads_samples import SCRIPT, bomb_png, jpeg_with_gps_and_rotation, polyglot_png

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _png(width: int = 1200, height: int = 675) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def _edit(client: Client, project: Project, content: bytes = b"", name: str = "photo.png", **extra: str) -> Any:
    data: dict[str, Any] = {
        "title": project.title,
        "description": "Un kiosque pour lire au parc.",
        "envelope": project.envelope_id,
        "estimated_cost": str(project.estimated_cost),
        **extra,
    }
    if content:
        data["cover_file"] = SimpleUploadedFile(name, content, content_type="image/png")
    return client.post(reverse("budgets:project_edit", kwargs={"pk": project.pk}), data)


def test_a_project_holder_gives_a_picture_reencoded_without_gps_and_served_while_public(
    project: Project, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    holder = client_for(personas["resident"])
    response = _edit(holder, project, jpeg_with_gps_and_rotation(), name="IMG_0042.jpg", cover_alt="Le kiosque")
    assert response.status_code == 302, response.content.decode()[:3000]
    project.refresh_from_db()
    name = project.cover.name
    assert name.startswith("covers/") and "IMG_0042" not in name and project.cover_alt == "Le kiosque"
    with default_storage.open(name) as handle, Image.open(handle) as stored:
        assert not stored.getexif()  # no GPS, no camera, no orientation tag left
    anonymous = client_for(None)
    page = anonymous.get(project.get_absolute_url()).content.decode()
    assert 'alt="Le kiosque"' in page and 'class="page-cover"' in page
    served = anonymous.get(default_storage.url(name))
    assert served.status_code == 200 and served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Type"] in ("image/jpeg", "image/png", "image/webp")
    # Unpublished budget: the picture and its copies are private again.
    Process.objects.filter(pk=project.budget.process_id).update(is_published=False)
    assert anonymous.get(default_storage.url(name)).status_code == 404


@pytest.mark.parametrize(
    ("content", "name", "error"),
    [
        (SCRIPT, "page.html", "pas une image lisible"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "logo.svg", "pas une image lisible"),
        (bomb_png(), "bombe.png", "millions de pixels"),
        (_png(40_000, 20), "bande.png", "pixels de côté au maximum"),
    ],
    ids=["html", "svg", "decompression-bomb", "huge-dimensions"],
)
def test_hostile_files_are_refused_in_french_keeping_what_was_typed(
    project: Project,
    personas: Personas,
    client_for: Callable[[User | None], Client],
    content: bytes,
    name: str,
    error: str,
    settings: Settings,
) -> None:
    response = _edit(client_for(personas["resident"]), project, content, name=name, cover_alt="Une image")
    assert response.status_code == 400
    html = response.content.decode()
    assert error in html and "Un kiosque pour lire au parc." in html
    project.refresh_from_db()
    assert not project.cover


def test_an_overweight_file_and_a_missing_description_are_refused(
    project: Project, personas: Personas, client_for: Callable[[User | None], Client], settings: Settings
) -> None:
    holder = client_for(personas["resident"])
    settings.MAX_IMAGE_UPLOAD_BYTES = 1000
    response = _edit(holder, project, _png(), cover_alt="Une image")
    assert response.status_code == 400 and "trop lourde" in response.content.decode()
    settings.MAX_IMAGE_UPLOAD_BYTES = 5 * 1024 * 1024
    response = _edit(holder, project, _png(), cover_alt="  ")
    assert response.status_code == 400 and "le texte alternatif est obligatoire" in response.content.decode()
    project.refresh_from_db()
    assert not project.cover


def test_a_polyglot_is_stored_as_a_plain_picture(
    project: Project, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    response = _edit(client_for(personas["resident"]), project, polyglot_png(), name="x.html", cover_alt="Une image")
    assert response.status_code == 302
    project.refresh_from_db()
    with default_storage.open(project.cover.name) as handle:
        assert b"<script" not in handle.read()
    assert project.cover.name.endswith(".png")


def test_projects_list_shows_merged_projects_last(
    budget: Budget, quartier: Territory, client_for: Callable[[User | None], Client]
) -> None:
    envelope = budget.envelopes.get(territory=quartier)
    ProjectFactory.create(budget=budget, envelope=envelope, title="Kiosque vivant")
    # Newer, so first by the default sort (most recent) were it not merged.
    merged = ProjectFactory.create(budget=budget, envelope=envelope, title="Kiosque fondu", status=ProjectStatus.MERGED)
    html = client_for(None).get(reverse("budgets:projects", kwargs={"slug": budget.process.slug})).content.decode()
    assert html.index("Kiosque vivant") < html.index(merged.title)
