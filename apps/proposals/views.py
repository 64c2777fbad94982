"""Public pages of the proposals module. Views parse input, call one service, render."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core import maps, ratelimits
from apps.core.csrf import get_token
from apps.core.http import safe_next_url
from apps.core.models import Process
from apps.core.params import parse_id, parse_page
from apps.core.ratelimits import ratelimit
from apps.discussion import views as discussion_views
from apps.discussion.models import Comment
from apps.discussion.selectors import comments_of, has_commented
from apps.discussion.targets import comment_url
from apps.proposals import fragments, rules, selectors, services
from apps.proposals.forms import (
    FILTER_PARAMS,
    SEED_MAX,
    SORTS,
    CommentForm,
    ProposalFilterForm,
    ProposalForm,
    filter_choices,
)
from apps.proposals.models import Proposal
from apps.proposals.placement import process_territories
from apps.proposals.search import similar_proposals


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def _process_or_404(request: HttpRequest, slug: str) -> Process:
    process = selectors.visible_process(slug, request.user)
    if process is None:
        raise Http404
    return process


def _proposal_or_404(request: HttpRequest, pk: int, *, full: bool = True) -> Proposal:
    proposal = selectors.proposal_for_detail(pk, full=full)
    if proposal is None or not rules.can_view_proposal(request.user, proposal):
        raise Http404
    return proposal


def _proposal_for_action_or_404(request: HttpRequest, pk: int) -> Proposal:
    """Lean load for the POST actions (support, comment): what the rules need, no more."""
    proposal = selectors.proposal_for_action(pk)
    if proposal is None or not rules.can_view_proposal(request.user, proposal):
        raise Http404
    return proposal


def _comment_or_404(request: HttpRequest, pk: int) -> tuple[Comment, Proposal]:
    """A comment of a proposal the visitor may see, and its proposal."""
    comment = (
        Comment.objects.filter(pk=pk, target_type=ContentType.objects.get_for_model(Proposal))
        .select_related("author", "process__territory")
        .first()
    )
    proposal = (
        Proposal.objects.select_related("process__territory")
        .prefetch_related("process__phases")
        .filter(pk=comment.target_id)
        .first()
        if comment is not None
        else None
    )
    if comment is None or proposal is None or not rules.can_view_proposal(request.user, proposal):
        raise Http404
    return comment, proposal


COMMENT_URLS = {
    "report": "proposals:comment_report",
    "hide": "proposals:comment_hide",
    "unhide": "proposals:comment_unhide",
}


def _login(request: HttpRequest, next_url: str | None = None) -> HttpResponse:
    return redirect_to_login(next_url or request.get_full_path())


# --- List and map -------------------------------------------------------------------------


def _filtered(
    request: HttpRequest, process: Process, choices: tuple[list[tuple[str, str]], list[tuple[str, str]]]
) -> tuple[ProposalFilterForm, dict[str, str]]:
    territories, themes = choices
    form = ProposalFilterForm(request.GET, territories=territories, themes=themes)
    form.is_valid()  # invalid values are dropped: only allowlisted choices reach the query
    params = form.params()
    if params.get("tri") == "hasard" and "graine" not in params:
        # A fresh seed, then carried in every link so the pages do not reshuffle.
        params["graine"] = str(secrets.randbelow(SEED_MAX) + 1)
    return form, params


@dataclass
class ListBlocks:
    """What the list page shows below its title, the same for every visitor (cached)."""

    params: dict[str, str]
    filters_html: str
    results_html: str


def list_blocks_key(process_id: int, raw: dict[str, str], page_number: str) -> str:
    """Where the list's blocks for these raw filter parameters and page are stored (with the
    list's version: ``fragments.stamped``)."""
    return fragments.key("list", process_id, "blocks", sorted(raw.items()), page_number, version_number=0)


