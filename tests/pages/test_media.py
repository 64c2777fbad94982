"""``pages:media`` serves an uploaded file only when it belongs to something public."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.http import FileResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import Settings

from apps.accounts.models import User
from apps.core.models import Process
from apps.followup.models import CommitmentUpdate
from apps.proposals.models import Proposal, ProposalImage
from tests.conftest import PERSONAS, Personas
from tests.factories import CommitmentFactory, ProposalFactory
from tests.pages.helpers import draft

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def media_root(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "proposals").mkdir(parents=True)
    (settings.MEDIA_ROOT / "commitments").mkdir(parents=True)
    (tmp_path / "secret.txt").write_text("secret")
    return Path(settings.MEDIA_ROOT)


def image_for(proposal: Proposal, media_root: Path, name: str) -> str:
    relative = f"proposals/{name}"
    (media_root / relative).write_bytes(PNG)
    ProposalImage.objects.create(proposal=proposal, image=relative, alt_text="Un banc")
    return relative


def url(path: str) -> str:
    return reverse("pages:media", kwargs={"path": path})


@pytest.mark.parametrize("persona", PERSONAS)
def test_media_matrix(
    persona: str,
    personas: Personas,
    client_for: Callable[[User | None], Client],
    media_root: Path,
    process_in_phase: Callable[..., Process],
) -> None:
    public = image_for(ProposalFactory.create(process=process_in_phase("collect")), media_root, "public.png")
    in_draft = image_for(ProposalFactory.create(process=draft(process_in_phase("collect"))), media_root, "draft.png")
    withdrawn = image_for(
        ProposalFactory.create(process=process_in_phase("collect"), is_withdrawn=True), media_root, "withdrawn.png"
    )
    (media_root / "proposals" / "orphan.png").write_bytes(PNG)
    client = client_for(personas[persona])
    response = client.get(url(public))
    assert response.status_code == 200
    assert isinstance(response, FileResponse)
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    for private in (in_draft, withdrawn, "proposals/orphan.png"):
        assert client.get(url(private)).status_code == 404, private


def test_commitment_photo(client: Client, media_root: Path, process_in_phase: Callable[..., Process]) -> None:
    (media_root / "commitments" / "chantier.png").write_bytes(PNG)
    commitment = CommitmentFactory.create(process=process_in_phase("followup"))
    CommitmentUpdate.objects.create(
        commitment=commitment,
        date=timezone.localdate(),
        body="Chantier",
        progress=50,
        state="in_progress",
        photo="commitments/chantier.png",
        photo_alt="Le chantier",
    )
    assert client.get(url("commitments/chantier.png")).status_code == 200
    commitment.process.is_published = False
    commitment.process.save()
    assert client.get(url("commitments/chantier.png")).status_code == 404


def test_path_traversal_is_refused(client: Client, media_root: Path, process_in_phase: Callable[..., Process]) -> None:
    proposal = ProposalFactory.create(process=process_in_phase("collect"))
    # Even a database row pointing outside MEDIA_ROOT must not expose the file.
    ProposalImage.objects.create(proposal=proposal, image="../secret.txt", alt_text="x")
    for path in ("../secret.txt", "proposals/../../secret.txt", "%2e%2e/secret.txt", "/etc/passwd"):
        assert client.get("/media/" + path).status_code == 404, path


def test_missing_file_is_404(client: Client, media_root: Path, process_in_phase: Callable[..., Process]) -> None:
    proposal = ProposalFactory.create(process=process_in_phase("collect"))
    ProposalImage.objects.create(proposal=proposal, image="proposals/gone.png", alt_text="x")
    assert client.get(url("proposals/gone.png")).status_code == 404
