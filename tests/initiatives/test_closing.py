"""The end of a supported project: receipts only its holders and the quartier's agents open,
judged by their bytes (spoofed types, huge files, NUL in names refused or neutralised), and the
closing report a holder files and an agent validates, which closes the project and its
commitment; the report's PDF."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import Settings
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph

from apps.accounts.models import User
from apps.core.models import Territory
from apps.core.pdf import a4_pdf
from apps.core.registry import todo_items
from apps.followup.models import Commitment
from apps.initiatives import closing, services
from apps.initiatives.models import Attachment, Call, ClosingReport, Initiative
from tests.conftest import Personas, body_of
from tests.initiatives.factories import make_call, submitted
from tests.security.world import png_bytes

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]
SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture(autouse=True)
def _media(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def pdf_bytes(text: str = "Facture 42") -> bytes:
    return a4_pdf([Paragraph(text, getSampleStyleSheet()["BodyText"])], title="Facture", author="Loueur")


@pytest.fixture
def project(personas: Personas, quartier: Territory, process_in_phase: Any) -> Initiative:
    agent = personas["agent"]
    call = make_call(agent, quartier, mode=Call.Mode.OPEN, process=process_in_phase("collect"))
    idea = submitted(personas["resident"], quartier, call, amount="300.00", title="Un composteur")
    services.decision_record(actor=agent, initiative=idea, outcome="accepted", amount=Decimal(300), reasons="Oui.")
    idea.refresh_from_db()
    return idea


def _upload(client: Client, project: Initiative, name: str, content: bytes, content_type: str, **extra: str) -> Any:
    data = {"action": "attachment", "kind": "receipt", "label": "Facture du loueur", "amount": "120,50", **extra}
    data["upload"] = SimpleUploadedFile(name, content, content_type=content_type)  # type: ignore[assignment]
    return client.post(reverse("initiatives:closing", kwargs={"pk": project.pk}), data)


def test_a_holder_uploads_a_receipt_only_holders_and_scoped_agents_open(
    personas: Personas, project: Initiative, client_for: ClientFor
) -> None:
    holder = client_for(personas["resident"])
    response = _upload(holder, project, "facture.pdf", pdf_bytes(), "application/pdf")
    assert response.status_code == 302
    piece = Attachment.objects.get()
    assert piece.amount == Decimal("120.50") and piece.uploaded_by == personas["resident"]
    assert piece.file.name.startswith("initiatives/justificatifs/") and piece.file.name.endswith(".pdf")
    assert "facture" not in piece.file.name
    url = reverse("initiatives:attachment", kwargs={"pk": piece.pk})
    for persona in ("resident", "agent"):
        response = client_for(personas[persona]).get(url)
        assert response.status_code == 200, persona
        assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
        assert (
            response["Content-Disposition"].startswith("attachment")
            and f"piece-{piece.pk}.pdf" in response["Content-Disposition"]
        )
        assert "no-store" in response["Cache-Control"] and "sandbox" in response["Content-Security-Policy"]
        assert b"".join(response.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]
    # Another resident, an élu·e reading the back office, an agent elsewhere: not even its existence.
    for persona in ("other_resident", "elu", "admin_elsewhere"):
        assert client_for(personas[persona]).get(url).status_code == 404, persona
    assert client_for(None).get(url).status_code == 302  # to sign-in
    # Nor through the media URL, nor by its stored name.
    assert client_for(personas["other_resident"]).get(f"/media/{piece.file.name}").status_code == 404
    assert client_for(None).get(f"/media/{piece.file.name}").status_code == 404
    # Another resident can neither see the end-of-project page nor post a file there.
    other = client_for(personas["other_resident"])
    assert other.get(reverse("initiatives:closing", kwargs={"pk": project.pk})).status_code == 404
    assert _upload(other, project, "x.pdf", pdf_bytes(), "application/pdf").status_code == 404
    assert Attachment.objects.count() == 1


def test_a_photo_is_reencoded_and_served_as_what_it_is(
    personas: Personas, project: Initiative, client_for: ClientFor
) -> None:
    holder = client_for(personas["resident"])
    # A PNG with an HTML page glued after it, named .html and sent as text/html.
    response = _upload(holder, project, "photo.html", png_bytes((20, 20)) + SCRIPT, "text/html", kind="photo")
    assert response.status_code == 302
    piece = Attachment.objects.get()
    assert piece.file.name.endswith(".png")
    stored = (Path(settings.MEDIA_ROOT) / piece.file.name).read_bytes()
    assert stored.startswith(b"\x89PNG") and b"<script" not in stored
    served = holder.get(reverse("initiatives:attachment", kwargs={"pk": piece.pk}))
    assert served["Content-Type"] == "image/png" and served["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [
        # An HTML page claiming to be a PDF by its name and type.
        ("facture.pdf", SCRIPT, "application/pdf", "Envoyez un document PDF ou une photo"),
        # A page starting with the PDF magic but no PDF inside.
        ("facture.pdf", b"%PDF-1.7\n" + SCRIPT, "application/pdf", "pas un document PDF lisible"),
        # A real PDF with another extension: judged by its bytes, the name must still say PDF.
        ("facture.html", pdf_bytes(), "text/html", "Seuls les documents PDF"),
        # An executable.
        ("outil.exe", b"MZ\x90\x00" + b"\x00" * 200, "application/octet-stream", "Envoyez un document PDF"),
    ],
)
def test_spoofed_files_are_refused_with_a_french_error_and_what_was_typed_kept(
    personas: Personas,
    project: Initiative,
    client_for: ClientFor,
    name: str,
    content: bytes,
    content_type: str,
    message: str,
) -> None:
    response = _upload(client_for(personas["resident"]), project, name, content, content_type)
    page = body_of(response).decode()
    assert response.status_code == 400 and message in page
    assert "Facture du loueur" in page and "120,50" in page
    assert not Attachment.objects.exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.*"))


def test_a_huge_file_is_refused(personas: Personas, project: Initiative, client_for: ClientFor) -> None:
    huge = b"%PDF-1.7\n" + b"0" * (11 * 1024 * 1024)
    response = _upload(client_for(personas["resident"]), project, "facture.pdf", huge, "application/pdf")
    assert response.status_code == 400 and "trop lourd" in body_of(response).decode()
    assert not Attachment.objects.exists()


def test_a_nul_in_the_name_never_reaches_the_disk_nor_the_download_name(
    personas: Personas, project: Initiative, client_for: ClientFor
) -> None:
    resident = personas["resident"]
    piece = closing.attachment_add(
        actor=resident,
        initiative=project,
        kind="receipt",
        label="Facture",
        upload=SimpleUploadedFile("../../facture\x00.html.pdf", pdf_bytes(), content_type="text/html"),
    )
    assert "\x00" not in piece.file.name and ".." not in piece.file.name and "html" not in piece.file.name
    assert piece.file.name.endswith(".pdf")
    served = client_for(resident).get(reverse("initiatives:attachment", kwargs={"pk": piece.pk}))
    assert served.status_code == 200 and "\x00" not in served["Content-Disposition"]
    # Through the form too: whatever the multipart parser makes of the name, nothing leaks.
    response = _upload(client_for(resident), project, "a\x00b.pdf", pdf_bytes(), "application/pdf")
    assert response.status_code in (302, 400)
    assert all("\x00" not in p.file.name for p in Attachment.objects.all())


def test_closing_report_filed_returned_validated_closes_project_and_commitment(
    personas: Personas, project: Initiative, client_for: ClientFor
) -> None:
    holder, agent = client_for(personas["resident"]), client_for(personas["agent"])
    closing_url = reverse("initiatives:closing", kwargs={"pk": project.pk})
    data = {
        "action": "report",
        "bilan-done": "Un composteur installé, une formation au compostage.",
        "bilan-participants": "35",
        "bilan-participants_note": "Six foyers, une école",
        "bilan-spent": "280",
        "bilan-difference_note": "",
    }
    response = holder.post(closing_url, data)
    page = body_of(response).decode()
    assert response.status_code == 400 and "diffère de" in page and "Six foyers, une école" in page
    assert holder.post(closing_url, {**data, "bilan-difference_note": "Le bac était en promotion."}).status_code == 302
    report = ClosingReport.objects.get()
    assert report.state == ClosingReport.State.FILED and report.granted == Decimal("300.00")
    assert report.spent == Decimal("280.00")
    # Filed once: the holder cannot file again while the agent has not answered.
    assert holder.post(closing_url, data).status_code == 403
    review_url = reverse("initiatives_admin:report", kwargs={"pk": project.pk})
    assert client_for(personas["elu"]).post(review_url, {"verdict": "validate"}).status_code == 403
    response = agent.post(review_url, {"verdict": "return", "review_note": ""})
    assert response.status_code == 400 and "faut compléter" in body_of(response).decode()
    assert agent.post(review_url, {"verdict": "return", "review_note": "Joignez la facture."}).status_code == 302
    report.refresh_from_db()
    assert report.state == ClosingReport.State.RETURNED
    assert holder.post(closing_url, {**data, "bilan-spent": "300"}).status_code == 302
    assert agent.post(review_url, {"verdict": "validate", "review_note": ""}).status_code == 302
    report.refresh_from_db()
    project.refresh_from_db()
    assert report.state == ClosingReport.State.VALIDATED and report.reviewed_at is not None
    assert project.stage == Initiative.Stage.REALISED
    commitment = Commitment.objects.get(process=project.call.process)  # type: ignore[union-attr]
    assert commitment.state == Commitment.State.DONE and commitment.progress == 100
    # Closed: no more receipts, no more report.
    assert _upload(holder, project, "f.pdf", pdf_bytes(), "application/pdf").status_code == 403


def test_the_closing_report_pdf_is_private(personas: Personas, project: Initiative, client_for: ClientFor) -> None:
    closing.attachment_add(
        actor=personas["resident"],
        initiative=project,
        kind="receipt",
        label="Facture du composteur",
        amount=Decimal("280.00"),
        upload=SimpleUploadedFile("f.pdf", pdf_bytes(), content_type="application/pdf"),
    )
    closing.report_file(
        holder=personas["resident"],
        initiative=project,
        done="Installé.",
        participants=35,
        spent=Decimal("280.00"),
        difference_note="Moins cher que prévu.",
    )
    url = reverse("initiatives:report_pdf", kwargs={"pk": project.pk})
    response = client_for(personas["resident"]).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="bilan-projet-{project.pk}.pdf"'
    assert "no-store" in response["Cache-Control"]
    content = response.content
    assert content.startswith(b"%PDF-") and b"Facture du composteur" in content and b"280.00" in content
    assert client_for(personas["agent"]).get(url).status_code == 200
    for persona in ("other_resident", "elu"):
        assert client_for(personas[persona]).get(url).status_code == 404, persona


def test_only_a_supported_project_takes_receipts(personas: Personas, quartier: Territory) -> None:
    from django.core.exceptions import ValidationError

    from tests.initiatives.factories import file_idea

    idea = file_idea(personas["resident"], quartier)
    with pytest.raises(ValidationError, match="projet soutenu"):
        closing.attachment_add(
            actor=personas["resident"],
            initiative=idea,
            kind="receipt",
            label="x",
            upload=SimpleUploadedFile("f.pdf", io.BytesIO(pdf_bytes()).getvalue()),
        )


def test_a_filed_report_waits_in_the_inbox_of_the_quartiers_agents_only(
    personas: Personas, project: Initiative, client_for: ClientFor
) -> None:
    def report_lines(persona: str) -> list[Any]:
        return [item for _m, item in todo_items(personas[persona]) if item.label.startswith("Bilan de projet")]

    assert report_lines("agent") == []
    report = closing.report_file(
        holder=personas["resident"], initiative=project, done="Installé.", participants=12, spent=Decimal("300.00")
    )
    # The agent of the quartier: one line, dated by the filing (no deadline: never late), to the review.
    [line] = report_lines("agent")
    assert line.label == "Bilan de projet à valider : Un composteur" and line.count == 1
    assert line.url == reverse("initiatives_admin:report", kwargs={"pk": project.pk})
    assert line.due == timezone.localdate(report.filed_at) and line.overdue is False
    assert client_for(personas["agent"]).get(line.url).status_code == 200
    # An agent (here an admin) of another quartier, the holder, other residents, an élu·e: nothing.
    for persona in ("admin_elsewhere", "resident", "other_resident", "elu"):
        assert report_lines(persona) == [], persona
    # Sent back, it leaves the inbox; filed again, it comes back; validated, it leaves for good.
    closing.report_review(actor=personas["agent"], report=report, validate=False, note="Les photos ?")
    assert report_lines("agent") == []
    closing.report_file(
        holder=personas["resident"], initiative=project, done="Installé, photos.", participants=12, spent=Decimal(300)
    )
    assert len(report_lines("agent")) == 1
    closing.report_review(actor=personas["agent"], report=report, validate=True)
    assert report_lines("agent") == []


def test_a_wrong_piece_is_taken_back_until_the_report_is_validated(
    personas: Personas,
    project: Initiative,
    client_for: ClientFor,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    """The wrong invoice uploaded: a holder or the quartier's agent removes it (row, then file once
    committed; audited); nobody else can, not even by posting its number; after validation the
    pieces are the report's record and stay."""
    from apps.core.models import AuditLogEntry

    holder = client_for(personas["resident"])
    closing_url = reverse("initiatives:closing", kwargs={"pk": project.pk})
    assert _upload(holder, project, "facture.pdf", pdf_bytes(), "application/pdf").status_code == 302
    for name in ("double.pdf", "autre.pdf"):
        assert _upload(holder, project, name, pdf_bytes(name), "application/pdf").status_code == 302
    wrong, double, kept = Attachment.objects.order_by("pk")
    page = body_of(holder.get(closing_url)).decode()
    assert f'name="piece" value="{wrong.pk}"' in page
    assert 'Retirer<span class="visually-hidden"> « Facture du loueur »' in page
    # Another resident, an élu·e, an agent elsewhere: no page, no removal.
    for persona in ("other_resident", "elu", "admin_elsewhere"):
        response = client_for(personas[persona]).post(closing_url, {"action": "remove", "piece": str(wrong.pk)})
        assert response.status_code in (403, 404), persona
    assert Attachment.objects.count() == 3
    # A piece of another project, a Unicode digit, NUL: nothing removed, a French message.
    for bad in (str(wrong.pk + 1000), "١", ""):
        response = holder.post(closing_url, {"action": "remove", "piece": bad}, follow=True)
        assert "Cette pièce n&#x27;existe plus" in body_of(response).decode(), repr(bad)
    assert holder.post(closing_url, {"action": "remove", "piece": "\x00"}).status_code == 400  # the NUL guard
    assert Attachment.objects.count() == 3
    stored = Path(settings.MEDIA_ROOT) / wrong.file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = holder.post(closing_url, {"action": "remove", "piece": str(wrong.pk)}, follow=True)
    assert "La pièce « Facture du loueur » est retirée." in body_of(response).decode().replace("&#x27;", "'")
    assert list(Attachment.objects.all()) == [double, kept]
    assert not stored.exists()
    entry = AuditLogEntry.objects.filter(action="initiatives.attachment_remove").get()
    assert entry.actor == personas["resident"] and entry.details["attachment"] == wrong.pk
    # The quartier's agent may too; once the report is validated, nobody can.
    agent_removes = client_for(personas["agent"]).post(closing_url, {"action": "remove", "piece": str(double.pk)})
    assert agent_removes.status_code == 302 and list(Attachment.objects.all()) == [kept]
    report = closing.report_file(
        holder=personas["resident"], initiative=project, done="Fait.", participants=3, spent=Decimal("300")
    )
    closing.report_review(actor=personas["agent"], report=report, validate=True)
    response = client_for(personas["agent"]).post(closing_url, {"action": "remove", "piece": str(kept.pk)})
    assert response.status_code == 403
    assert 'name="action" value="remove"' not in body_of(holder.get(closing_url)).decode()
    assert Attachment.objects.count() == 1
