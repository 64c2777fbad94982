"""Public pages of a participatory budget: home, envelopes, projects. Views parse input, ask the
rules, call one service, render or redirect."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.models import User
from apps.budgets.models import Budget, Project, ProjectInvitation, Result
from apps.budgets.projects import rules, selectors, services
from apps.budgets.projects.analysis import commitment_of
from apps.budgets.projects.eligibility import RULE_LABELS
from apps.budgets.projects.forms import CommentForm, InviteForm, ProjectFilterForm, ProjectForm
from apps.core import maps
from apps.core.params import parse_id, parse_page
from apps.core.ratelimits import ratelimit
from apps.discussion import views as discussion_views
from apps.discussion.models import Comment
from apps.discussion.selectors import comments_of
from apps.discussion.targets import comment_url

PER_PAGE = 20
MODERATION_TEMPLATE = "discussion/comment_moderation.html"
COMMENT_URLS = {
    "report": "budgets:comment_report",
    "hide": "budgets:comment_hide",
    "unhide": "budgets:comment_unhide",
}


def _target(project: Project) -> dict[str, Any]:
    return {
        "process": project.budget.process,
        "target_title": project.title,
        "target_url": project.get_absolute_url(),
    }


def _budget_or_404(request: HttpRequest, slug: str) -> Budget:
    budget = selectors.budget_for_slug(slug, request.user)
    if budget is None:
        raise Http404
    return budget


def _project_or_404(request: HttpRequest, pk: int) -> Any:
    project = selectors.project_for_detail(pk)
    if project is None or not rules.can_view_budget(request.user, project.budget):
        raise Http404
    return project


def _user(request: HttpRequest) -> User:
    return cast("User", request.user)


def _service_errors(form: BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@require_GET
def budget_detail(request: HttpRequest, slug: str) -> HttpResponse:
    budget = _budget_or_404(request, slug)
    process = budget.process
    return render(
        request,
        "budgets/detail.html",
        {
            "budget": budget,
            "process": process,
            "current_phase": process.current_phase(),
            "phases": process.ordered_phases(),
            "envelopes": selectors.envelopes_of(budget),
            "counts": selectors.status_counts(budget),
            "can_submit": rules.can_submit_project(request.user, budget),
            "submissions_open": rules.submissions_open(budget),
            "has_results": budget.results_published_at is not None,
        },
    )


@require_GET
def budget_envelopes(request: HttpRequest, slug: str) -> HttpResponse:
    budget = _budget_or_404(request, slug)
    envelopes = selectors.envelopes_of(budget)
    formula = next((e.computation.get("formula") for e in envelopes if e.computation.get("formula")), None)
    criteria_labels = {c.source: c.get_source_display() for c in budget.criteria.all()}
    return render(
        request,
        "budgets/envelopes.html",
        {
            "budget": budget,
            "process": budget.process,
            "envelopes": envelopes,
            "formula": formula,
            "criteria": [c for c in budget.criteria.all() if c.weight],
            "criteria_labels": criteria_labels,
        },
    )


@require_GET
def project_list(request: HttpRequest, slug: str) -> HttpResponse:
    budget = _budget_or_404(request, slug)
    envelopes = selectors.envelopes_of(budget)
    form = ProjectFilterForm(request.GET or None, envelopes=envelopes)
    params = form.params()
    paginator = Paginator(selectors.project_list(budget, params), PER_PAGE)
    page = paginator.get_page(parse_page(request.GET.get("page")))
    return render(
        request,
        "budgets/project_list.html",
        {
            "budget": budget,
            "process": budget.process,
            "form": form,
            "page": page,
            "base_query": urlencode(params),
            "can_submit": rules.can_submit_project(request.user, budget),
            "submissions_open": rules.submissions_open(budget),
        },
    )


def _project_fields(form: ProjectForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "envelope": data["envelope"],
        "title": data["title"],
        "description": data["description"],
        "estimated_cost": data["estimated_cost"],
        "cover": form.cover_values(),
        "address": data.get("address") or "",
        "collective": data.get("collective") or "",
    }


@ratelimit(key="user_or_ip", rate="5/10m", method="POST", block=True)
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest, slug: str) -> HttpResponse:
    budget = _budget_or_404(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not rules.can_submit_project(request.user, budget):
        raise PermissionDenied
    form = ProjectForm(request.POST or None, request.FILES or None, budget=budget)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(author=_user(request), budget=budget, **_project_fields(form))
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, _("Merci ! Votre projet est déposé ; les services de la Ville vont l'étudier."))
            return redirect(project)
    return render(
        request,
        "budgets/project_form.html",
        {"form": form, "budget": budget, "process": budget.process, "project": None},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not rules.can_edit_project(request.user, project):
        raise PermissionDenied
    form = ProjectForm(request.POST or None, request.FILES or None, instance=project, budget=project.budget)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(user=_user(request), project=project, **_project_fields(form))
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, _("Votre projet est modifié."))
            return redirect(project)
    return render(
        request,
        "budgets/project_form.html",
        {"form": form, "budget": project.budget, "process": project.budget.process, "project": project},
        status=400 if request.method == "POST" else 200,
    )


def _project_page(
    request: HttpRequest,
    project: Any,
    *,
    comment_form: CommentForm | None = None,
    invite_form: InviteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    can_comment = rules.can_comment_project(user, project)
    result = Result.objects.filter(
        envelope_id=project.envelope_id, envelope__budget__results_published_at__isnull=False
    ).first()
    explanation = (result.explanations or {}).get(str(project.pk)) if result else None
    invitation = ProjectInvitation.objects.filter(project=project, user=user).first() if user.is_authenticated else None
    return render(
        request,
        "budgets/project_detail.html",
        {
            "project": project,
            "budget": project.budget,
            "process": project.budget.process,
            "coauthors": list(project.coauthors.all()),
            "merged_projects": list(project.merged_projects.all()),
            "comments": selectors.comment_threads(project, parse_page(request.GET.get("page")), user),
            "comment_total": comments_of(project).count(),
            "comment_urls": COMMENT_URLS,
            "reply_url": reverse("budgets:project_comment", kwargs={"pk": project.pk}),
            "eligibility": [(RULE_LABELS.get(code, code), met) for code, met in (project.eligibility or {}).items()],
            "commitment": commitment_of(project),
            "explanation": explanation,
            "place": maps.place(project.latitude, project.longitude),
            "invitation": invitation,
            "pending_invitations": list(project.invitations.select_related("user"))
            if project.author_id == getattr(user, "pk", None)
            else [],
            "can_edit": rules.can_edit_project(user, project),
            "can_invite": rules.can_invite_coauthor(user, project),
            "can_comment": can_comment,
            "comments_open": rules.comments_open(project),
            "can_moderate": rules.can_moderate_project(user, project),
            "comment_form": comment_form or CommentForm(),
            "invite_form": invite_form or InviteForm(),
        },
        status=status,
    )


@require_GET
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_page(request, _project_or_404(request, pk))


@ratelimit(key="user_or_ip", rate="10/m", method="POST", block=True)
@require_POST
def project_comment(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(project.get_absolute_url())
    if not rules.can_comment_project(request.user, project):
        raise PermissionDenied
    form = CommentForm(request.POST)
    parent: Comment | None = None
    parent_id = request.POST.get("parent", "")
    if parent_id:
        parent = comments_of(project).filter(pk=parse_id(parent_id) or 0).first()
        if parent is None:
            form.add_error(None, _("Le commentaire auquel vous répondez n'existe plus."))
    if form.is_valid():
        try:
            comment = services.project_comment_create(
                author=_user(request), project=project, body=form.cleaned_data["body"], parent=parent
            )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, _("Votre commentaire est publié."))
            return redirect(comment_url(comment))
    return _project_page(request, project, comment_form=form, status=400)


def _comment_or_404(request: HttpRequest, pk: int) -> tuple[Comment, Project]:
    """A comment of a project the visitor may see, and its project."""
    comment = (
        Comment.objects.filter(pk=pk, target_type=ContentType.objects.get_for_model(Project))
        .select_related("author", "process__territory")
        .first()
    )
    project = (
        Project.objects.select_related("budget__process__territory").filter(pk=comment.target_id).first()
        if comment is not None
        else None
    )
    if comment is None or project is None or not rules.can_view_budget(request.user, project.budget):
        raise Http404
    return comment, project


@require_http_methods(["GET", "POST"])
def comment_report(request: HttpRequest, pk: int) -> HttpResponse:
    comment, project = _comment_or_404(request, pk)
    return discussion_views.report(request, comment, template=MODERATION_TEMPLATE, context=_target(project))


@require_http_methods(["GET", "POST"])
def comment_hide(request: HttpRequest, pk: int) -> HttpResponse:
    comment, project = _comment_or_404(request, pk)
    return discussion_views.hide(request, comment, template=MODERATION_TEMPLATE, context=_target(project))


@require_POST
def comment_unhide(request: HttpRequest, pk: int) -> HttpResponse:
    comment, project = _comment_or_404(request, pk)
    return discussion_views.unhide(request, comment, login_next=project.get_absolute_url())


@ratelimit(key="user_or_ip", rate="10/h", method="POST", block=True)
@require_POST
def project_invite(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(project.get_absolute_url())
    if not rules.can_invite_coauthor(request.user, project):
        raise PermissionDenied
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _project_page(request, project, invite_form=form, status=400)
    services.coauthor_invite(actor=_user(request), project=project, email=form.cleaned_data["email"])
    # The same message whether an account exists or not: the form reveals nobody's account.
    messages.success(
        request,
        _(
            "Si un compte correspond à cette adresse, la personne est invitée : "
            "elle apparaîtra quand elle aura accepté."
        ),
    )
    return redirect(f"{project.get_absolute_url()}#co-porteurs")


def _invitation_or_404(request: HttpRequest, pk: int) -> ProjectInvitation | None:
    project = _project_or_404(request, pk)
    if not request.user.is_authenticated:
        return None
    invitation = ProjectInvitation.objects.select_related("project").filter(project=project, user=request.user).first()
    if invitation is None:
        raise Http404
    return invitation


@require_POST
def invitation_accept(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _invitation_or_404(request, pk)
    if invitation is None:
        return redirect_to_login(request.path)
    project = services.invitation_accept(user=_user(request), invitation=invitation)
    messages.success(request, _("Vous êtes maintenant co-porteur ou co-porteuse de ce projet."))
    return redirect(project)


@require_POST
def invitation_decline(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _invitation_or_404(request, pk)
    if invitation is None:
        return redirect_to_login(request.path)
    project = invitation.project
    services.invitation_decline(user=_user(request), invitation=invitation)
    messages.success(request, _("L'invitation est déclinée."))
    return redirect(project)
