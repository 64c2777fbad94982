"""The sortition part of the demo city (issue 8, items 8 and 16).

The demo builder announces ``atelier-alimentation-2027`` with a public event whose date lies in
the past (it backdates the announcement: see ``apps.sortition.demo._announce``), so that an agent
can type the event's result and run the final draw at once.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.sortition.engine.verify import main as verify_main
from apps.sortition.models import Draw, PoolMember
from apps.workshops.models import Workshop

pytestmark = pytest.mark.django_db


def test_demo_draws_have_an_honest_timeline_and_the_ready_one_runs(
    demo: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The finished draws: announced before their public event, drawn after it, verifiable.
    for draw in Draw.objects.filter(state=Draw.State.DRAWN):
        assert draw.seed_mode == Draw.SeedMode.PUBLIC_EVENT and draw.is_published
        assert draw.seed_announced_at and draw.seed_event_at and draw.drawn_at and draw.report
        assert draw.seed_announced_at < draw.seed_event_at <= draw.drawn_at
        assert draw.seed == draw.seed_event_result == draw.report["seed"]
        assert draw.report["timeline"]["event"] == draw.seed_source

    # Names fit the declared gender in the pools (no « Léa Bernard — homme »).
    women = {"Léa", "Inès", "Fatou", "Nadia", "Chloé", "Manon", "Aïcha", "Louise", "Sarah", "Yasmina", "Jeanne"}
    men = {"Lucas", "Hugo", "Karim", "Mamadou", "Thomas", "Nicolas", "Youssef", "Julien", "Mathis", "Ousmane"}
    for member in PoolMember.objects.exclude(personal={}).only("personal", "features"):
        first = str(member.personal.get("prenom", "")).split(" ")[0]
        genre = member.features.get("genre")
        assert not (first in women and genre == "homme"), (first, genre)
        assert not (first in men and genre == "femme"), (first, genre)

    # The food workshop has no session about travel.
    food = Workshop.objects.get(slug="atelier-alimentation-durable")
    assert not food.sessions.filter(title__icontains="déplace").exists()

    # The ready-to-run draw: its event is past, an agent draws it through the pages.
    draw = Draw.objects.get(slug="atelier-alimentation-2027")
    assert draw.state == Draw.State.COMPUTED and draw.is_published
    assert draw.seed_event_at is not None and draw.seed_event_at < timezone.now()
    agent = User.objects.get(email="agent@demo.archipel.fr")
    client = Client()
    client.force_login(agent)
    url = reverse("sortition_admin:final", kwargs={"pk": draw.pk})
    assert "Effectuer le tirage définitif" in client.get(url).content.decode()
    assert client.post(url, {"event_result": "05 12 23 34 45 — 02 09"}).status_code == 302
    draw.refresh_from_db()
    assert draw.state == Draw.State.DRAWN
    assert draw.members.filter(status=PoolMember.Status.SELECTED).count() == draw.panel_size

    anonymous = Client()
    files = {}
    for name in ("report", "pool", "categories"):
        files[name] = tmp_path / name
        files[name].write_bytes(anonymous.get(reverse(f"sortition:{name}", kwargs={"slug": draw.slug})).content)
    assert json.loads(files["report"].read_text())["timeline"]["event_result"] == "05 12 23 34 45 — 02 09"
    argv = [str(files["report"]), "--people", str(files["pool"]), "--categories", str(files["categories"])]
    assert verify_main(argv) == 0, capsys.readouterr().out
