"""The cached fragments of the list and detail pages (apps.proposals.fragments) never show
stale content after a change the platform makes, and never carry anything personal."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.template import loader
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks

from apps.accounts.models import User
from apps.core.models import Process, Theme
from apps.discussion import rendering
from apps.discussion.models import Comment
from apps.proposals import fragments, selectors, services, views
from apps.proposals.models import Proposal, Status
from tests.conftest import Personas
from tests.factories import CommentFactory


def _html(client: Client, url: str, **params: Any) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def _cached_fragments() -> list[str]:
    """Every fragment stored in the cache (LocMem in tests: keys are ``:1:<key>``)."""
    keys = [key.split(":", 2)[2] for key in list(getattr(cache, "_cache", {})) if fragments._PREFIX in key]
    assert keys
    return [value for value in (cache.get(key) for key in keys) if isinstance(value, str)]


def test_created_proposal_appears_in_the_list_at_once(
    client_for: Callable[[User | None], Client],
    personas: Personas,
    collect_process: Process,
    proposal: Proposal,
) -> None:
    list_url = reverse("proposals:list", args=[collect_process.slug])
    anonymous = client_for(None)
    assert "Un composteur rue Mercœur" not in _html(anonymous, list_url)
    assert "Un composteur rue Mercœur" not in _html(anonymous, list_url)  # now served from the cache
    response = client_for(personas["other_resident"]).post(
        reverse("proposals:create", args=[collect_process.slug]),
        {"title": "Un composteur rue Mercœur", "body": "Un composteur partagé pour les immeubles du quartier."},
    )
    assert response.status_code == 302
    html = _html(anonymous, list_url)
    assert "Un composteur rue Mercœur" in html and "2 propositions" in html


def test_edit_withdraw_and_answer_show_in_the_list_at_once(
    client_for: Callable[[User | None], Client],
    personas: Personas,
    collect_process: Process,
    proposal: Proposal,
    freeze_phase: Callable[[Process, str], None],
) -> None:
    list_url = reverse("proposals:list", args=[collect_process.slug])
    anonymous = client_for(None)
    title = escape(proposal.title)
    assert "Reçue" in _html(anonymous, list_url) and title in _html(anonymous, list_url)
    freeze_phase(collect_process, "support")  # answers come after the collect phase
    services.proposal_answer(
        actor=personas["elu"],
        proposal=proposal,
        status=Status.UNDER_STUDY,
        body="Nous étudions votre idée en détail.",
    )
    assert "À l'étude" in _html(anonymous, list_url).replace("&#x27;", "'")
    proposal.refresh_from_db()
    services.proposal_withdraw(user=personas["resident"], proposal=proposal)
    assert title not in _html(anonymous, list_url)
    assert title in _html(anonymous, list_url, etat="retiree")


def test_list_counts_may_lag_but_not_beyond_the_ttl(
    client_for: Callable[[User | None], Client],
    personas: Personas,
    collect_process: Process,
    proposal: Proposal,
) -> None:
    """Supports are not versioned (one write per click): the cards show them within the TTL."""
    list_url = reverse("proposals:list", args=[collect_process.slug])
    anonymous = client_for(None)
    assert "aucun soutien" in _html(anonymous, list_url)
    services.support_add(user=personas["other_resident"], proposal=proposal)
    cache.clear()  # what the expiry of FRAGMENT_TTL does
    assert "1 soutien" in _html(anonymous, list_url)
    assert fragments.FRAGMENT_TTL <= 60


def test_support_count_on_the_detail_page_changes_at_once(
    client_for: Callable[[User | None], Client], personas: Personas, proposal: Proposal
) -> None:
    anonymous, resident = client_for(None), client_for(personas["other_resident"])
    assert '<span class="support-count">Aucun soutien</span>' in _html(anonymous, proposal.get_absolute_url())
    assert resident.post(reverse("proposals:support", args=[proposal.pk])).status_code == 302
    assert '<span class="support-count">1</span>' in _html(anonymous, proposal.get_absolute_url())
    assert "Retirer mon soutien" in _html(resident, proposal.get_absolute_url())
    assert resident.post(reverse("proposals:unsupport", args=[proposal.pk])).status_code == 302
    assert '<span class="support-count">Aucun soutien</span>' in _html(anonymous, proposal.get_absolute_url())


def test_hidden_comment_is_hidden_at_once_and_shown_again(
    client_for: Callable[[User | None], Client], personas: Personas, proposal: Proposal, comment: Comment
) -> None:
    anonymous, moderator = client_for(None), client_for(personas["moderator"])
    url, body = proposal.get_absolute_url(), escape(comment.body)
    assert body in _html(anonymous, url)
    assert body in _html(client_for(personas["resident"]), url)
    response = moderator.post(reverse("proposals:comment_hide", args=[comment.pk]), {"reason": "Propos hors charte"})
    assert response.status_code == 302
    for client in (anonymous, client_for(personas["resident"])):
        html = _html(client, url)
        assert body not in html and "Commentaire masqué par la modération\xa0: Propos hors charte" in html
    assert moderator.post(reverse("proposals:comment_unhide", args=[comment.pk])).status_code == 302
    assert body in _html(anonymous, url)


def test_new_comment_and_reply_show_at_once(
    client_for: Callable[[User | None], Client], personas: Personas, proposal: Proposal, comment: Comment
) -> None:
    anonymous, resident = client_for(None), client_for(personas["resident"])
    url = proposal.get_absolute_url()
    assert escape(comment.body) in _html(anonymous, url)  # the threads are now cached
    comment_url = reverse("proposals:comment", args=[proposal.pk])
    resident.post(comment_url, {"body": "Je suis d'accord avec vous", "stance": "agree", "parent": comment.pk})
    html = _html(anonymous, url)
    assert "Je suis d&#x27;accord avec vous" in html


def test_cached_comments_carry_no_csrf_token_and_no_one_elses_controls(
    client_for: Callable[[User | None], Client], personas: Personas, proposal: Proposal, comment: Comment
) -> None:
    other_resident, resident = client_for(personas["other_resident"]), client_for(personas["resident"])
    url = proposal.get_absolute_url()
    own = _html(other_resident, url)  # the author of ``comment``: no report link on it
    assert reverse("proposals:comment_report", args=[comment.pk]) not in own
    html = _html(resident, url)  # another resident: may report it, may reply
    assert reverse("proposals:comment_report", args=[comment.pk]) in html
    assert fragments.CSRF_PLACEHOLDER_PREFIX not in html
    token = resident.cookies["csrftoken"].value if "csrftoken" in resident.cookies else None
    assert token is None or token not in "".join(_cached_fragments())
    assert 'name="parent"' in html and 'name="csrfmiddlewaretoken" value="' in html.split('name="parent"')[0]
    assert reverse("proposals:comment_hide", args=[comment.pk]) not in html
    # The moderator's controls are rendered for them only, never cached for others.
    assert reverse("proposals:comment_hide", args=[comment.pk]) in _html(client_for(personas["moderator"]), url)
    assert reverse("proposals:comment_hide", args=[comment.pk]) not in _html(resident, url)
    anonymous = _html(client_for(None), url)
    assert "Signaler" not in anonymous and 'name="parent"' not in anonymous
    assert all(
        fragments.CSRF_PLACEHOLDER_PREFIX not in value or "csrfmiddlewaretoken" in value
        for value in _cached_fragments()
    )


def test_reply_with_the_cached_form_is_accepted_with_csrf_checks(
    personas: Personas, proposal: Proposal, comment: Comment
) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["resident"])
    html = client.get(proposal.get_absolute_url()).content.decode()
    form = html.split(f'name="parent" value="{comment.pk}"')[0].rsplit("<form", 1)[1]
    token = form.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = client.post(
        reverse("proposals:comment", args=[proposal.pk]),
        {"csrfmiddlewaretoken": token, "body": "Réponse avec le jeton", "parent": comment.pk, "stance": "neutral"},
    )
    assert response.status_code == 302
    assert Comment.objects.filter(body="Réponse avec le jeton", parent=comment).exists()


def test_edit_and_answer_show_on_the_detail_page_at_once(
    client_for: Callable[[User | None], Client],
    personas: Personas,
    proposal: Proposal,
    freeze_phase: Callable[[Process, str], None],
) -> None:
    anonymous, url = client_for(None), proposal.get_absolute_url()
    assert "La Ville n’a pas encore répondu" in _html(anonymous, url)
    services.proposal_update(
        user=personas["resident"],
        proposal=proposal,
        title="Des bancs et des arbres place Viarme",
        body="Des bancs **ombragés** et trois arbres.",
        theme=proposal.theme,
        territory=proposal.territory,
    )
    html = _html(anonymous, url)
    assert "Des bancs et des arbres place Viarme" in html and "<strong>ombragés</strong>" in html
    freeze_phase(proposal.process, "support")  # answers come after the collect phase
    services.proposal_answer(
        actor=personas["elu"],
        proposal=proposal,
        status=Status.ACCEPTED,
        body="Accordé : les bancs seront posés au printemps.",
    )
    html = _html(anonymous, url)
    assert "les bancs seront posés au printemps" in html and "La Ville n’a pas encore répondu" not in html


# --- Warm after a write -------------------------------------------------------------------


def _stored(key: str) -> object:
    """What the cache holds under a fragment key built in the site's language."""
    return cache.get(key)