def _list_blocks(request: HttpRequest, process: Process) -> tuple[ListBlocks, Any, Any]:
    """The filters and the results block (count, cards, pagination) of the list, and the
    (lazy) filter form and page, which a cache hit never evaluates.

    Both blocks are the same for every visitor. They are cached per process version (bumped
    by the services on create, edit, withdraw, status and answer), language, the raw filter
    parameters and the page: the same query always validates to the same filters, except a
    random sort without a seed, which draws a fresh one and is never cached under its raw
    query. The results are also cached under the validated parameters, so different spellings
    of one query share them. The filter choices (territories and themes, edited in the back
    office) are cached with the version too. What the version does not track (support and
    comment counts, names) may lag by ``fragments.FRAGMENT_TTL``.
    """
    # Normalised so junk values share the key of page 1 (get_page treats them alike).
    page_number = str(parse_page(request.GET.get("page")))
    raw = {name: value for name in FILTER_PARAMS if (value := request.GET.get(name, ""))}
    fresh_seed = raw.get("tri") == "hasard" and "graine" not in raw
    blocks_key = list_blocks_key(process.pk, raw, page_number)
    choices_key = fragments.key("list", process.pk, "filter-choices", version_number=0)
    # The filters show the choices and the query (and its errors), nothing of the proposals:
    # pages 2 and 3 share page 1's, and a new version of the list (a new proposal) keeps
    # them. They are stored with the choices they were made from, and used only while those
    # are still the process's choices.
    filters_key = fragments.key("list-filters", process.pk, sorted(raw.items()), version_number=0)
    # The blocks and the choices are stored with the version they were made for (under keys
    # without it), so the version and all three are one cache round trip; on a hit the choices
    # and filters come along unused, a few hundred bytes more than a read of the blocks alone.
    number, found = fragments.version_and_many("list", process.pk, [blocks_key, choices_key, filters_key])
    cached_blocks = None if fresh_seed else fragments.current(found, blocks_key, number)
    if isinstance(cached_blocks, ListBlocks):
        params = cached_blocks.params
        lazy_form = SimpleLazyObject(lambda: _filtered(request, process, filter_choices(process))[0])
        lazy_page = SimpleLazyObject(lambda: selectors.proposal_cards_page(process, params, page_number))
        return cached_blocks, lazy_form, lazy_page

    writes: dict[str, object] = {}  # stored in one round trip at the end
    choices = fragments.current(found, choices_key, number)
    if not isinstance(choices, tuple):
        choices = filter_choices(process)
        writes[choices_key] = fragments.stamped(number, choices)
    form, params = _filtered(request, process, choices)
    # The number of results does not depend on the sort or the page: shared by their URLs.
    counted = {name: value for name, value in params.items() if name not in {"tri", "graine"}}
    count_key = fragments.key("list", process.pk, "count", sorted(counted.items()), version_number=number)
    results_key = fragments.key("list", process.pk, sorted(params.items()), page_number, version_number=number)
    found.update(fragments.get_many([results_key, count_key]))
    loaded: list[Any] = []

    def load_page() -> Any:
        if not loaded:
            count = found.get(count_key)
            loaded.append(
                selectors.proposal_cards_page(
                    process, params, page_number, count=count if isinstance(count, int) else None
                )
            )
            if not isinstance(count, int):
                writes[count_key] = loaded[0].paginator.count
        return loaded[0]

    page = SimpleLazyObject(load_page)

    def render_results() -> str:
        # The page itself, not the lazy proxy: the template reads it some forty times.
        return render_to_string(
            "proposals/_results.html",
            {"page": load_page(), "base_query": urlencode(params)},
        )

    def render_filters() -> str:
        return render_to_string(
            "proposals/_filters.html",
            {
                "form": form,
                "params": params,
                "action": reverse("proposals:list", kwargs={"process_slug": process.slug}),
                "show_sort": True,
            },
        )

    stored_filters = found.get(filters_key)
    if not fresh_seed and isinstance(stored_filters, tuple) and stored_filters[0] == choices:
        filters_html = str(stored_filters[1])
    else:
        filters_html = render_filters()
        # A fresh random seed is printed in the filters (hidden field): never shared.
        if not fresh_seed:
            writes[filters_key] = (choices, filters_html)
    blocks = ListBlocks(
        params=params,
        filters_html=filters_html,
        results_html=str(fragments.cached(results_key, render_results, found, writes)),
    )
    if not fresh_seed:
        writes[blocks_key] = fragments.stamped(number, blocks)
    fragments.store_many(writes)
    writes.clear()  # the page, if read later (lazily), is not stored again
    return blocks, form, page


