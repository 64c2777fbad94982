"""Public pages of the workshops module and the panel members' space.
Views parse input, ask one permission question, call one service, render or redirect."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from csp.decorators import csp
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.params import parse_page
from apps.core.pdf import pdf_download
from apps.core.phases import can_view_process
from apps.core.ratelimits import ratelimit
from apps.core.uploads import STORED_FILE_CSP, stored_file_response
from apps.sittings import selectors as sittings
from apps.workshops import rules, selectors, services
from apps.workshops.attestation import panel_member_attestation
from apps.workshops.evaluation_views import evaluation_context
from apps.workshops.forms import RecommendationEditForm, VoteForm
from apps.workshops.models import CitizenOpinion, Recommendation, RecommendationVote, Workshop

if TYPE_CHECKING:
    from apps.accounts.models import User


def _workshop_or_404(request: HttpRequest, slug: str) -> Workshop:
    workshop = selectors.workshop_by_slug(slug)
    if workshop is None or not rules.can_view_workshop(request.user, workshop):
        raise Http404
    return workshop


def _recommendation_or_404(workshop: Workshop, number: int) -> Recommendation:
    return get_object_or_404(
        Recommendation.objects.select_related("opinion"), opinion__workshop=workshop, number=number
    )


def _me(request: HttpRequest) -> User:
    return cast("User", request.user)


@require_GET
def workshop_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.public_workshops(), 20).get_page(parse_page(request.GET.get("page")))
    return render(request, "workshops/list.html", {"page_obj": page, "workshops": page.object_list})


@require_GET
def workshop_detail(request: HttpRequest, slug: str) -> HttpResponse:
    workshop = _workshop_or_404(request, slug)
    opinion = workshop.opinion
    show_opinion = rules.can_view_opinion(request.user, opinion)
    recommendations = selectors.recommendations_for_page(opinion) if show_opinion else []
    return render(
        request,
        "workshops/detail.html",
        {
            "workshop": workshop,
            "process": workshop.process,
            "opinion": opinion,
            "recommendations": recommendations,
            "show_opinion": show_opinion,
            "results": selectors.vote_results(opinion) if show_opinion else {},
            "panel": selectors.panel_summary(workshop),
            "sessions": selectors.published_sessions(workshop),
            "revisions": workshop.revisions.all(),
            "overdue": selectors.overdue(workshop, recommendations),
            "membership": rules.membership(request.user, workshop),
            "can_apply": rules.can_apply(request.user, workshop),
            "can_vote": rules.can_vote(request.user, opinion),
            "can_edit": rules.is_sitting_member(request.user, workshop)
            and opinion.state == CitizenOpinion.State.DRAFTING,
            **evaluation_context(request, workshop),
        },
    )


@require_GET
def recommendation_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    workshop = _workshop_or_404(request, slug)
    recommendation = _recommendation_or_404(workshop, number)
    if not rules.can_view_opinion(request.user, recommendation.opinion):
        raise Http404
    return render(
        request,
        "workshops/recommendation.html",
        {
            "workshop": workshop,
            "recommendation": recommendation,
            "opinion": recommendation.opinion,
            "revisions": recommendation.revisions.all(),
            "show_authors": rules.can_see_revision_authors(request.user, workshop),
            "answer": selectors.answer_of(recommendation),
            "tally": selectors.vote_results(recommendation.opinion).get(recommendation.pk),
            "can_edit": rules.can_edit_recommendation(request.user, recommendation),
        },
    )


@ratelimit(key="user_or_ip", rate="60/10m", method="POST", block=True)
@require_http_methods(["GET", "POST"])
def recommendation_edit(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    workshop = _workshop_or_404(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    recommendation = _recommendation_or_404(workshop, number)
    if not rules.can_edit_recommendation(request.user, recommendation):
        raise PermissionDenied
    form = RecommendationEditForm(
        request.POST or None,
        initial={"title": recommendation.title, "text": recommendation.text, "revision": recommendation.revision},
    )
    newer: Recommendation | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_edit(
                author=_me(request),
                recommendation=recommendation,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                base_revision=form.cleaned_data["revision"],
            )
        except services.StaleRevision as stale:
            newer = stale.current
            # Keep what the person typed; the next save is based on the newer version,
            # which is now shown to them.
            data = request.POST.copy()
            data["revision"] = str(newer.revision)
            form = RecommendationEditForm(data)
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Votre version n'a pas été enregistrée : quelqu'un a enregistré une nouvelle version "
                    "(version %(number)s) pendant que vous écriviez. Votre texte n'est pas perdu, il est "
                    "toujours dans le formulaire. Relisez la nouvelle version affichée, reportez vos "
                    "changements puis enregistrez."
                )
                % {"number": newer.revision},
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Votre version de la recommandation est enregistrée."))
            return redirect(recommendation.get_absolute_url())
    return render(
        request,
        "workshops/recommendation_edit.html",
        {"workshop": workshop, "recommendation": recommendation, "form": form, "newer": newer},
        status=400 if request.method == "POST" else 200,
    )


@ratelimit(key="user_or_ip", rate="30/10m", method="POST", block=True)
@require_http_methods(["GET", "POST"])
def vote(request: HttpRequest, slug: str) -> HttpResponse:
    workshop = _workshop_or_404(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    opinion = workshop.opinion
    if not rules.can_vote(request.user, opinion):
        raise PermissionDenied
    recommendations = list(opinion.recommendations.order_by("number"))
    member = rules.membership(request.user, workshop)
    current = dict(
        RecommendationVote.objects.filter(member=member, recommendation__opinion=opinion).values_list(
            "recommendation_id", "choice"
        )
    )
    form = VoteForm(request.POST or None, recommendations=recommendations, current=current)
    if request.method == "POST" and form.is_valid():
        if not form.choices():
            form.add_error(
                None, _("Choisissez « pour », « contre » ou « abstention » pour au moins une recommandation.")
            )
        else:
            try:
                count = services.votes_cast(user=_me(request), opinion=opinion, choices=form.choices())
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Votre vote est enregistré pour %(count)s recommandation. "
                        "Vous pouvez le modifier tant que le vote est ouvert.",
                        "Votre vote est enregistré pour %(count)s recommandations. "
                        "Vous pouvez le modifier tant que le vote est ouvert.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect(reverse("workshops:vote", kwargs={"slug": workshop.slug}))
    return render(
        request,
        "workshops/vote.html",
        {"workshop": workshop, "opinion": opinion, "form": form, "voted": len(current), "total": len(recommendations)},
        status=400 if request.method == "POST" else 200,
    )


@ratelimit(key="user_or_ip", rate="10/10m", method="POST", block=True)
@require_POST
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    workshop = _workshop_or_404(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(workshop.get_absolute_url())
    if not rules.can_apply(request.user, workshop):
        raise PermissionDenied
    try:
        services.member_apply(user=_me(request), workshop=workshop)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Merci ! Votre candidature est enregistrée ; l'équipe de l'atelier vous recontactera.")
        )
    return redirect(reverse("workshops:member", kwargs={"slug": workshop.slug}))


@require_GET
def member_space(request: HttpRequest, slug: str) -> HttpResponse:
    workshop = _workshop_or_404(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    member = rules.membership(request.user, workshop)
    if member is None:
        raise PermissionDenied
    return render(
        request,
        "workshops/member.html",
        {
            "workshop": workshop,
            "member": member,
            "opinion": workshop.opinion,
            "attended": selectors.attended_sessions(member),
            "can_vote": rules.can_vote(request.user, workshop.opinion),
            "can_edit": rules.is_sitting_member(request.user, workshop)
            and workshop.opinion.state == CitizenOpinion.State.DRAFTING,
        },
    )


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    return pdf_download(content, filename, cache_control="private, no-store")


@require_GET
def attestation(request: HttpRequest, slug: str) -> HttpResponse:
    workshop = _workshop_or_404(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    member = rules.membership(request.user, workshop)
    if member is None or not rules.can_download_attestation(request.user, member):
        raise PermissionDenied
    return _pdf_response(panel_member_attestation(member), f"attestation-{workshop.slug}.pdf")


@ratelimit(key="user_or_ip", rate="10/10m", method="POST", block=True)
@require_http_methods(["GET", "POST"])
def claim(request: HttpRequest, token: str) -> HttpResponse:
    member = services.member_from_token(token)
    if member is None:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    errors: list[str] = []
    if request.method == "POST":
        accept = request.POST.get("reponse") == "oui"
        try:
            services.member_claim(user=_me(request), member=member, accept=accept)
        except ValidationError as error:
            errors = list(error.messages)
        else:
            if accept:
                messages.success(request, _("Bienvenue dans le panel ! Votre participation est confirmée."))
            else:
                messages.success(
                    request, _("C'est noté : vous ne participerez pas à ce panel. Merci de votre réponse.")
                )
            return redirect(reverse("workshops:member", kwargs={"slug": member.workshop.slug}))
    return render(
        request,
        "workshops/claim.html",
        {"member": member, "workshop": member.workshop, "errors": errors},
        status=400 if errors else 200,
    )


@require_GET
@csp(STORED_FILE_CSP)  # type: ignore[arg-type]  # django-csp types views as (request) only
def document(request: HttpRequest, pk: int) -> FileResponse:
    """A session document, served only when its session is published and its workshop public."""
    found = sittings.document_of(Workshop, pk)
    if found is None:
        raise Http404
    workshop = get_object_or_404(Workshop.objects.select_related("process"), pk=found.sitting.body_id)
    public = (
        found.sitting.is_published
        and workshop.is_mandate_published
        and can_view_process(request.user, workshop.process)
    )
    if not public and not rules.can_see_workshop_backoffice(request.user, workshop):
        raise Http404
    try:
        handle = found.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    # Always a download named after its title, never opened as a page of the site.
    return stored_file_response(handle, name=found.file.name, download_name=f"{slugify(found.title) or 'document'}.pdf")
