"""Behaviour of the public pages: list filters and sorts, create/edit with images, detail, comments."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from html import escape
from typing import Any
from urllib.parse import quote

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from apps.accounts.models import User
from apps.core.models import Process, Territory, Theme
from apps.discussion import services as discussion
from apps.discussion.models import Comment
from apps.proposals import services, views
from apps.proposals.models import Proposal, ProposalImage, Status
from tests.conftest import Personas, Response
from tests.factories import (
    CommentFactory,
    ProposalFactory,
    TerritoryFactory,
    ThemeFactory,
    UserFactory,
    make_answer,
)
from tests.proposals.conftest import png_upload


def _titles(response: Response) -> list[str]:
    return [p.title for p in response.context["page"].object_list]


# --- list -------------------------------------------------------------------------------------


def test_list_filters_are_allowlisted(
    client: Client, collect_process: Process, make_proposal: Callable[..., Proposal], quartier: Territory, theme: Theme
) -> None:
    micro = TerritoryFactory.create(name="Saint-Donatien", slug="saint-donatien", parent=quartier, kind="micro")
    other_theme = ThemeFactory.create(name="Nature", slug="nature")
    collect_process.themes.add(other_theme)
    make_proposal(collect_process, title="Vélos rue Richebourg", theme=theme, territory=micro)
    make_proposal(collect_process, title="Jardin partagé", theme=other_theme, status=Status.UNDER_STUDY)
    make_proposal(collect_process, title="Ancienne idée", is_withdrawn=True)
    url = reverse("proposals:list", args=[collect_process.slug])

    assert sorted(_titles(client.get(url))) == ["Jardin partagé", "Vélos rue Richebourg"]
    assert _titles(client.get(url, {"quartier": "saint-donatien"})) == ["Vélos rue Richebourg"]
    # The parent quartier includes its micro-quartiers.
    assert "Vélos rue Richebourg" in _titles(client.get(url, {"quartier": quartier.slug}))
    assert _titles(client.get(url, {"theme": "nature"})) == ["Jardin partagé"]
    assert _titles(client.get(url, {"etat": "under_study"})) == ["Jardin partagé"]
    assert _titles(client.get(url, {"etat": "retiree"})) == ["Ancienne idée"]
    # Unknown values and unknown parameters are ignored, never passed to the ORM.
    response = client.get(url, {"etat": "author__email", "tri": "author__password", "author__email": "x"})
    assert response.status_code == 200
    assert len(_titles(response)) == 2


def test_list_item_content(client: Client, proposal: Proposal, personas: Personas) -> None:
    services.support_add(user=personas["other_resident"], proposal=proposal)
    CommentFactory.create(proposal=proposal)
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=1)
    html = client.get(reverse("proposals:list", args=[proposal.process.slug])).content.decode()
    assert proposal.get_absolute_url() in html
    assert "Awa Résidente" in html
    assert "Malakoff - Saint-Donatien" in html and "Mobilités" in html
    assert "Reçue" in html
    assert "1 soutien" in html and "1 commentaire" in html
    assert personas["resident"].email not in html


def test_sort_by_supports_and_recent(
    client: Client, collect_process: Process, make_proposal: Callable[..., Proposal], personas: Personas
) -> None:
    low = make_proposal(collect_process, title="Peu soutenue")
    high = make_proposal(collect_process, title="Très soutenue")
    Proposal.objects.filter(pk=high.pk).update(support_count=9)
    Proposal.objects.filter(pk=low.pk).update(support_count=1)
    url = reverse("proposals:list", args=[collect_process.slug])
    assert _titles(client.get(url, {"tri": "soutiens"})) == ["Très soutenue", "Peu soutenue"]
    assert _titles(client.get(url, {"tri": "recent"})) == ["Très soutenue", "Peu soutenue"]


def test_random_sort_is_stable_with_its_seed_and_paginates(
    client: Client, collect_process: Process, make_proposal: Callable[..., Proposal]
) -> None:
    for index in range(45):
        make_proposal(collect_process, title=f"Idée {index}")
    url = reverse("proposals:list", args=[collect_process.slug])
    first = client.get(url, {"tri": "hasard"})
    seed = first.context["params"]["graine"]
    assert f"graine={seed}" in first.content.decode()  # a fresh seed, carried in the pagination links
    assert _titles(client.get(url, {"tri": "hasard", "graine": seed})) == _titles(first)

    pages = [_titles(client.get(url, {"tri": "hasard", "graine": "42", "page": str(number)})) for number in (1, 2, 3)]
    every = [title for page in pages for title in page]
    assert len(every) == 45 == len(set(every))  # no duplicate, none missing across pages
    numbers = [int(title.split()[1]) for title in every]
    ascending = sum(a < b for a, b in itertools.pairwise(numbers))
    assert 10 < ascending < 34  # shuffled, not the creation order (44) nor its reverse (0)
    assert _titles(client.get(url, {"tri": "hasard", "graine": "43"})) != pages[0]


def test_pagination_is_accessible(
    client: Client, collect_process: Process, make_proposal: Callable[..., Proposal], theme: Theme
) -> None:
    for index in range(25):
        make_proposal(collect_process, title=f"Idée {index}", theme=theme)
    make_proposal(collect_process, title="Sans thème")
    response = client.get(reverse("proposals:list", args=[collect_process.slug]), {"page": "2", "theme": "mobilites"})
    html = response.content.decode()
    assert len(_titles(response)) == 5
    assert re.search(r'<nav class="pagination-nav" aria-label="[^"]+">', html)
    assert 'aria-current="page"><span class="visually-hidden">page </span>2' in html
    assert "?theme=mobilites&amp;page=1" in html


def test_map_has_markers_and_list_alternative(
    client: Client, collect_process: Process, make_proposal: Callable[..., Proposal]
) -> None:
    make_proposal(collect_process, title="Sur la carte", latitude="47.218400", longitude="-1.553600")
    make_proposal(collect_process, title="Sans position")
    response = client.get(reverse("proposals:map", args=[collect_process.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert [p.title for p in response.context["points"]] == ["Sur la carte"]
    assert '<script id="carte-points" type="application/json">' in html
    assert "47.2184" in html and "vendor/leaflet/leaflet.js" in html
    assert "Sans position" not in html
    assert html.count("<h1") == 1


# --- create / edit ------------------------------------------------------------------------------


def _form_data(**extra: Any) -> dict[str, Any]:
    data = {
        "title": "Des arceaux vélo devant la médiathèque",
        "body": "Il manque des **arceaux** pour garer les vélos devant la médiathèque.",
        "address": "place de la Médiathèque",
    }
    data.update(extra)
    return data


def test_create_proposal_with_image(
    client_for: Callable[[User | None], Client],
    personas: Personas,
    collect_process: Process,
    theme: Theme,
    quartier: Territory,
) -> None:
    client = client_for(personas["resident"])
    url = reverse("proposals:create", args=[collect_process.slug])
    page = client.get(url).content.decode()
    assert 'hx-trigger="keyup changed delay:400ms"' in page and 'aria-live="polite"' in page
    response = client.post(
        url,
        _form_data(
            theme=theme.pk,
            territory=quartier.pk,
            latitude="47.2",
            longitude="-1.55",
            image_1=png_upload(),
            alt_1="Les vélos attachés aux grilles",
        ),
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url()
    assert proposal.author == personas["resident"] and proposal.theme == theme
    assert "<strong>arceaux</strong>" in proposal.body_html
    assert str(proposal.latitude) == "47.200000"
    assert ProposalImage.objects.get().alt_text == "Les vélos attachés aux grilles"
    detail = client.get(response["Location"]).content.decode()
    assert "Merci\u202f! Votre proposition est publiée." in detail
    assert 'alt="Les vélos attachés aux grilles"' in detail


@pytest.mark.parametrize(
    "files,field,message",
    [
        ({"image_1": "png", "alt_1": ""}, "alt_1", "le texte alternatif est obligatoire"),
        ({"image_2": "text", "alt_2": "Un texte"}, "image_2", "n'est pas une image lisible"),
        ({"image_1": "big", "alt_1": "Une photo"}, "image_1", "trop lourde"),
    ],
)
def test_image_errors_are_field_errors_and_keep_input(
    client_for: Callable[[User | None], Client],
    personas: Personas,
    collect_process: Process,
    settings: Settings,
    files: dict[str, str],
    field: str,
    message: str,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MAX_IMAGE_UPLOAD_BYTES = 10_000
    uploads = {
        "png": png_upload(),
        "text": SimpleUploadedFile("notes.png", b"ceci n'est pas une image", content_type="image/png"),
        "big": png_upload(size=(200, 200), noise=True),
    }
    data: dict[str, Any] = {key: uploads.get(value, value) for key, value in files.items()}
    response = client_for(personas["resident"]).post(
        reverse("proposals:create", args=[collect_process.slug]), _form_data(**data)
    )
    assert response.status_code == 400
    assert not Proposal.objects.exists()
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    html = response.content.decode()
    assert 'value="Des arceaux vélo devant la médiathèque"' in html  # what was typed is kept
    assert "Il manque des **arceaux**" in html
    assert 'id="erreurs"' in html and "sélectionnez à nouveau vos images" in html


def test_create_validation_errors_in_french(
    client_for: Callable[[User | None], Client], personas: Personas, collect_process: Process
) -> None:
    response = client_for(personas["resident"]).post(
        reverse("proposals:create", args=[collect_process.slug]),
        {"title": "", "body": "court", "latitude": "123", "longitude": "2"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "title" in errors and "body" in errors
    assert "position choisie sur la carte" in " ".join(errors["__all__"])


@time_machine.travel("2031-01-01 10:00:30+00:00", tick=False)
def test_create_is_rate_limited(
    client_for: Callable[[User | None], Client],
    personas: Personas,
    process_in_phase: Callable[..., Process],
) -> None:
    # The clock is frozen: rate limits count in fixed windows, a burst must not straddle two.
    collect_process = process_in_phase("collect")
    client = client_for(personas["resident"])
    url = reverse("proposals:create", args=[collect_process.slug])
    # Submissions sent back with an error do not count (issue 8, item 9)...
    assert [client.post(url, {"title": ""}).status_code for _ in range(8)] == [400] * 8
    # ...created proposals do: five per ten minutes.
    statuses = [client.post(url, _form_data(title=f"Des bancs numéro {n} au square")).status_code for n in range(6)]
    assert statuses[:5] == [302] * 5
    assert statuses[5] == 429


def test_edit_keeps_values_and_updates(
    client_for: Callable[[User | None], Client], personas: Personas, proposal: Proposal
) -> None:
    client = client_for(personas["resident"])
    url = reverse("proposals:edit", args=[proposal.pk])
    assert escape(proposal.title) in client.get(url).content.decode()
    response = client.post(url, _form_data(title="Des bancs et des arbres"))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Des bancs et des arbres"


def test_withdraw_flow(client_for: Callable[[User | None], Client], personas: Personas, proposal: Proposal) -> None:
    client = client_for(personas["resident"])
    url = reverse("proposals:withdraw", args=[proposal.pk])
    assert "Oui, retirer ma proposition" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    proposal.refresh_from_db()
    assert proposal.is_withdrawn
    list_url = reverse("proposals:list", args=[proposal.process.slug])
    assert proposal.title not in [p.title for p in client.get(list_url).context["page"].object_list]


# --- similar ------------------------------------------------------------------------------------


def test_similar_titles_fragment(
    client: Client,
    collect_process: Process,
    make_proposal: Callable[..., Proposal],
    process_in_phase: Callable[..., Process],
) -> None:
    make_proposal(collect_process, title="Plus de bancs dans le parc")
    make_proposal(collect_process, title="Piste cyclable boulevard")
    make_proposal(collect_process, title="Bancs supprimés", is_withdrawn=True)
    make_proposal(process_in_phase("collect"), title="Des bancs ailleurs")
    for index in range(7):
        make_proposal(collect_process, title=f"Fontaine numéro {index}")
    url = reverse("proposals:similar", args=[collect_process.slug])

    html = client.get(url, {"titre": "des bancs pour le parc"}).content.decode()
    assert "Plus de bancs dans le parc" in html
    assert "Piste cyclable" not in html and "supprimés" not in html and "ailleurs" not in html
    assert "<html" not in html  # a fragment, not a page
    assert client.get(url, {"titre": "le la des"}).content.decode().strip() == ""
    assert client.get(url, {"title": "fontaine"}).content.decode().count("<li>") == 5


# --- detail, support, comments -----------------------------------------------------------------


def test_detail_shows_answer_history_and_paper_label(
    client: Client, personas: Personas, collect_process: Process
) -> None:
    proposal = ProposalFactory.create(
        process=collect_process,
        author=None,
        is_paper=True,
        paper_author_name="Mme Dupont",
        address="rue de Coulmiers",
        body="Texte <script>alert(1)</script> **important**",
    )
    make_answer(proposal=proposal, status=Status.UNDER_STUDY, body="Nous étudions votre idée sérieusement.")
    make_answer(proposal=proposal, status=Status.ACCEPTED, body="Retenue : les travaux auront lieu en mai.")
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "Contribution papier, saisie par la Ville" in html
    assert "Mme Dupont" not in html
    assert 'id="reponse"' in html
    assert html.index("les travaux auront lieu en mai") < html.index("Historique des réponses")
    assert html.index("Historique des réponses") < html.index("Nous étudions votre idée")
    assert "rue de Coulmiers" in html and "<strong>important</strong>" in html
    assert "<script>alert" not in html


def test_detail_top_block_shows_author_theme_territory_and_published_answers_only(
    client: Client, collect_process: Process, quartier: Territory, theme: Theme
) -> None:
    author = UserFactory.create(display_name="Camille des Olivettes")
    proposal = ProposalFactory.create(process=collect_process, author=author, theme=theme, territory=quartier)
    make_answer(proposal=proposal, status=Status.ACCEPTED, body="Brouillon pas encore signé.", state="draft")
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "Camille des Olivettes" in html
    assert f">{theme.name}</dd>" in html and f'href="{quartier.get_absolute_url()}">{quartier.name}</a>' in html
    assert "Brouillon pas encore" not in html
    assert "La Ville n’a pas encore répondu." in html
    make_answer(proposal=proposal, status=Status.NOT_RETAINED, body="Réponse publiée ce jour.")
    proposal.save()  # publishing an answer saves the proposal: the cached top block goes
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "Réponse publiée ce jour." in html and "Brouillon pas encore" not in html
    author.is_deleted = True
    author.save()
    views.forget_detail_blocks([proposal.pk])
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "Camille des Olivettes" not in html and "Participant·e supprimé·e" in html


def test_detail_support_box_by_persona(
    client_for: Callable[[User | None], Client], personas: Personas, proposal: Proposal
) -> None:
    anonymous = client_for(None).get(proposal.get_absolute_url()).content.decode()
    assert "Connectez-vous pour soutenir" in anonymous
    login = f"{reverse('accounts:login')}?next={quote(proposal.get_absolute_url(), safe='/')}"
    assert f'<a href="{login}">Connectez-vous pour soutenir' in anonymous
    assert f'<a href="{login}">Connectez-vous pour commenter' in anonymous
    client = client_for(personas["other_resident"])
    html = client.get(proposal.get_absolute_url()).content.decode()
    support = reverse("proposals:support", args=[proposal.pk])
    assert "Soutenir cette proposition" in html and f'action="{support}" hx-post="{support}"' in html
    services.support_add(user=personas["other_resident"], proposal=proposal)
    html = client.get(proposal.get_absolute_url()).content.decode()
    unsupport = reverse("proposals:unsupport", args=[proposal.pk])
    assert "Retirer mon soutien" in html and f'action="{unsupport}" hx-post="{unsupport}"' in html


def test_support_htmx_returns_fragment_and_is_idempotent(
    client_for: Callable[[User | None], Client], personas: Personas, proposal: Proposal
) -> None:
    client = client_for(personas["other_resident"])
    url = reverse("proposals:support", args=[proposal.pk])
    for _ in range(2):
        response = client.post(url, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        html = response.content.decode()
        assert '<span class="support-count">1</span>' in html and "Retirer mon soutien" in html
        assert "<html" not in html
    # The count is read after the write (the proposal was read before it), others' included.
    other = client_for(personas["resident"]).post(url, HTTP_HX_REQUEST="true").content.decode()
    assert '<span class="support-count">2</span>' in other and "Retirer mon soutien" in other
    response = client.post(reverse("proposals:unsupport", args=[proposal.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert '<span class="support-count">1</span>' in html and "Soutenir cette proposition" in html


def test_support_redirect_respects_safe_next(
    client_for: Callable[[User | None], Client], personas: Personas, proposal: Proposal
) -> None:
    client = client_for(personas["other_resident"])
    url = reverse("proposals:support", args=[proposal.pk])
    assert client.post(url, {"next": "https://evil.example/"})["Location"] == f"{proposal.get_absolute_url()}#soutien"
    list_url = reverse("proposals:list", args=[proposal.process.slug])
    assert client.post(url, {"next": list_url})["Location"] == list_url
    proposal.refresh_from_db()
    assert proposal.support_count == 1


def test_comments_threads_hidden_and_pagination(
    client_for: Callable[[User | None], Client], personas: Personas, proposal: Proposal
) -> None:
    first = CommentFactory.create(
        proposal=proposal, author=personas["other_resident"], body="Premier avis", stance="agree"
    )
    reply = CommentFactory.create(proposal=proposal, parent=first, root=first, body="Une réponse", stance="disagree")
    CommentFactory.create(proposal=proposal, parent=reply, root=first, body="Réponse à la réponse")
    discussion.comment_hide(moderator=personas["moderator"], comment=reply, reason="Propos hors charte")
    for index in range(21):
        CommentFactory.create(proposal=proposal, body=f"Avis numéro {index}")
    html = client_for(personas["resident"]).get(proposal.get_absolute_url()).content.decode()
    assert f'id="commentaire-{first.pk}"' in html
    assert "Premier avis" in html and "D'accord" in html.replace("&#x27;", "'")
    assert "Commentaire masqué par la modération\xa0: Propos hors charte" in html
    assert "Une réponse" not in html
    assert "Réponse à la réponse" in html  # replies below a hidden comment stay
    assert 'name="parent"' in html and "<details" in html
    assert "Avis numéro 18" in html and "Avis numéro 19" not in html  # 20 threads per page
    page_two = client_for(None).get(proposal.get_absolute_url(), {"page": 2}).content.decode()
    assert "Avis numéro 19" in page_two and "Premier avis" not in page_two
    # The threads' pagination is rendered once per page number and count (discussion_tags):
    # each page still shows its own place.
    assert '<a href="?page=2#commentaires" rel="next">' in html and 'rel="prev"' not in html
    assert '<a href="?page=1#commentaires" rel="prev">' in page_two and 'rel="next"' not in page_two
    assert '<span class="visually-hidden">page </span>2</span>' in page_two
    assert '<span class="visually-hidden">page </span>2</span>' not in html


def test_reply_and_invalid_comment_keep_input(
    client_for: Callable[[User | None], Client], personas: Personas, proposal: Proposal, comment: Comment
) -> None:
    client = client_for(personas["resident"])
    url = reverse("proposals:comment", args=[proposal.pk])
    response = client.post(url, {"body": "Merci pour votre avis", "stance": "agree", "parent": comment.pk})
    reply = Comment.objects.get(parent=comment)
    assert reply.root == comment and reply.stance == "agree"
    assert response["Location"].endswith(f"#commentaire-{reply.pk}")
    bad = client.post(url, {"body": " ", "stance": "agree", "parent": comment.pk})
    assert bad.status_code == 400
    assert f'name="parent" value="{comment.pk}"' in bad.content.decode()
    wrong_parent = client.post(url, {"body": "Texte", "stance": "agree", "parent": 999999})
    assert wrong_parent.status_code == 400


@time_machine.travel("2031-01-01 10:00:30+00:00", tick=False)
def test_comment_posting_is_rate_limited(
    client_for: Callable[[User | None], Client],
    personas: Personas,
    process_in_phase: Callable[..., Process],
    make_proposal: Callable[..., Proposal],
) -> None:
    proposal = make_proposal(process_in_phase("collect"))  # built under the frozen clock
    client = client_for(personas["other_resident"])
    url = reverse("proposals:comment", args=[proposal.pk])
    statuses = [client.post(url, {"body": f"Avis {n}", "stance": "neutral"}).status_code for n in range(11)]
    assert statuses[:10] == [302] * 10 and statuses[10] == 429


def test_detail_links_the_commitment(client: Client, proposal: Proposal) -> None:
    from django.contrib.contenttypes.models import ContentType

    from tests.factories import CommitmentFactory

    assert "Engagement de la Ville" not in client.get(proposal.get_absolute_url()).content.decode()
    commitment = CommitmentFactory.create(
        process=proposal.process, source_type=ContentType.objects.get_for_model(proposal), source_id=proposal.pk
    )
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert reverse("followup:commitment", args=[commitment.pk]) in html


def test_list_cards_read_as_rows_show_what_the_proposal_shows(client: Client, collect_process: Process) -> None:
    """The list reads its cards as rows (selectors.ProposalCard), the map as model instances:
    both give the same card, author labels included."""
    from apps.proposals.selectors import ProposalCard, proposal_cards_page, proposal_list

    gone = UserFactory.create(display_name="Awa K.", is_deleted=True)
    made = [
        ProposalFactory.create(process=collect_process, author=UserFactory.create(display_name="Léon B.")),
        ProposalFactory.create(process=collect_process, author=gone),
        ProposalFactory.create(process=collect_process, author=None),
        ProposalFactory.create(process=collect_process, author=None, is_paper=True, paper_author_name="Mme Dupont"),
        ProposalFactory.create(process=collect_process, author=None, is_paper=True),
    ]
    params = {"tri": "recent"}
    rows = list(proposal_cards_page(collect_process, params, 1).object_list)
    instances = [ProposalCard.of(proposal) for proposal in proposal_list(collect_process, params)]
    assert rows == instances and {row.pk for row in rows} == {proposal.pk for proposal in made}
    labels = {row.pk: row.author_label for row in rows}
    assert [labels[proposal.pk] for proposal in made] == [proposal.author_label for proposal in made]
    assert [labels[proposal.pk] for proposal in made] == [
        "Léon B.",
        "Participant·e supprimé·e",
        "Participant·e supprimé·e",
        "Mme Dupont",
        "Contribution papier",
    ]
    html = client.get(reverse("proposals:list", args=[collect_process.slug])).content.decode()
    assert "Léon B." in html and "Awa K." not in html and "Mme Dupont" not in html