@require_GET
def proposal_list(request: HttpRequest, process_slug: str) -> HttpResponse:
    process = _process_or_404(request, process_slug)
    blocks, form, page = _list_blocks(request, process)
    return render(
        request,
        "proposals/list.html",
        {
            "process": process,
            "form": form,
            "page": page,
            "filters_html": mark_safe(blocks.filters_html),  # rendered by our templates, escaped
            "results_html": mark_safe(blocks.results_html),
            "params": blocks.params,
            "base_query": urlencode(blocks.params),
            "sorts": SORTS,
            "can_create": rules.can_create_proposal(request.user, process),
        },
    )


MAP_LIST_PER_PAGE = 10


@require_GET
def proposal_map(request: HttpRequest, process_slug: str) -> HttpResponse:
    """All located proposals on the map (clustered), the same ones as a paginated list beside
    it: the list is the map's text alternative and the page without JavaScript."""
    process = _process_or_404(request, process_slug)
    form, params = _filtered(request, process, filter_choices(process))
    points = selectors.proposal_map_points(selectors.proposal_list(process, params))
    markers = [
        {
            "title": proposal.title,
            "url": proposal.get_absolute_url(),
            "lat": maps.public_coordinate(proposal.latitude or 0),
            "lon": maps.public_coordinate(proposal.longitude or 0),
        }
        for proposal in points
    ]
    page = Paginator(points, MAP_LIST_PER_PAGE).get_page(parse_page(request.GET.get("page")))
    return render(
        request,
        "proposals/map.html",
        {
            "process": process,
            "form": form,
            "points": points,
            "page": page,
            "markers": markers,
            "map_config": _map_config(process),
            "limit": selectors.MAP_LIMIT,
            "base_query": urlencode(params),
        },
    )


def _map_config(process: Process) -> dict[str, Any]:
    return maps.map_config(territories=process_territories(process))


# --- Create, edit, similar ------------------------------------------------------------------


def _suggest_similar(form: ProposalForm, process: Process, proposal: Proposal | None = None) -> ProposalForm:
    """htmx enhancement: while the title is typed, similar proposals appear below it."""
    attrs = {
        "hx-get": reverse("proposals:similar", kwargs={"process_slug": process.slug}),
        "hx-trigger": "keyup changed delay:400ms",
        "hx-target": "#similaires",
        "hx-swap": "innerHTML",
        "autocomplete": "off",
    }
    if proposal is not None:
        attrs["hx-vals"] = json.dumps({"sauf": proposal.pk})
    form.fields["title"].widget.attrs.update(attrs)
    return form


