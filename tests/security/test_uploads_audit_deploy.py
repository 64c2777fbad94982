"""Uploads checked by content and size; audit trail of staff actions; production settings."""

from __future__ import annotations

import html
import os
import secrets
import string
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.core.models import AuditLogEntry
from apps.proposals.models import Proposal, ProposalImage
from tests.conftest import Response
from tests.security.world import World, png_bytes

ROOT = Path(__file__).resolve().parents[2]


def _big_png() -> bytes:
    # A real, decodable PNG just over 5 MB: random pixels do not compress.
    from io import BytesIO

    from PIL import Image

    side = 1400
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = BytesIO()
    image.save(buffer, format="PNG", compress_level=0)
    data = buffer.getvalue()
    assert len(data) > 5 * 1024 * 1024
    return data


def _create(world: World, client_for: Callable[[User | None], Client], upload: SimpleUploadedFile) -> Response:
    client = client_for(world.user("other_resident"))
    url = reverse("proposals:create", kwargs={"process_slug": world.process.slug})
    return client.post(
        url,
        {
            "title": "Une proposition avec une image",
            "body": "Le texte de la proposition, assez long pour être valide.",
            "image_1": upload,
            "alt_1": "Une photo du square",
        },
    )


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: SimpleUploadedFile("photo.png", b"%PDF-1.4 pas une image" * 50, "image/png"), "n'est pas une image"),
        (lambda: SimpleUploadedFile("page.png", b"<script>alert(1)</script>", "image/png"), "n'est pas une image"),
        (lambda: SimpleUploadedFile("grande.png", _big_png(), "image/png"), "trop lourde"),
    ],
    ids=["pdf-renamed-png", "html-renamed-png", "over-5-mb"],
)
def test_bad_uploads_are_refused_in_french(
    upload: Callable[[], SimpleUploadedFile], message: str, world: World, client_for: Callable[[User | None], Client]
) -> None:
    before = Proposal.objects.count(), ProposalImage.objects.count()
    response = _create(world, client_for, upload())
    assert response.status_code in (200, 400), response.status_code
    body = html.unescape(response.content.decode())
    assert message in body, body[body.find("<main") :][:3000]
    assert (Proposal.objects.count(), ProposalImage.objects.count()) == before


def test_a_real_image_is_accepted(world: World, client_for: Callable[[User | None], Client]) -> None:
    response = _create(world, client_for, SimpleUploadedFile("square.png", png_bytes(), "image/png"))
    assert response.status_code == 302, response.content.decode()[:2000]
    image = ProposalImage.objects.get(proposal__title="Une proposition avec une image")
    assert image.alt_text == "Une photo du square"


# --- audit log ------------------------------------------------------------------------------


def test_staff_actions_are_audited(world: World, client_for: Callable[[User | None], Client]) -> None:
    agent = client_for(world.user("agent"))
    moderator = client_for(world.user("moderator"))
    proposal = world.proposal
    before = AuditLogEntry.objects.count()

    response = agent.post(
        reverse("proposals_admin:proposal_assign", kwargs={"pk": proposal.pk}), {"service": world.service.pk}
    )
    assert response.status_code == 302
    response = agent.post(
        reverse("proposals_admin:proposal_answer", kwargs={"pk": proposal.pk}),
        {"status": "accepted", "body": "La Ville installera trois bancs à l'ombre d'ici l'été.", "step": "submit"},
    )
    assert response.status_code == 302
    response = moderator.post(
        reverse("proposals:comment_hide", kwargs={"pk": world.comment.pk}),
        {"reason": "Propos insultants", "hidden_reason": "Propos insultants"},
    )
    assert response.status_code == 302

    entries = AuditLogEntry.objects.order_by("pk")[before:]
    actions = {(entry.action, entry.actor_id) for entry in entries}
    agent_id, moderator_id = world.people["agent"].pk, world.people["moderator"].pk
    assert ("proposal.assign", agent_id) in actions, actions
    assert ("proposal.answer_draft", agent_id) in actions, actions
    assert any(action.startswith("comment.hide") and actor == moderator_id for action, actor in actions), actions


def test_residents_actions_are_not_mixed_into_the_audit_log(
    world: World, client_for: Callable[[User | None], Client]
) -> None:
    before = AuditLogEntry.objects.count()
    client = client_for(world.user("other_resident"))
    assert client.post(reverse("proposals:support", kwargs={"pk": world.proposal.pk})).status_code == 302
    assert AuditLogEntry.objects.count() == before


# --- production settings -----------------------------------------------------------------------


def test_check_deploy_passes_with_production_settings(tmp_path: Path) -> None:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_URL", "DJANGO_"))},
        "ARCHIPEL_ENV": "production",
        "ARCHIPEL_TESTING": "0",
        "DEBUG": "0",
        "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(64)),
        "ALLOWED_HOSTS": "archipel.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "archipel.settings",
        # Production needs Redis (archipel.E001); the check does not connect to it.
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout.lower() or "0 silenced" in result.stdout.lower(), result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DATABASE_URL"}}
    env.update(
        {
            "ARCHIPEL_ENV": "production",
            "ALLOWED_HOSTS": "archipel.example",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
