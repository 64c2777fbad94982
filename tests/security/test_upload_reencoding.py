"""Item 1 of issue 8, the upload layers: a PNG+HTML polyglot named ``poly.html`` was stored
under that name and served as a web page. Now every upload is re-encoded under a random name
with its real extension, the media view sends only an allow-list of image types (nosniff,
disposition by type, a sandbox CSP), and a decompression bomb is a French form error."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from PIL import Image

from apps.accounts.models import User
from apps.followup.models import CommitmentUpdate
from apps.proposals.models import Proposal, ProposalImage
from apps.sittings.models import Document as SessionDocument  # session documents are sitting documents
from tests.conftest import Response, body_of
from tests.security.uploads_samples import (
    SCRIPT,
    bomb_png,
    gif_bytes,
    jpeg_with_gps_and_rotation,
    pdf_bytes,
    polyglot_png,
)
from tests.security.world import World, png_bytes

RANDOM_NAME = r"[0-9a-f]{32}"


def _propose(
    world: World, client_for: Callable[[User | None], Client], upload: SimpleUploadedFile, **extra: str
) -> Response:
    client = client_for(world.user("other_resident"))
    url = reverse("proposals:create", kwargs={"process_slug": world.process.slug})
    data = {
        "title": "Un abri à vélos devant la médiathèque",
        "body": "Un abri couvert pour une vingtaine de vélos, près de l'entrée principale.",
        "address": "Place de la médiathèque",
        "image_1": upload,
        "alt_1": "Le parvis de la médiathèque",
        **extra,
    }
    return client.post(url, data)


def _stored_bytes(name: str) -> bytes:
    return (Path(settings.MEDIA_ROOT) / name).read_bytes()


def test_a_png_html_polyglot_named_html_is_stored_as_a_clean_png_and_served_as_an_image(
    world: World,
    client_for: Callable[[User | None], Client],
) -> None:
    response = _propose(world, client_for, SimpleUploadedFile("poly.html", polyglot_png(), "text/html"))
    assert response.status_code == 302, response.content.decode()[:2000]
    image = ProposalImage.objects.get(proposal__title="Un abri à vélos devant la médiathèque")
    assert re.fullmatch(rf"proposals/\d{{4}}/\d{{2}}/{RANDOM_NAME}\.png", image.image.name), image.image.name
    stored = _stored_bytes(image.image.name)
    assert b"<script" not in stored and b"<html" not in stored
    assert stored.endswith(b"IEND\xaeB`\x82")  # nothing after the PNG's last chunk
    assert Image.open(io.BytesIO(stored)).format == "PNG"

    served = client_for(None).get(reverse("pages:media", kwargs={"path": image.image.name}))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"].startswith("inline")
    csp = served["Content-Security-Policy"]
    for directive in ("default-src 'none'", "img-src 'self'", "style-src 'unsafe-inline'", "sandbox"):
        assert directive in csp, csp
    assert body_of(served) == stored


def test_a_photo_loses_its_gps_position_and_is_turned_upright(
    world: World, client_for: Callable[[User | None], Client]
) -> None:
    original = jpeg_with_gps_and_rotation()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the sample does hold a position
    response = _propose(world, client_for, SimpleUploadedFile("IMG_0042.JPG", original, "image/jpeg"))
    assert response.status_code == 302
    image = ProposalImage.objects.get(proposal__title="Un abri à vélos devant la médiathèque")
    assert re.fullmatch(rf"proposals/\d{{4}}/\d{{2}}/{RANDOM_NAME}\.jpg", image.image.name)
    stored = Image.open(io.BytesIO(_stored_bytes(image.image.name)))
    assert stored.size == (20, 40)  # the 90° EXIF rotation is applied to the pixels
    assert not stored.getexif()
    assert b"PhoneMaker" not in _stored_bytes(image.image.name)


def test_a_gif_is_stored_as_a_png(world: World, client_for: Callable[[User | None], Client]) -> None:
    assert _propose(world, client_for, SimpleUploadedFile("anim.gif", gif_bytes(), "image/gif")).status_code == 302
    image = ProposalImage.objects.get(proposal__title="Un abri à vélos devant la médiathèque")
    assert image.image.name.endswith(".png")


def test_a_decompression_bomb_is_a_french_error_that_keeps_what_was_typed(
    world: World, client_for: Callable[[User | None], Client]
) -> None:
    bomb = bomb_png()
    assert len(bomb) < 150_000  # ~107 KB that claim 30000 x 30000 pixels
    before = Proposal.objects.count(), ProposalImage.objects.count()
    response = _propose(world, client_for, SimpleUploadedFile("plan.png", bomb, "image/png"))
    assert response.status_code in (200, 400)
    body = html.unescape(response.content.decode())
    assert "image trop grande" in body.lower(), body[body.find("<main") :][:3000]
    assert 'value="Un abri à vélos devant la médiathèque"' in body
    assert "Un abri couvert pour une vingtaine de vélos, près de l'entrée principale." in body
    assert 'value="Place de la médiathèque"' in body
    assert (Proposal.objects.count(), ProposalImage.objects.count()) == before


def test_a_commitment_photo_is_reencoded_and_a_bomb_refused(
    world: World, client_for: Callable[[User | None], Client]
) -> None:
    agent = client_for(world.user("agent"))
    url = reverse("backoffice:commitment_update", kwargs={"pk": world.commitment.pk})
    data = {"date": "2026-11-02", "body": "Les bancs sont posés.", "progress": 60, "state": "in_progress"}
    refused = agent.post(url, {**data, "photo": SimpleUploadedFile("p.png", bomb_png(), "image/png"), "photo_alt": "x"})
    assert refused.status_code == 400
    assert "image trop grande" in html.unescape(refused.content.decode()).lower()
    assert "Les bancs sont posés." in html.unescape(refused.content.decode())

    photo = SimpleUploadedFile("chantier.html", polyglot_png(), "text/html")
    response = agent.post(url, {**data, "photo": photo, "photo_alt": "Les bancs posés"})
    assert response.status_code == 302, html.unescape(response.content.decode())[:3000]
    update = CommitmentUpdate.objects.filter(commitment=world.commitment).latest("pk")
    assert re.fullmatch(rf"commitments/\d{{4}}/\d{{2}}/{RANDOM_NAME}\.png", update.photo.name)
    assert SCRIPT not in _stored_bytes(update.photo.name)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("proposals/2026/01/page.html", SCRIPT),
        ("proposals/2026/01/dessin.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("proposals/2026/01/ancien.gif", gif_bytes()),
        ("proposals/2026/01/poly.html", polyglot_png()),
        ("proposals/2026/01/deguise.png", SCRIPT),  # right extension, wrong bytes
        ("proposals/2026/01/SANS-EXTENSION", png_bytes()),
    ],
    ids=["html", "svg", "gif", "png-named-html", "html-named-png", "no-extension"],
)
def test_a_stored_file_outside_the_allow_list_is_never_served(
    name: str,
    content: bytes,
    world: World,
    client_for: Callable[[User | None], Client],
) -> None:
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    # Attached to a visible proposal, as an upload stored by the old code would be.
    ProposalImage.objects.create(proposal=world.proposal, image=name, alt_text="Ancienne image")
    response = client_for(None).get(reverse("pages:media", kwargs={"path": name}))
    assert response.status_code == 404


def test_media_with_a_nul_byte_is_refused(client_for: Callable[[User | None], Client], world: World) -> None:
    # The NUL-byte middleware answers 400 before the media view is reached.
    assert client_for(None).get("/media/%00").status_code == 400
    assert client_for(None).get("/media/proposals/a%00.png").status_code == 400


# --- PDF documents of workshop sessions ------------------------------------------------------


def _add_document(world: World, client_for: Callable[[User | None], Client], upload: SimpleUploadedFile) -> Response:
    session = world.extra["workshops"].session
    agent = client_for(world.user("agent"))
    return agent.post(
        reverse("workshops_admin:document_add", kwargs={"pk": session.pk}), {"title": "Compte rendu", "file": upload}
    )


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4\n" + SCRIPT, b"%PDF-1.7\n%%EOF\n"],
    ids=["pdf-header-then-html", "no-page"],
)
def test_a_document_that_does_not_parse_as_a_pdf_is_refused(
    content: bytes, world: World, client_for: Callable[[User | None], Client]
) -> None:
    before = SessionDocument.objects.count()
    response = _add_document(world, client_for, SimpleUploadedFile("cr.pdf", content, "application/pdf"))
    assert response.status_code == 400
    assert "n'est pas un document PDF lisible" in html.unescape(response.content.decode())
    assert SessionDocument.objects.count() == before


def test_a_pdf_is_stored_under_a_random_name_and_always_downloaded(
    world: World, client_for: Callable[[User | None], Client]
) -> None:
    response = _add_document(world, client_for, SimpleUploadedFile("Mon CR <b>.pdf", pdf_bytes(), "application/pdf"))
    assert response.status_code == 302
    document = SessionDocument.objects.latest("pk")
    assert re.fullmatch(rf"sittings/\d{{4}}/\d{{2}}/{RANDOM_NAME}\.pdf", document.file.name)
    served = client_for(world.user("agent")).get(reverse("workshops:document", kwargs={"pk": document.pk}))
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"] == 'attachment; filename="compte-rendu.pdf"'
    assert "sandbox" in served["Content-Security-Policy"]


# --- the command that brings old uploads to today's rules -----------------------------------


def test_reencode_uploads_rewrites_old_files_and_leaves_refused_ones_unserved(
    world: World, client_for: Callable[[User | None], Client]
) -> None:
    media = Path(settings.MEDIA_ROOT)
    old = {
        "proposals/2025/03/poly.html": polyglot_png(),
        "proposals/2025/03/IMG_0042.JPG": jpeg_with_gps_and_rotation(),
        "proposals/2025/03/page.png": SCRIPT,
    }
    rows = {}
    for name, content in old.items():
        (media / name).parent.mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(content)
        rows[name] = ProposalImage.objects.create(proposal=world.proposal, image=name, alt_text="Image")
    document = SessionDocument(sitting=world.extra["workshops"].session, title="Ancien CR")
    document.file.save("x.pdf", ContentFile(pdf_bytes()), save=True)
    SessionDocument.objects.filter(pk=document.pk).update(file="workshops/2025/03/ancien-cr.pdf")
    (media / "workshops/2025/03").mkdir(parents=True, exist_ok=True)
    (media / "workshops/2025/03/ancien-cr.pdf").write_bytes(pdf_bytes())

    out, err = io.StringIO(), io.StringIO()
    call_command("reencode_uploads", stdout=out, stderr=err)

    poly = ProposalImage.objects.get(pk=rows["proposals/2025/03/poly.html"].pk)
    assert re.fullmatch(rf"proposals/\d{{4}}/\d{{2}}/{RANDOM_NAME}\.png", poly.image.name)
    assert SCRIPT not in _stored_bytes(poly.image.name)
    assert not (media / "proposals/2025/03/poly.html").exists()
    photo = ProposalImage.objects.get(pk=rows["proposals/2025/03/IMG_0042.JPG"].pk)
    assert photo.image.name.endswith(".jpg") and not Image.open(media / photo.image.name).getexif()
    assert client_for(None).get(reverse("pages:media", kwargs={"path": poly.image.name}))["Content-Type"] == "image/png"

    refused = ProposalImage.objects.get(pk=rows["proposals/2025/03/page.png"].pk)
    assert refused.image.name == "proposals/2025/03/page.png"
    assert "proposals/2025/03/page.png" in err.getvalue()
    assert client_for(None).get(reverse("pages:media", kwargs={"path": refused.image.name})).status_code == 404

    document.refresh_from_db()
    assert re.fullmatch(rf"sittings/\d{{4}}/\d{{2}}/{RANDOM_NAME}\.pdf", document.file.name)
    assert _stored_bytes(document.file.name).startswith(b"%PDF-")  # the bytes are kept, only the name changes
    assert not (media / "workshops/2025/03/ancien-cr.pdf").exists()