def _service_errors(form: ProposalForm, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _proposal_fields(form: ProposalForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "body": data["body"],
        "theme": data.get("theme"),
        "territory": data.get("territory"),
        "address": data.get("address") or "",
        "latitude": data.get("latitude"),
        "longitude": data.get("longitude"),
        "images": data.get("images") or [],
    }


# Five proposals per ten minutes; a submission sent back with an error does not count.
CREATE_LIMIT = {"group": "proposals.create", "rate": "5/10m"}


@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest, process_slug: str) -> HttpResponse:
    process = _process_or_404(request, process_slug)
    if not request.user.is_authenticated:
        return _login(request)
    if not rules.can_create_proposal(request.user, process):
        raise PermissionDenied
    if request.method == "POST":
        ratelimits.check_successes(request, **CREATE_LIMIT)
    form = _suggest_similar(ProposalForm(request.POST or None, request.FILES or None, process=process), process)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(author=request.user, process=process, **_proposal_fields(form))
        except ValidationError as error:
            _service_errors(form, error)
        else:
            ratelimits.count_success(request, **CREATE_LIMIT)
            messages.success(request, _("Merci ! Votre proposition est publiée."))
            return redirect(proposal)
    return render(
        request,
        "proposals/form.html",
        {"form": form, "process": process, "proposal": None, "map_config": _map_config(process)},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_or_404(request, pk)
    if not request.user.is_authenticated:
        return _login(request)
    if not rules.can_edit_proposal(request.user, proposal):
        raise PermissionDenied
    existing = list(proposal.images.all())
    form = ProposalForm(
        request.POST or None,
        request.FILES or None,
        process=proposal.process,
        existing_images=len(existing),
        initial=ProposalForm.initial_for(proposal),
    )
    _suggest_similar(form, proposal.process, proposal)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_update(user=request.user, proposal=proposal, **_proposal_fields(form))
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, _("Votre proposition est modifiée."))
            return redirect(proposal)
    return render(
        request,
        "proposals/form.html",
        {
            "form": form,
            "process": proposal.process,
            "proposal": proposal,
            "existing_images": existing,
            "map_config": _map_config(proposal.process),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def proposal_similar(request: HttpRequest, process_slug: str) -> HttpResponse:
    process = _process_or_404(request, process_slug)
    # ``titre`` is the documented parameter; htmx sends the input's own name, ``title``.
    title = (request.GET.get("titre") or request.GET.get("title") or "")[:150]
    queryset = process.proposals.filter(is_withdrawn=False)
    exclude = parse_id(request.GET.get("sauf"))
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude)
    return render(
        request,
        "proposals/_similar.html",
        {"similar": similar_proposals(queryset, title), "titre": title},
    )


# --- Detail, support, withdraw -------------------------------------------------------------


def _support_context(request: HttpRequest, proposal: Proposal, supports: bool | None = None) -> dict[str, Any]:
    """``supports``: the visitor's own support when the caller knows it (it just wrote it)."""
    return {
        "proposal": proposal,
        "can_support": rules.can_support(request.user, proposal),
        "supports_open": rules.supports_open(proposal),
        "supports": selectors.user_supports(request.user, proposal) if supports is None else supports,
        # For the sign-in links, which only anonymous visitors see (a reverse costs ~100 calls).
        "page_url": "" if request.user.is_authenticated else proposal.get_absolute_url(),
    }


def _comment_threads_key(
    request: HttpRequest,
    proposal: Proposal,
    *,
    can_comment: bool,
    can_moderate: bool,
    version_number: int | None = None,
) -> str:
    """Key of the comment threads for this visitor ("" for moderators: never cached).

    What varies between visitors is only: signed in or not (report links), allowed to reply
    or not (reply forms) and, for a resident who commented this proposal, which comments are
    their own (no report link on them): those residents get a variant of their own.
    """
    if can_moderate:
        return ""
    user = request.user
    own = 0
    if user.is_authenticated:
        own = user.pk if has_commented(user, proposal) else 0
    return fragments.key(
        "comments",
        proposal.pk,
        _comments_page(request),
        user.is_authenticated,
        can_comment,
        own,
        version_number=version_number,
    )


def _comments_page(request: HttpRequest) -> str:
    return str(parse_page(request.GET.get("page")))


def _comment_threads_html(
    request: HttpRequest,
    proposal: Proposal,
    key: str,
    found: dict[str, object],
    *,
    can_comment: bool,
    can_moderate: bool,
    token: str = "",
) -> str:
    """The comment threads of the page, cached per variant (see :func:`_comment_threads_key`).

    The reply forms' CSRF token is a placeholder in the cache, replaced by the visitor's
    ``token``. Moderators (hide/unhide controls) always get a fresh rendering.
    """
    user = request.user
    page_number = _comments_page(request)

    def context(csrf_token: str | None) -> dict[str, Any]:
        values: dict[str, Any] = {
            "proposal": proposal,
            "comments": selectors.comment_threads(proposal, page_number, user),
            "comment_urls": COMMENT_URLS,
            "reply_url": reverse("proposals:comment", kwargs={"pk": proposal.pk}),
            "can_comment": can_comment,
            "can_moderate": can_moderate,
            "stances": Comment.Stance.choices,
        }
        if csrf_token is not None:
            values["csrf_token"] = csrf_token
        return values

    if not key:
        return render_to_string("discussion/_threads.html", context(None), request=request)
    placeholder = fragments.csrf_placeholder(key)
    html = fragments.cached(
        key,
        lambda: render_to_string("discussion/_threads.html", context(placeholder if can_comment else "")),
        found,
    )
    if can_comment:
        html = mark_safe(html.replace(placeholder, token or get_token(request)))
    return html


# Markers of the cached comment form: the form holds nothing from any visitor or proposal, so
# fixed markers are safe (no text that someone typed is in it).
_FORM_CSRF = "\x00proposals-comment-form-csrf\x00"
_FORM_ACTION = "\x00proposals-comment-form-action\x00"


def _comment_form_key() -> str:
    return fragments.key("form", 0, "comment", version_number=0)


def _comment_form_html(
    proposal: Proposal, key: str, found: dict[str, object], token: str, form: CommentForm | None
) -> str:
    """The empty comment form, rendered once per language (a field, a fieldset of stances and
    two includes cost a signed-in page view about 2,000 Python calls) with markers for the
    action and the CSRF token; a form holding the visitor's input is rendered, never cached."""
    action = reverse("proposals:comment", kwargs={"pk": proposal.pk})

    def render(comment_form: CommentForm, csrf_token: str, comment_action: str) -> str:
        context = {
            "comment_form": comment_form,
            "comment_action": comment_action,
            "csrf_token": csrf_token,
            "stances": Comment.Stance.choices,
        }
        return render_to_string("proposals/_comment_form.html", context)

    if form is not None:
        return mark_safe(render(form, token, action))
    html = fragments.cached(key, lambda: render(CommentForm(), _FORM_CSRF, _FORM_ACTION), found)
    return mark_safe(html.replace(_FORM_CSRF, escape(token)).replace(_FORM_ACTION, escape(action)))


def _detail_blocks_key(proposal: Proposal) -> str:
    return fragments.key(
        "detail", proposal.pk, proposal.updated_at.isoformat(), proposal.process.answer_due, version_number=0
    )


def _detail_blocks(proposal: Proposal, found: dict[str, object]) -> dict[str, str]:
    """The top of the proposal page (text, facts, images) and the city's answers, cached.

    Every change to what they show saves the proposal (edit, withdraw, status, answer), so
    ``updated_at`` is the version; the answer due date of the process is in the key too.
    """

    def render_blocks() -> dict[str, str]:
        # Text, author, theme, territory, images and answers: only these blocks show them (on a miss only).
        data = selectors.detail_blocks_data(proposal)
        if data is None:  # deleted since the page read it
            raise Http404
        context = {
            "proposal": data.proposal,
            "process": proposal.process,
            "answers": data.answers,
            "current_answer": data.answers[0] if data.answers else None,
            "images": data.images,
        }
        return {
            "head": render_to_string("proposals/_detail_head.html", context),
            "answer": render_to_string("proposals/_detail_answer.html", context),
        }

    blocks = fragments.cached_value(_detail_blocks_key(proposal), render_blocks, found)
    return {name: mark_safe(html) for name, html in blocks.items()}  # rendered by our templates, escaped


def forget_detail_blocks(proposal_ids: list[int]) -> None:
    """Drop the cached top blocks of these proposals' pages, in every language (they are
    keyed by ``updated_at``, which a change elsewhere, such as the author's account, leaves)."""
    keys = []
    for pk in proposal_ids:
        proposal = selectors.proposal_for_detail(pk, full=False)
        if proposal is None:
            continue
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                keys.append(_detail_blocks_key(proposal))
    fragments.forget(keys)


def _commitment_key(proposal: Proposal, version_number: int) -> str:
    # Under the page's comment version: the follow-up's writes bump it (apps.proposals.apps).
    return fragments.key("comments", proposal.pk, "commitment", version_number=version_number)


def _commitment_html(proposal: Proposal, key: str, found: dict[str, object]) -> str:
    """The link to the commitment born of the proposal, if any ("" when none; cached)."""
    return fragments.cached(
        key,
        lambda: render_to_string(
            "proposals/_commitment_link.html", {"commitment": selectors.proposal_commitment(proposal)}
        ),
        found,
    )


def _detail_context(
    request: HttpRequest, proposal: Proposal, comment_form: CommentForm | None = None
) -> dict[str, Any]:
    user = request.user
    can_comment = rules.can_comment(user, proposal)
    can_moderate = rules.can_moderate(user, proposal)
    page_version = fragments.version("comments", proposal.pk)
    threads_key = _comment_threads_key(
        request, proposal, can_comment=can_comment, can_moderate=can_moderate, version_number=page_version
    )
    blocks_key = _detail_blocks_key(proposal)
    commitment_key = _commitment_key(proposal, page_version)
    form_key = _comment_form_key() if can_comment else ""
    found = fragments.get_many([key for key in (blocks_key, commitment_key, threads_key, form_key) if key])
    # One masked token for the comment form and the reply forms (each masking costs ~500 calls).
    token = get_token(request) if can_comment else ""
    return {
        **_support_context(request, proposal),
        "process": proposal.process,
        "detail_blocks": _detail_blocks(proposal, found),
        "commitment_html": _commitment_html(proposal, commitment_key, found),
        "comment_threads_html": _comment_threads_html(
            request, proposal, threads_key, found, can_comment=can_comment, can_moderate=can_moderate, token=token
        ),
        "comment_form_html": _comment_form_html(proposal, form_key, found, token, comment_form) if can_comment else "",
        # The page's other forms and base.html print the same masked token (as ``{% csrf_token %}``
        # printed twice would), instead of a second masking by the context processor.
        **({"csrf_token": token} if token else {}),
        "can_comment": can_comment,
        "comments_open": rules.comments_open(proposal),
        "stances": Comment.Stance.choices,
        "can_edit": rules.can_edit_proposal(user, proposal),
        "can_withdraw": rules.can_withdraw_proposal(user, proposal),
        "can_moderate": can_moderate,
        "place": maps.place(proposal.latitude, proposal.longitude),
    }


def _anonymous_get() -> HttpRequest:
    """A GET without parameters from an anonymous visitor, to render fragments outside a request."""
    request = HttpRequest()
    request.method = "GET"
    request.user = AnonymousUser()
    return request


def warm_list(process_id: int) -> None:
    """Render the filters and results of the list's first page without filters, unless cached."""
    process = Process.objects.select_related("territory").prefetch_related("phases").filter(pk=process_id).first()
    if process is not None:
        _list_blocks(_anonymous_get(), process)


def warm_detail(proposal_id: int) -> None:
    """Render the top of the proposal's page (text, facts, answers), unless cached."""
    proposal = selectors.proposal_for_detail(proposal_id, full=False)
    if proposal is not None:
        _detail_blocks(proposal, fragments.get_many([_detail_blocks_key(proposal)]))


def warm_comments(proposal_id: int) -> None:
    """Render the first page of the proposal's threads as anonymous visitors see it, unless cached."""
    proposal = selectors.proposal_for_detail(proposal_id, full=False)
    if proposal is None:
        return
    request = _anonymous_get()
    can_comment = rules.can_comment(request.user, proposal)
    key = _comment_threads_key(request, proposal, can_comment=can_comment, can_moderate=False)
    found = fragments.get_many([key])
    if key not in found:
        _comment_threads_html(request, proposal, key, found, can_comment=can_comment, can_moderate=False)


@require_GET
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_or_404(request, pk, full=False)  # the rest is in the cached blocks
    return render(request, "proposals/detail.html", _detail_context(request, proposal))


def _support_response(request: HttpRequest, proposal: Proposal, *, supports: bool) -> HttpResponse:
    """The support box again (htmx) or back to the page. ``supports``: what this request just
    did (supported or withdrew, whether or not a parallel one of the same person did it first),
    so the person's own state needs no query; the count is read again (others too support)."""
    if _is_htmx(request):
        proposal.support_count = selectors.support_count(proposal.pk, default=proposal.support_count)
        return render(request, "proposals/_support_box.html", _support_context(request, proposal, supports))
    return HttpResponseRedirect(safe_next_url(request, f"{proposal.get_absolute_url()}#soutien"))


@require_POST
def proposal_support(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_for_action_or_404(request, pk)
    if not request.user.is_authenticated:
        return _login(request, proposal.get_absolute_url())
    if services.support_add(user=request.user, proposal=proposal) and not _is_htmx(request):
        messages.success(request, _("Votre soutien est enregistré."))
    return _support_response(request, proposal, supports=True)


@require_POST
def proposal_unsupport(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_for_action_or_404(request, pk)
    if not request.user.is_authenticated:
        return _login(request, proposal.get_absolute_url())
    if services.support_remove(user=request.user, proposal=proposal) and not _is_htmx(request):
        messages.success(request, _("Votre soutien est retiré."))
    return _support_response(request, proposal, supports=False)


@require_http_methods(["GET", "POST"])
def proposal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_or_404(request, pk)
    if not request.user.is_authenticated:
        return _login(request)
    if not rules.can_withdraw_proposal(request.user, proposal):
        raise PermissionDenied
    if request.method == "POST":
        services.proposal_withdraw(user=request.user, proposal=proposal)
        messages.success(request, _("Votre proposition est retirée. Elle reste consultable."))
        return redirect(proposal)
    return render(request, "proposals/withdraw.html", {"proposal": proposal, "process": proposal.process})


# --- Comments --------------------------------------------------------------------------------


@ratelimit(key="user_or_ip", rate="10/m", method="POST", block=True)
@require_POST
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_for_action_or_404(request, pk)
    if not request.user.is_authenticated:
        return _login(request, proposal.get_absolute_url())
    if not rules.can_comment(request.user, proposal):
        raise PermissionDenied
    form = CommentForm(request.POST)
    parent: Comment | None = None
    parent_id = request.POST.get("parent", "")
    if parent_id:
        # Looked up even when the text is invalid, so the error page still answers that comment.
        parent = comments_of(proposal).filter(pk=parse_id(parent_id) or 0).first()
        if parent is None:
            form.add_error(None, _("Le commentaire auquel vous répondez n'existe plus."))
    if form.is_valid():
        try:
            comment = services.comment_create(
                author=request.user,
                proposal=proposal,
                body=form.cleaned_data["body"],
                stance=form.cleaned_data["stance"],
                parent=parent,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Votre commentaire est publié."))
            return HttpResponseRedirect(comment_url(comment))
    return render(
        request,
        "proposals/comment_form.html",
        {
            "form": form,
            "proposal": proposal,
            "process": proposal.process,
            "parent": parent,
            "stances": Comment.Stance.choices,
        },
        status=400,
    )


@require_http_methods(["GET", "POST"])
def comment_report(request: HttpRequest, pk: int) -> HttpResponse:
    comment, proposal = _comment_or_404(request, pk)
    return discussion_views.report(
        request, comment, template="proposals/comment_moderation.html", context={"proposal": proposal}
    )


@require_http_methods(["GET", "POST"])
def comment_hide(request: HttpRequest, pk: int) -> HttpResponse:
    comment, proposal = _comment_or_404(request, pk)
    return discussion_views.hide(
        request, comment, template="proposals/comment_moderation.html", context={"proposal": proposal}
    )


@require_POST
def comment_unhide(request: HttpRequest, pk: int) -> HttpResponse:
    comment, proposal = _comment_or_404(request, pk)
    return discussion_views.unhide(request, comment, login_next=proposal.get_absolute_url())
