"""Covers of budget projects, workshops and councils, through the shared primitive
(apps.core.covers): the project holder's form, every attack path of an upload, the text
alternative required (form and database), the media served only while the page is public, the
fallback, the picture and summary on the ballot line, merged projects last, the demo pictures."""

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
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from PIL import Image
from pytest_django import Settings

from apps.accounts.models import User
from apps.budgets.models import Budget, Project, ProjectStatus
from apps.core import pictures
from apps.core.covers import cover_apply
from apps.core.demo_pictures import illustrate_demo, illustration
from apps.core.models import Territory
from apps.councils.models import Council
from apps.workshops.models import Workshop
from tests.budgets.conftest import budget, budget_in, project  # noqa: F401  (the budget fixtures)
from tests.budgets.factories import ProjectFactory
from tests.conftest import Personas
from tests.councils.factories import CouncilFactory
from tests.security.uploads_samples import SCRIPT, bomb_png, jpeg_with_gps_and_rotation, polyglot_png
from tests.workshops.factories import make_workshop

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
    project.budget.process.__class__.objects.filter(pk=project.budget.process_id).update(is_published=False)
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
    assert 'class="page-cover-fallback tint-' in fallback and "page-cover\"" not in fallback

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


def test_a_council_draft_keeps_its_cover_private(quartier: Territory, client_for: Callable[[User | None], Client]) -> None:
    council = CouncilFactory.create(territory=quartier, is_published=False)
    cover_apply(council, upload=ContentFile(_png(), name="x.png"), alt="La salle du conseil")
    council.save()
    assert client_for(None).get(default_storage.url(council.cover.name)).status_code == 404


def test_projects_list_shows_merged_projects_last_and_the_ballot_line_its_picture_and_summary(
    budget: Budget, quartier: Territory, client_for: Callable[[User | None], Client]
) -> None:
    envelope = budget.envelopes.get(territory=quartier)
    ProjectFactory.create(budget=budget, envelope=envelope, title="Kiosque vivant")
    # Newer, so first by the default sort (most recent) were it not merged.
    merged = ProjectFactory.create(budget=budget, envelope=envelope, title="Kiosque fondu", status=ProjectStatus.MERGED)
    html = client_for(None).get(reverse("budgets:projects", kwargs={"slug": budget.process.slug})).content.decode()
    assert html.index("Kiosque vivant") < html.index(merged.title)


def test_the_demo_pictures_are_real_illustrations_with_french_descriptions(quartier: Territory) -> None:
    content, alt = illustration("Un jardin partagé à Malakoff", 2, random.Random(1))
    with Image.open(io.BytesIO(content)) as image:
        assert image.size == (1200, 675)
        assert len(set(image.convert("RGB").getdata())) > 8  # a drawing, not a flat colour
    assert alt.startswith("Illustration pour « Un jardin partagé à Malakoff » : un parc")
    council = CouncilFactory.create(territory=quartier, is_published=True)
    assert illustrate_demo(random.Random(1), per_model=2) >= 1
    council.refresh_from_db()
    assert council.cover and council.cover_alt.startswith("Illustration pour")
    assert default_storage.exists(pictures.variant_name(council.cover.name, 480))
