"""Back-office and public pages of the draws: forms keep input, errors in French, nothing personal leaks."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from apps.accounts.models import User
from apps.core.models import Territory
from apps.sortition.engine import read_pool, verify_report
from apps.sortition.engine.verify import main as verify_main
from apps.sortition.models import Draw, PoolMember
from tests.conftest import Personas, body_of
from tests.sortition.factories import CATEGORIES, MARKER_EMAIL, event_passed, people_csv

pytestmark = pytest.mark.django_db


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_create_form_keeps_input_and_explains_errors(
    personas: Personas, quartier: Territory, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(personas["agent"])
    data = {
        "title": "Panel vélo et piétons",
        "purpose": "Composer le panel.",
        "territory": quartier.pk,
        "panel_size": 12,
        "algorithm": "leximin",
        "list_source": "electoral_roll",
        "legal_basis": "Mission d'intérêt public.",
        "purge_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
    }
    response = client.post(reverse("sortition_admin:create"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "La date de suppression doit être dans le futur." in page
    assert 'value="Panel vélo et piétons"' in page and "Mission d&#x27;intérêt public." in page
    data["purge_on"] = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
    response = client.post(reverse("sortition_admin:create"), data)
    draw = Draw.objects.get(title="Panel vélo et piétons")
    assert response.status_code == 302 and response["Location"] == reverse(
        "sortition_admin:pool", kwargs={"pk": draw.pk}
    )


def test_import_errors_show_file_line_and_reason(
    make_draw: Callable[..., Draw], personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    draw = make_draw("draft")
    bad_quotas = CATEGORIES.replace(b"genre,homme,3,3", b"genre,homme,4,2")
    response = client_for(personas["agent"]).post(
        reverse("sortition_admin:pool", kwargs={"pk": draw.pk}),
        {"people": _upload("liste.csv", people_csv()), "categories": _upload("quotas.csv", bad_quotas)},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "quotas.csv" in page and "<td>3</td>" in page and "le min (4) dépasse le max (2)" in page
    draw.refresh_from_db()
    assert draw.state == Draw.State.DRAFT


def test_agent_runs_a_draw_through_the_pages(
    make_draw: Callable[..., Draw], personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(personas["agent"])
    draw = make_draw("draft")
    urls = {
        name: reverse(f"sortition_admin:{name}", kwargs={"pk": draw.pk})
        for name in ("pool", "compute", "seed", "final", "draw")
    }
    client.post(
        urls["pool"], {"people": _upload("liste.csv", people_csv()), "categories": _upload("q.csv", CATEGORIES)}
    )
    page = client.get(urls["draw"]).content.decode()
    assert "30 personnes dans la liste" in page and "Calculer les probabilités" in page
    client.post(urls["compute"])
    assert "Probabilité la plus faible" in client.get(urls["draw"]).content.decode()
    response = client.post(urls["seed"], {"seed_source": "Loto", "seed_event_at": "2/5/2020 21:00"})
    page = response.content.decode()
    assert response.status_code == 400 and "Choisissez une date à venir" in page and 'value="Loto"' in page
    event_at = timezone.localtime() + datetime.timedelta(days=3)
    client.post(urls["seed"], {"seed_source": "Loto du 2 mai", "seed_event_at": event_at.strftime("%d/%m/%Y %H:%M")})
    draw.refresh_from_db()
    assert draw.is_published and draw.seed_announced_at and draw.seed_event_at
    # Before the event: the page says when, and the draw is refused by the view as well.
    page = client.get(urls["final"]).content.decode()
    assert "est connu qu&#x27;à partir du" in page and "Effectuer le tirage définitif" not in page
    early = client.post(urls["final"], {"event_result": "5 9 13"})
    assert early.status_code == 400 and "le tirage est impossible avant" in early.content.decode()
    assert draw.members.filter(status="selected").count() == 0
    event_passed(draw)
    page = client.get(urls["final"]).content.decode()
    assert "ce tirage est définitif" in page and "Loto du 2 mai" in page
    missing = client.post(urls["final"], {"event_result": ""})
    assert missing.status_code == 400 and "Ce champ est obligatoire." in missing.content.decode()
    assert client.post(urls["final"], {"event_result": "5  9 13"}).status_code == 302
    again = client.post(urls["final"], {"event_result": "5 9 13"})
    assert again.status_code == 400 and "déjà été effectué" in again.content.decode()
    draw.refresh_from_db()
    assert draw.state == Draw.State.DRAWN and draw.members.filter(status="selected").count() == 6
    assert draw.seed == draw.seed_event_result == "5 9 13"


def test_elu_reads_but_cannot_run(
    make_draw: Callable[..., Draw], personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    draw = make_draw("drawn")
    client = client_for(personas["elu"])
    page = client.get(reverse("sortition_admin:draw", kwargs={"pk": draw.pk})).content.decode()
    assert "Personnes tirées au sort" in page and MARKER_EMAIL not in page and "personne1@exemple.fr" not in page
    assert client.post(reverse("sortition_admin:alternates", kwargs={"pk": draw.pk})).status_code == 403
    agent_page = client_for(personas["agent"]).get(reverse("sortition_admin:draw", kwargs={"pk": draw.pk}))
    selected = draw.members.filter(status="selected").first()
    assert selected is not None
    selected_email = selected.personal["courriel"]
    assert selected_email in agent_page.content.decode()


def test_personal_columns_never_appear_in_public(
    make_draw: Callable[..., Draw], personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    draw = make_draw("drawn")
    member = draw.members.get(identifier="E0007")
    PoolMember.objects.filter(pk=member.pk).update(status=PoolMember.Status.SELECTED)
    Draw.objects.filter(pk=draw.pk).update(is_published=True)
    anonymous = client_for(None)
    bodies = [
        anonymous.get(reverse("sortition:list")),
        anonymous.get(reverse("sortition:detail", kwargs={"slug": draw.slug})),
        anonymous.get(reverse("sortition:report", kwargs={"slug": draw.slug})),
        anonymous.get(reverse("sortition:categories", kwargs={"slug": draw.slug})),
        anonymous.get(reverse("sortition:pool", kwargs={"slug": draw.slug})),
    ]
    for name in ("draws", "draw_quotas", "draw_members"):
        for fmt in ("csv", "json"):
            bodies.append(anonymous.get(reverse("opendata:export", kwargs={"name": name, "fmt": fmt})))
    texts = []
    for response in bodies:
        assert response.status_code == 200, response
        text = body_of(response)
        texts.append(text)
        for secret in (MARKER_EMAIL, "Nom Personne 7", "06 00 00 00 07", "E0007"):
            assert secret.encode() not in text, (response, secret)
    assert member.pseudonym.encode() in texts[-2]  # the exports are not vacuously clean
    detail = bodies[1].content.decode()
    assert member.pseudonym in detail and "04 17 22 31 45" in detail and draw.people_sha256 in detail
    assert "python -m apps.sortition.engine.verify" in detail and "leximin" in detail


def test_published_files_verify_with_the_command(
    make_draw: Callable[..., Draw],
    client_for: Callable[[User | None], Client],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    people = people_csv(bom=True, sep=";")
    draw = make_draw("drawn", people=people, categories=b"\xef\xbb\xbf" + CATEGORIES.replace(b"\n", b"\r\n"))
    Draw.objects.filter(pk=draw.pk).update(is_published=True)
    anonymous = client_for(None)
    report = anonymous.get(reverse("sortition:report", kwargs={"slug": draw.slug})).content
    pool_file = anonymous.get(reverse("sortition:pool", kwargs={"slug": draw.slug})).content
    categories = anonymous.get(reverse("sortition:categories", kwargs={"slug": draw.slug})).content
    (tmp_path / "rapport.json").write_bytes(report)
    (tmp_path / "liste-pseudonymisee.csv").write_bytes(pool_file)
    (tmp_path / "quotas.csv").write_bytes(categories)
    code = verify_main(
        [
            str(tmp_path / "rapport.json"),
            "--people",
            str(tmp_path / "liste-pseudonymisee.csv"),
            "--categories",
            str(tmp_path / "quotas.csv"),
        ]
    )
    assert code == 0, capsys.readouterr().out
    pool = read_pool(pool_file, categories)
    assert verify_report(json.loads(report), pool) == []


def test_unpublished_draw_is_hidden_from_the_public(
    make_draw: Callable[..., Draw], personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    draw = make_draw("computed")
    url = reverse("sortition:detail", kwargs={"slug": draw.slug})
    assert client_for(None).get(url).status_code == 404
    assert client_for(personas["resident"]).get(url).status_code == 404
    assert "Aperçu" in client_for(personas["agent"]).get(url).content.decode()


def test_list_query_budget(
    make_draw: Callable[..., Draw],
    client_for: Callable[[User | None], Client],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for _ in range(3):
        Draw.objects.filter(pk=make_draw("pool_loaded").pk).update(is_published=True)
    with django_assert_max_num_queries(8):
        assert client_for(None).get(reverse("sortition:list")).status_code == 200
