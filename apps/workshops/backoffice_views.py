"""Back-office pages of the workshops module (``/gestion/ateliers/``): agents run the workshop
(mandate, panel, sessions, attendance, opinion steps); élus (or agents on their behalf) answer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.answers import rules as answer_rules
from apps.answers.selectors import pending_answer
from apps.core.backoffice_kit import (
    AGENTS,
    actor,
    attach_errors,
    processes_in_scope,
    redirect,
    render_page,
    saved,
    staff_required,
)
from apps.core.models import Process
from apps.core.params import parse_id
from apps.core.pdf import pdf_download
from apps.core.rules_kit import require
from apps.sittings import selectors as sittings
from apps.sittings.models import Sitting
from apps.workshops import rules, selectors, services
from apps.workshops.attestation import panel_member_attestation
from apps.workshops.forms import (
    AnswerForm,
    CommitmentFormSet,
    DocumentForm,
    DrawImportForm,
    MemberAddForm,
    MemberStatusForm,
    RecommendationCreateForm,
    SessionForm,
    WorkshopForm,
)
from apps.workshops.models import (
    PanelMember,
    Recommendation,
    Workshop,
)


def _workshop(request: HttpRequest, pk: int, *, manage: bool = True) -> Workshop:
    workshop = get_object_or_404(
        Workshop.objects.select_related("process", "process__territory", "answerer", "opinion"), pk=pk
    )
    allowed = (
        rules.can_manage_workshop(request.user, workshop)
        if manage
        else rules.can_see_workshop_backoffice(request.user, workshop)
    )
    require(allowed)
    return workshop


def _creatable_processes(request: HttpRequest) -> Any:
    return (
        processes_in_scope(request.user, AGENTS)
        .filter(phases__module="workshops", workshop__isnull=True)
        .distinct()
        .order_by("title")
    )


@staff_required
@require_GET
def workshop_list(request: HttpRequest) -> HttpResponse:
    processes = processes_in_scope(request.user, rules.ANSWERERS)
    workshops = (
        Workshop.objects.filter(process__in=processes)
        .select_related("process", "opinion")
        .annotate(n_members=Count("members", filter=Q(members__status=PanelMember.Status.CONFIRMED)))
        .order_by("-created_at")
    )
    return render_page(
        request,
        "workshops/backoffice/list.html",
        {"workshops": workshops, "can_create": rules.can_create_workshop_somewhere(request.user)},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def workshop_create(request: HttpRequest) -> HttpResponse:
    require(rules.can_create_workshop_somewhere(request.user))
    processes = _creatable_processes(request)
    form = WorkshopForm(request.POST or None, request.FILES or None, processes=processes)
    if request.method == "POST" and form.is_valid():
        data = form.data_without_cover()
        process: Process = data.pop("process")
        try:
            workshop = services.workshop_create(
                actor=actor(request), process=process, cover=form.cover_values(), **data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("L'atelier est créé. Relisez le mandat puis publiez-le."))
            return redirect(reverse("workshops_admin:edit", kwargs={"pk": workshop.pk}))
    return render_page(
        request,
        "workshops/backoffice/form.html",
        {"form": form, "workshop": None},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def workshop_edit(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _workshop(request, pk)
    form = WorkshopForm(request.POST or None, request.FILES or None, instance=Workshop.objects.get(pk=workshop.pk))
    if saved(
        request,
        form,
        lambda: services.mandate_update(
            actor=actor(request),
            workshop=workshop,
            note=form.cleaned_data.get("note") or "",
            cover=form.cover_values(),
            **form.mandate_data(),
        ),
        success=_("Le mandat est enregistré."),
    ):
        return redirect(reverse("workshops_admin:edit", kwargs={"pk": workshop.pk}))
    return render_page(
        request,
        "workshops/backoffice/form.html",
        {"form": form, "workshop": workshop, "process": workshop.process, "revisions": workshop.revisions.all()},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_POST
def mandate_publish(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _workshop(request, pk)
    services.mandate_publish(actor=actor(request), workshop=workshop)
    messages.success(request, _("Le mandat est publié."))
    return redirect(reverse("workshops_admin:edit", kwargs={"pk": workshop.pk}))


# --- panel ---------------------------------------------------------------------------------


def _panel_page(request: HttpRequest, workshop: Workshop, status: int = 200, **forms: Any) -> HttpResponse:
    members = list(workshop.members.select_related("user", "pool_member").order_by("is_alternate", "status", "pk"))
    for member in members:
        member.claim_url = request.build_absolute_uri(  # type: ignore[attr-defined]
            reverse("workshops:claim", kwargs={"token": services.claim_token(member)})
        )
    return render_page(
        request,
        "workshops/backoffice/panel.html",
        {
            "workshop": workshop,
            "process": workshop.process,
            "members": members,
            "statuses": PanelMember.Status.choices,
            "add_form": forms.get("add_form") or MemberAddForm(),
            "import_form": forms.get("import_form") or DrawImportForm(workshop=workshop),
            "panel": selectors.panel_summary(workshop),
        },
        status=status,
    )


@staff_required
@require_GET
def panel(request: HttpRequest, pk: int) -> HttpResponse:
    return _panel_page(request, _workshop(request, pk))


@staff_required
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _workshop(request, pk)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.member_add(
                actor=actor(request),
                workshop=workshop,
                full_name=data["full_name"],
                public_name=data["public_name"],
                user=data["email"],
                status=data["status"],
                is_alternate=data["is_alternate"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("La personne est ajoutée au panel."))
            return redirect(reverse("workshops_admin:panel", kwargs={"pk": workshop.pk}))
    return _panel_page(request, workshop, 400, add_form=form)


@staff_required
@require_POST
def panel_import(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _workshop(request, pk)
    form = DrawImportForm(request.POST, workshop=workshop)
    if form.is_valid():
        count = services.panel_import_from_draw(actor=actor(request), workshop=workshop, draw=form.cleaned_data["draw"])
        messages.success(
            request,
            ngettext(
                "%(count)s personne tirée au sort ajoutée au panel.",
                "%(count)s personnes tirées au sort ajoutées au panel.",
                count,
            )
            % {"count": count},
        )
        return redirect(reverse("workshops_admin:panel", kwargs={"pk": workshop.pk}))
    return _panel_page(request, workshop, 400, import_form=form)


@staff_required
@require_POST
def member_status(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(PanelMember.objects.select_related("workshop__process__territory"), pk=pk)
    workshop = _workshop(request, member.workshop_id)
    form = MemberStatusForm(request.POST)
    if form.is_valid():
        services.member_set_status(
            actor=actor(request),
            member=member,
            status=form.cleaned_data["status"],
            is_alternate=form.cleaned_data["is_alternate"],
        )
        messages.success(request, _("Le statut de %(name)s est mis à jour.") % {"name": member.public_name})
    else:
        messages.error(request, _("Statut inconnu : rien n'a changé."))
    return redirect(reverse("workshops_admin:panel", kwargs={"pk": workshop.pk}) + f"#membre-{member.pk}")


@staff_required
@require_GET
def member_attestation(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(PanelMember.objects.select_related("workshop__process__territory"), pk=pk)
    require(rules.can_download_attestation(request.user, member))
    return pdf_download(
        panel_member_attestation(member),
        f"attestation-{member.workshop.slug}-{member.pk}.pdf",
        cache_control="private, no-store",
    )


# --- sessions and attendance ---------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def sessions(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _workshop(request, pk)
    form = SessionForm(request.POST or None)
    if saved(
        request,
        form,
        lambda: services.session_save(actor=actor(request), workshop=workshop, **form.cleaned_data),
        success=_("La séance est enregistrée."),
    ):
        return redirect(reverse("workshops_admin:sessions", kwargs={"pk": workshop.pk}))
    return render_page(
        request,
        "workshops/backoffice/sessions.html",
        {
            "workshop": workshop,
            "process": workshop.process,
            "sessions": workshop.sessions.annotate(n_present=Count("attendances")).order_by("starts_at"),
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


def _session(request: HttpRequest, pk: int) -> tuple[Sitting, Workshop]:
    session = sittings.sitting_of(Workshop, pk)
    if session is None:
        raise Http404
    workshop = get_object_or_404(Workshop.objects.select_related("process__territory"), pk=session.body_id)
    require(rules.can_manage_workshop(request.user, workshop))
    return session, workshop


def _session_page(
    request: HttpRequest, session: Sitting, workshop: Workshop, status: int = 200, **forms: Any
) -> HttpResponse:
    return render_page(
        request,
        "workshops/backoffice/session.html",
        {
            "workshop": workshop,
            "process": workshop.process,
            "session": session,
            "form": forms.get("form") or SessionForm(instance=session),
            "document_form": forms.get("document_form") or DocumentForm(),
            "documents": session.documents.all(),
        },
        status=status,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session, workshop = _session(request, pk)
    if request.method == "GET":
        return _session_page(request, session, workshop)
    form = SessionForm(request.POST, instance=Sitting.objects.get(pk=session.pk))
    if saved(
        request,
        form,
        lambda: services.session_save(actor=actor(request), workshop=workshop, session=session, **form.cleaned_data),
        success=_("La séance est enregistrée."),
    ):
        return redirect(reverse("workshops_admin:session", kwargs={"pk": session.pk}))
    return _session_page(request, session, workshop, 400, form=form)


@staff_required
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    session, workshop = _session(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.session_document_add(
                actor=actor(request), session=session, title=form.cleaned_data["title"], file=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            messages.success(request, _("Le document est ajouté à la séance."))
            return redirect(reverse("workshops_admin:session", kwargs={"pk": session.pk}))
    return _session_page(request, session, workshop, 400, document_form=form)


@staff_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _workshop(request, pk)
    session_list = list(workshop.sessions.order_by("starts_at", "pk"))
    members = list(
        workshop.members.exclude(status__in=[PanelMember.Status.DECLINED, PanelMember.Status.APPLIED]).order_by(
            "is_alternate", "pk"
        )
    )
    if request.method == "POST":
        present = []
        for key in request.POST.getlist("present"):
            raw_session, _sep, raw_member = key.partition("-")
            session_id, member_id = parse_id(raw_session), parse_id(raw_member)
            if session_id is not None and member_id is not None:
                present.append((session_id, member_id))
        services.attendance_set(actor=actor(request), workshop=workshop, present=present)
        messages.success(request, _("Les présences sont enregistrées."))
        return redirect(reverse("workshops_admin:attendance", kwargs={"pk": workshop.pk}))
    marked = sittings.attendance_pairs(session_list, PanelMember)
    rows = [(member, [(session, (session.pk, member.pk) in marked) for session in session_list]) for member in members]
    return render_page(
        request,
        "workshops/backoffice/attendance.html",
        {"workshop": workshop, "process": workshop.process, "sessions": session_list, "rows": rows},
    )


# --- the opinion ---------------------------------------------------------------------------


def _opinion_page(request: HttpRequest, workshop: Workshop, status: int = 200, **forms: Any) -> HttpResponse:
    opinion = workshop.opinion
    # Élus read the opinion once the panel has published it, like everyone else.
    readable = rules.can_view_opinion(request.user, opinion)
    recommendations = selectors.recommendations_for_page(opinion) if readable else []
    return render_page(
        request,
        "workshops/backoffice/opinion.html",
        {
            "workshop": workshop,
            "process": workshop.process,
            "opinion": opinion,
            "readable": readable,
            "recommendations": recommendations,
            "results": selectors.vote_results(opinion) if readable else {},
            "overdue": selectors.overdue(workshop, recommendations),
            "form": forms.get("form") or RecommendationCreateForm(),
            "can_manage": rules.can_manage_workshop(request.user, workshop),
            "can_answer": rules.can_answer(request.user, workshop),
        },
        status=status,
    )


@staff_required
@require_GET
def opinion(request: HttpRequest, pk: int) -> HttpResponse:
    return _opinion_page(request, _workshop(request, pk, manage=False))


@staff_required
@require_POST
def recommendation_add(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _workshop(request, pk)
    form = RecommendationCreateForm(request.POST)
    if saved(
        request,
        form,
        lambda: services.recommendation_create(actor=actor(request), opinion=workshop.opinion, **form.cleaned_data),
        success=_("La recommandation est ajoutée ; le panel peut la rédiger."),
    ):
        return redirect(reverse("workshops_admin:opinion", kwargs={"pk": workshop.pk}))
    return _opinion_page(request, workshop, 400, form=form)


OPINION_STEPS = {
    "ouvrir-vote": (services.opinion_open_vote, _("Le vote d'adoption est ouvert aux membres du panel.")),
    "clore-vote": (services.opinion_close_vote, _("Le vote est clos : l'avis est adopté.")),
    "publier": (services.opinion_publish, _("L'avis citoyen est publié ; son texte est désormais figé.")),
}


@staff_required
@require_POST
def opinion_step(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _workshop(request, pk)
    step = OPINION_STEPS.get(request.POST.get("step", ""))
    if step is None:
        messages.error(request, _("Étape inconnue : rien n'a changé."))
    else:
        service, done = step
        try:
            service(actor=actor(request), opinion=workshop.opinion)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, str(done))
    return redirect(reverse("workshops_admin:opinion", kwargs={"pk": workshop.pk}))


def _recommendation_or_404(pk: int) -> Recommendation:
    return get_object_or_404(
        Recommendation.objects.select_related("opinion__workshop__process__territory", "opinion__workshop__answerer"),
        pk=pk,
    )


def _answer_page(
    request: HttpRequest, recommendation: Recommendation, form: AnswerForm, formset: Any, status: int
) -> HttpResponse:
    workshop = recommendation.opinion.workshop
    pending = pending_answer(recommendation)
    return render_page(
        request,
        "workshops/backoffice/answer.html",
        {
            "workshop": workshop,
            "process": workshop.process,
            "recommendation": recommendation,
            "existing": selectors.answer_of(recommendation),
            "pending": pending,
            "pending_links": pending.commitment_links.all() if pending else [],
            "can_sign": answer_rules.can_sign(request.user, workshop.process),
            "can_sign_now": pending is not None and answer_rules.can_sign_now(request.user, pending),
            "form": form,
            "formset": formset,
            "tally": selectors.vote_results(recommendation.opinion).get(recommendation.pk),
        },
        status=status,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft the answer and submit it for signature; the signer signs it from this page."""
    recommendation = _recommendation_or_404(pk)
    workshop = recommendation.opinion.workshop
    require(rules.can_answer(request.user, workshop))
    draft = pending_answer(recommendation) or selectors.answer_of(recommendation)
    initial = {"status": draft.status, "reasons": draft.body} if draft else None
    form = AnswerForm(request.POST or None, initial=initial)
    formset = CommitmentFormSet(request.POST or None, prefix="engagements")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = [row for row in formset.cleaned_data if row.get("title")]
        try:
            services.recommendation_answer(
                actor=actor(request),
                recommendation=recommendation,
                status=form.cleaned_data["status"],
                reasons=form.cleaned_data["reasons"],
                commitments=rows,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("La réponse est soumise à la signature : elle sera publiée quand un·e signataire l'aura signée."),
            )
            return redirect(reverse("workshops_admin:answer", kwargs={"pk": recommendation.pk}) + "#a-signer")
    return _answer_page(request, recommendation, form, formset, 400 if request.method == "POST" else 200)


@staff_required
@require_POST
def answer_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """The signer publishes the pending answer they have read on the answer page."""
    recommendation = _recommendation_or_404(pk)
    workshop = recommendation.opinion.workshop
    require(answer_rules.can_sign(request.user, workshop.process))
    pending = pending_answer(recommendation)
    if pending is None:
        raise Http404
    try:
        services.recommendation_answer_sign(signer=actor(request), answer=pending)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("workshops_admin:answer", kwargs={"pk": recommendation.pk}))
    messages.success(request, _("La réponse argumentée est signée et publiée."))
    return redirect(reverse("workshops_admin:opinion", kwargs={"pk": workshop.pk}))
