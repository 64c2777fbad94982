"""The end-of-project and sessions part of the initiatives rows of the matrix: receipts and the
closing report (holders and the quartier's agents only), the sessions of an appel à agir
(read by the quartier's staff, run by its agents). Joined to :mod:`tests.security.modules.initiatives`."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.initiatives.models import Attachment, CallSession, ClosingReport
from tests.security.matrix_base import Route, per
from tests.security.world import png_bytes

if TYPE_CHECKING:
    from tests.security.world import World

HOLDERS_AND_AGENTS = per("denied", anonymous="login", resident="ok", agent="ok")
HOLDER_AND_AGENT_POSTS = per("denied", anonymous="login", resident="redirect", agent="redirect")
READERS_HERE = per("denied", anonymous="login", agent="ok", elu="ok")
AGENT_POSTS = per("denied", anonymous="login", agent="redirect")


def extend_world_closing(world: World) -> None:
    from apps.initiatives import closing, sessions
    from apps.initiatives.models import Call
    from tests.initiatives.factories import make_call, submitted

    agent, resident = world.people["agent"], world.people["resident"]
    assert agent is not None and resident is not None
    granted = world.extra["initiatives"].granted
    piece = closing.attachment_add(
        actor=resident,
        initiative=granted,
        kind="receipt",
        label="Facture",
        amount=Decimal("120.00"),
        upload=SimpleUploadedFile("facture.png", png_bytes((12, 12)), content_type="image/png"),
    )
    closing.report_file(holder=resident, initiative=granted, done="Fait.", participants=12, spent=Decimal(300))
    call = make_call(agent, world.quartier, mode=Call.Mode.SESSIONS, title="Appel en sessions", slug="sessions")
    session = sessions.session_add(
        actor=agent,
        call=call,
        title="Session d'hiver",
        cutoff=timezone.localdate(),
        examines_on=timezone.localdate(),
        tranche=Decimal("500.00"),
    )
    dossier = submitted(resident, world.quartier, call, title="Un banc")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    CallSession.objects.filter(pk=session.pk).update(cutoff=yesterday, examines_on=yesterday)
    world.extra["initiatives_closing"] = SimpleNamespace(
        granted=granted, piece=piece, call=call, session=session, dossier=dossier
    )


def _x(world: World) -> Any:
    return world.extra["initiatives_closing"]


def _pk(attr: str) -> Any:
    return lambda w: {"pk": getattr(_x(w), attr).pk}


CLOSING_ROUTES: list[Route] = [
    Route(
        "initiatives:closing",
        HOLDERS_AND_AGENTS,
        _pk("granted"),
        post=HOLDER_AND_AGENT_POSTS,
        data=lambda w: {
            "action": "attachment",
            "kind": "photo",
            "label": "Photo de l'inauguration",
            "amount": "",
            "upload": SimpleUploadedFile("photo.png", png_bytes((10, 10)), content_type="image/png"),
        },
    ),
    Route(
        "initiatives:closing",
        HOLDERS_AND_AGENTS,
        _pk("granted"),
        post=HOLDER_AND_AGENT_POSTS,
        data=lambda w: {"action": "remove", "piece": str(_x(w).piece.pk)},
        case="remove",
    ),
    Route("initiatives:attachment", HOLDERS_AND_AGENTS, _pk("piece")),
    Route("initiatives:report_pdf", HOLDERS_AND_AGENTS, _pk("granted")),
    Route(
        "initiatives_admin:report",
        READERS_HERE,
        _pk("granted"),
        post=AGENT_POSTS,
        data=lambda w: {"verdict": "validate", "review_note": ""},
    ),
    Route(
        "initiatives_admin:sessions",
        READERS_HERE,
        _pk("call"),
        post=AGENT_POSTS,
        data=lambda w: {
            "title": "Session de printemps",
            "cutoff": (timezone.localdate() + datetime.timedelta(days=5)).strftime("%d/%m/%Y"),
            "examines_on": (timezone.localdate() + datetime.timedelta(days=6)).strftime("%d/%m/%Y"),
            "tranche": "300",
        },
    ),
    Route(
        "initiatives_admin:session_edit",
        per("denied", anonymous="login", agent="ok"),
        _pk("session"),
        post=AGENT_POSTS,
        data=lambda w: {
            "title": "Session d'hiver (corrigée)",
            "cutoff": (timezone.localdate() - datetime.timedelta(days=1)).strftime("%d/%m/%Y"),
            "examines_on": timezone.localdate().strftime("%d/%m/%Y"),
            "tranche": "400",
        },
    ),
    Route(
        "initiatives_admin:session",
        READERS_HERE,
        _pk("session"),
        post=AGENT_POSTS,
        data=lambda w: {"conforming": [_x(w).dossier.pk], "note": ""},
    ),
]


def closing_fingerprint() -> dict[str, Any]:
    return {
        "attachments": sorted(Attachment.objects.values_list("pk", "kind", "file")),
        "reports": sorted(ClosingReport.objects.values_list("pk", "state", "spent")),
        "sessions": sorted(CallSession.objects.values_list("pk", "examined_at", "granted")),
    }