def _list_blocks_key(process: Process) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return views.list_blocks_key(process.pk, {}, "1")


def test_list_and_page_are_warm_after_a_new_proposal_and_show_it(
    client_for: Callable[[User | None], Client],
    personas: Personas,
    collect_process: Process,
    proposal: Proposal,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    list_url = reverse("proposals:list", args=[collect_process.slug])
    anonymous = client_for(None)
    _html(anonymous, list_url)  # cached before the write
    with django_capture_on_commit_callbacks(execute=True):
        created = services.proposal_create(
            author=personas["other_resident"],
            process=collect_process,
            title="Un composteur rue Mercœur",
            body="Un composteur partagé pour les immeubles du quartier.",
        )
    stored = _stored(_list_blocks_key(collect_process))  # rendered on commit, before any visitor
    assert isinstance(stored, tuple) and stored[0] == fragments.version("list", collect_process.pk)
    blocks = stored[1]
    assert isinstance(blocks, views.ListBlocks)
    assert "Un composteur rue Mercœur" in blocks.results_html and "2 propositions" in blocks.results_html
    loaded = selectors.proposal_for_detail(created.pk, full=False)
    assert loaded is not None
    with translation.override(settings.LANGUAGE_CODE):
        head = _stored(views._detail_blocks_key(loaded))
    assert isinstance(head, dict) and "Un composteur partagé" in head["head"]
    # The first visitor after the write is served from the cache, process and phases included.
    with django_assert_num_queries(0):
        html = _html(anonymous, list_url)
    assert "Un composteur rue Mercœur" in html and "2 propositions" in html


def test_page_is_warm_after_an_edit_and_shows_the_new_text(
    client_for: Callable[[User | None], Client],
    personas: Personas,
    proposal: Proposal,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    url = proposal.get_absolute_url()
    _html(client_for(None), url)
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_update(
            user=personas["resident"],
            proposal=proposal,
            title="Des bancs et des arbres place Viarme",
            body="Des bancs **ombragés** et trois arbres.",
            theme=proposal.theme,
            territory=proposal.territory,
        )
    fresh = selectors.proposal_for_detail(proposal.pk, full=False)
    assert fresh is not None
    with translation.override(settings.LANGUAGE_CODE):
        head = _stored(views._detail_blocks_key(fresh))
    assert isinstance(head, dict) and "<strong>ombragés</strong>" in head["head"]
    html = _html(client_for(None), url)
    assert "Des bancs et des arbres place Viarme" in html and "<strong>ombragés</strong>" in html


def test_threads_are_warm_after_a_comment_for_anonymous_visitors_only(
    client_for: Callable[[User | None], Client],
    personas: Personas,
    proposal: Proposal,
    comment: Comment,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    url = proposal.get_absolute_url()
    resident = client_for(personas["resident"])
    with django_capture_on_commit_callbacks(execute=True):
        response = resident.post(
            reverse("proposals:comment", args=[proposal.pk]),
            {"body": "Une nouvelle idée pour le square", "stance": "agree"},
        )
    assert response.status_code == 302
    warmed = [value for value in _cached_fragments() if "Une nouvelle idée pour le square" in value]
    # Only the anonymous variant is rendered on commit: no report link, no reply form, no token.
    assert len(warmed) == 1
    assert "Signaler" not in warmed[0] and 'name="parent"' not in warmed[0]
    assert "csrfmiddlewaretoken" not in warmed[0] and fragments.CSRF_PLACEHOLDER_PREFIX not in warmed[0]
    anonymous = _html(client_for(None), url)
    assert "Une nouvelle idée pour le square" in anonymous and 'name="parent"' not in anonymous
    # A resident still gets their own variant: reply forms with their own token.
    html = _html(client_for(personas["other_resident"]), url)
    assert "Une nouvelle idée pour le square" in html and 'name="parent"' in html
    assert fragments.CSRF_PLACEHOLDER_PREFIX not in html


def test_a_failed_warming_does_not_fail_the_write(
    client_for: Callable[[User | None], Client],
    personas: Personas,
    collect_process: Process,
    proposal: Proposal,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(_pk: int) -> None:
        raise RuntimeError("rendering failed")

    monkeypatch.setattr(views, "warm_list", broken)
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_withdraw(user=personas["resident"], proposal=proposal)
    assert escape(proposal.title) not in _html(client_for(None), reverse("proposals:list", args=[collect_process.slug]))


# --- Comments rendered one by one (apps.discussion.rendering) ------------------------------


def _comment_fragments() -> dict[str, str]:
    """The comment fragments in the cache, by key (LocMem in tests: keys are ``:1:<key>``)."""
    keys = [key.split(":", 2)[2] for key in list(getattr(cache, "_cache", {})) if rendering._PREFIX in key]
    return {key: value for key in keys if isinstance(value := cache.get(key), str)}


def test_a_new_comment_renders_itself_only_and_shows_at_once(
    client_for: Callable[[User | None], Client], personas: Personas, proposal: Proposal, comment: Comment
) -> None:
    resident = client_for(personas["resident"])
    url = proposal.get_absolute_url()
    CommentFactory.create(proposal=proposal, author=personas["resident"], body="Et un banc pour les enfants")
    html = _html(resident, url)
    before = _comment_fragments()
    assert len(before) == 2 and escape(comment.body) in html
    response = resident.post(
        reverse("proposals:comment", args=[proposal.pk]),
        {"body": "Une réponse toute neuve", "stance": "agree", "parent": comment.pk},
    )
    assert response.status_code == 302
    html = _html(resident, url)
    after = _comment_fragments()
    # The two comments of before are read back, the reply is the one fragment rendered.
    assert set(before) < set(after) and len(after) == 3
    assert "Une réponse toute neuve" in html and 'class="replies"' in html
    # Viewer-neutral: a reply form's token is the marker in the cache, the visitor's own on the page.
    assert all(rendering.CSRF_MARKER in value for value in after.values())
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert token and not any(token in value for value in after.values())
    assert rendering.CSRF_MARKER not in html and fragments.CSRF_PLACEHOLDER_PREFIX not in html


def test_comments_read_back_from_the_cache_give_the_same_page(
    client_for: Callable[[User | None], Client], personas: Personas, proposal: Proposal, comment: Comment
) -> None:
    CommentFactory.create(proposal=proposal, author=personas["resident"], parent=comment, root=comment)
    resident = client_for(personas["other_resident"])

    def page() -> str:
        fragments._bump_now("comments", proposal.pk)  # the threads block is rendered again
        html = _html(resident, proposal.get_absolute_url())
        return re.sub(r'(csrfmiddlewaretoken" value="|csrf-token" content="|X-CSRFToken": ")\w+', r"\1TOKEN", html)

    rendered = page()
    assert _comment_fragments()
    assert page() == rendered  # every comment from the cache this time


def test_account_deletion_shows_on_the_comments_at_once(
    client_for: Callable[[User | None], Client], personas: Personas, proposal: Proposal, comment: Comment
) -> None:
    from apps.accounts.rgpd.erase import account_delete

    anonymous, url = client_for(None), proposal.get_absolute_url()
    assert "Bruno Voisin" in _html(anonymous, url)  # the threads are now cached
    account_delete(user=personas["other_resident"])
    html = _html(anonymous, url)
    assert "Bruno Voisin" not in html and "Participant·e supprimé·e" in html
    assert escape(comment.body) in html  # the contribution stays


def test_comment_form_from_the_cache_carries_each_visitors_token(personas: Personas, proposal: Proposal) -> None:
    for persona in ("resident", "other_resident"):
        client = Client(enforce_csrf_checks=True)
        client.force_login(personas[persona])
        html = client.get(proposal.get_absolute_url()).content.decode()
        form = html.split('class="comment-form">')[1].split("</form>")[0]
        assert f'action="{reverse("proposals:comment", args=[proposal.pk])}"' in html.split('class="comment-form">')[0]
        token = form.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        response = client.post(
            reverse("proposals:comment", args=[proposal.pk]),
            {"csrfmiddlewaretoken": token, "body": f"Avis de {persona}", "stance": "agree"},
        )
        assert response.status_code == 302
        with translation.override(settings.LANGUAGE_CODE):
            stored = cache.get(views._comment_form_key())
        assert isinstance(stored, str) and views._FORM_CSRF in stored and token not in stored
    assert Comment.objects.filter(body__startswith="Avis de").count() == 2


def test_account_deletion_shows_on_the_proposal_page_at_once(
    client_for: Callable[[User | None], Client], personas: Personas, proposal: Proposal
) -> None:
    from apps.accounts.rgpd.erase import account_delete

    assert proposal.author == personas["resident"]
    anonymous, url = client_for(None), proposal.get_absolute_url()
    assert "Awa Résidente" in _html(anonymous, url)  # the top block is now cached
    account_delete(user=personas["resident"])
    html = _html(anonymous, url)
    assert "Awa Résidente" not in html and "Participant·e supprimé·e" in html
    assert escape(proposal.title) in html  # the contribution stays


def test_a_renamed_process_shows_at_once_in_the_list_title_breadcrumb_and_heading(
    client_for: Callable[[User | None], Client], collect_process: Process
) -> None:
    """The parts of list.html made of the process's title are memoised by that title."""
    list_url = reverse("proposals:list", args=[collect_process.slug])
    anonymous = client_for(None)
    assert collect_process.title in _html(anonymous, list_url)
    collect_process.title = "Budget des quartiers, édition renommée"
    collect_process.save()
    html = _html(anonymous, list_url)
    assert html.count("Budget des quartiers, édition renommée") >= 3  # <title>, breadcrumb, <h1>
    assert f'<li><a href="{collect_process.get_absolute_url()}">Budget des quartiers' in html


def test_filters_outlive_a_new_proposal_but_not_a_change_of_their_choices(
    client_for: Callable[[User | None], Client],
    personas: Personas,
    collect_process: Process,
    proposal: Proposal,
    theme: Theme,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The filters block is kept across versions of the list (a new proposal does not change
    it) with the choices it was made from; new choices render it again at once."""
    list_url = reverse("proposals:list", args=[collect_process.slug])
    anonymous = client_for(None)
    assert 'value="mobilites" selected>Mobilités</option>' in _html(anonymous, list_url, theme="mobilites")
    rendered: list[str] = []
    render = loader.render_to_string  # what the view calls

    def counting(name: str, *args: Any, **kwargs: Any) -> str:
        rendered.append(name)
        return render(name, *args, **kwargs)

    monkeypatch.setattr(views, "render_to_string", counting)
    services.proposal_create(
        author=personas["other_resident"],
        process=collect_process,
        title="Un composteur rue Mercœur",
        body="Un composteur partagé pour les immeubles du quartier.",
    )
    html = _html(anonymous, list_url, theme="mobilites")
    assert "proposals/_filters.html" not in rendered and "proposals/_results.html" in rendered
    assert 'value="mobilites" selected>Mobilités</option>' in html
    theme.name = "Mobilités douces"
    theme.save()
    services.proposal_create(  # a new version of the list: the choices are read again
        author=personas["other_resident"],
        process=collect_process,
        title="Des arceaux vélos rue Kervégan",
        body="Des arceaux pour attacher les vélos devant la médiathèque.",
    )
    html = _html(anonymous, list_url, theme="mobilites")
    assert 'value="mobilites" selected>Mobilités douces</option>' in html
    assert "proposals/_filters.html" in rendered


def test_each_filter_control_shows_its_own_value_and_error_whatever_the_memo_holds(
    client_for: Callable[[User | None], Client], collect_process: Process
) -> None:
    """The controls are memoised by their values (``{% memo control=control %}``): a query
    with an error and one without never swap their markup."""
    list_url = reverse("proposals:list", args=[collect_process.slug])
    anonymous = client_for(None)
    for _ in range(2):
        cache.clear()  # the blocks rendered again: only the in-process memo remains
        wrong = _html(anonymous, list_url, quartier="nulle-part", q="square")
        assert 'aria-invalid="true" aria-describedby="id_quartier_error"' in wrong
        assert 'value="square"' in wrong
        right = _html(anonymous, list_url, theme="mobilites", q="parc")
        assert "aria-invalid" not in right and 'value="parc"' in right and 'value="square"' not in right
        assert 'value="mobilites" selected>' in right and 'value="mobilites" selected>' not in wrong
