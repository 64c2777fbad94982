"""Back-office pages of petitions (``/gestion/petitions/``): the moderation queue, paper
signatures, the answer, the rules of the game, and the agoras éphémères. Each view parses input,
asks one rule, calls one service, then renders or redirects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.answers import rules as answer_rules
from apps.answers import services as answers
from apps.answers.selectors import pending_answer
from apps.core.backoffice_kit import (
    actor,
    processes_in_scope,
    redirect,
    render_page,
    saved,
    scope_for,
    staff_required,
    territories_in_scope,
)
from apps.core.models import Process, audit
from apps.core.rules_kit import require
from apps.petitions import agoras, rules, selectors, services
from apps.petitions.forms import (
    ActionForm,
    AgoraEditForm,
    AgoraForm,
    AnswerForm,
    CloseForm,
    MinutesForm,
    ModerationForm,
    PaperSignatureForm,
    RuleForm,
    SittingForm,
    StakeholderForm,
)
from apps.petitions.models import Agora, Petition, PetitionRule, Stakeholder
from apps.sittings.models import Sitting

FORM = "petitions/backoffice/form.html"


def _petition(pk: int) -> Petition:
    return get_object_or_404(Petition.objects.select_related("territory", "process__territory"), pk=pk)


def _agora(pk: int) -> Agora:
    return get_object_or_404(Agora.objects.select_related("territory", "process", "petition"), pk=pk)


def _form_page(
    request: HttpRequest, form: BaseForm, *, title: str, submit: str, back: str, **extra: Any
) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "page_title": title, "submit_label": submit, "back_url": back, **extra}
    return render_page(request, FORM, context, status=status)


def _detail_url(petition: Petition) -> str:
    return reverse("petitions_admin:detail", kwargs={"pk": petition.pk})


def _agora_url(agora: Agora) -> str:
    return reverse("petitions_admin:agora", kwargs={"pk": agora.pk})


# --- petitions ------------------------------------------------------------------------------------


@staff_required
@require_GET
def petition_list(request: HttpRequest) -> HttpResponse:
    require(rules.can_use_backoffice(request.user))
    scope = scope_for(request.user, rules.STAFF)
    territory_ids = None if scope.city_wide else scope.territory_ids
    petitions = list(selectors.petitions_for_staff(territory_ids)[:200])
    agora_list = Agora.objects.select_related("territory").order_by("-created_at")
    if territory_ids is not None:
        agora_list = agora_list.filter(territory_id__in=territory_ids)
    return render_page(
        request,
        "petitions/backoffice/list.html",
        {
            "pending": [p for p in petitions if p.state == Petition.State.PENDING],
            "petitions": selectors.annotate_overdue([p for p in petitions if p.state != Petition.State.PENDING]),
            "agoras": list(agora_list[:100]),
            "can_set_rules": rules.can_set_rules(request.user),
            "can_create_agora": rules.can_create_agora(request.user),
        },
    )


@staff_required
@require_GET
def petition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    petition = _petition(pk)
    require(rules.can_read_backoffice(request.user, petition))
    return render_page(
        request,
        "petitions/backoffice/detail.html",
        {
            "petition": petition,
            "counts": selectors.counts_by_quartier(petition),
            "totals": selectors.signature_totals(petition),
            "committee_size": selectors.committee_size(petition),
            "answer": selectors.answer_of(petition),
            "pending_answer": pending_answer(petition),
            "overdue": selectors.is_overdue(petition),
            "can_moderate": rules.can_moderate(request.user, petition) and petition.state == Petition.State.PENDING,
            "can_enter_paper": rules.can_enter_paper(request.user, petition),
            "can_answer": rules.can_answer(request.user, petition),
            "moderation_form": ModerationForm(),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def petition_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    petition = _petition(pk)
    require(rules.can_moderate(request.user, petition))
    form = ModerationForm(request.POST or None)

    def save() -> None:
        services.petition_moderate(
            actor=actor(request),
            petition=petition,
            publish=form.cleaned_data["decision"] == "publish",
            reason=form.cleaned_data["reason"],
        )

    if saved(request, form, save, success=_("La décision de modération est enregistrée.")):
        return redirect(_detail_url(petition))
    return _form_page(
        request,
        form,
        title=_("Modérer « %(title)s »") % {"title": petition.title},
        submit=_("Enregistrer la décision"),
        back=_detail_url(petition),
        petition=petition,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def paper_signature(request: HttpRequest, pk: int) -> HttpResponse:
    petition = _petition(pk)
    require(rules.can_enter_paper(request.user, petition))
    form = PaperSignatureForm(request.POST or None)

    def save() -> None:
        services.sign_paper(actor=actor(request), petition=petition, **form.cleaned_data)

    if saved(request, form, save, success=_("Signature papier enregistrée.")):
        # A fresh, empty form for the next sheet.
        return redirect(reverse("petitions_admin:paper", kwargs={"pk": petition.pk}))
    return _form_page(
        request,
        form,
        title=_("Saisir une signature papier — %(title)s") % {"title": petition.title},
        submit=_("Enregistrer la signature"),
        back=_detail_url(petition),
        petition=petition,
        intro=_(
            "Le nom, la date de naissance et l'adresse servent seulement à reconnaître une personne qui "
            "aurait déjà signé : la plateforme n'en garde qu'une empreinte chiffrée, jamais le texte."
        ),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def petition_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft, submit, or (for a signer) sign and publish the reasoned answer and its route."""
    petition = _petition(pk)
    require(rules.can_answer(request.user, petition) or answer_rules.can_sign(request.user, petition.process))
    draft = pending_answer(petition)
    initial = {"status": draft.status, "body": draft.body} if draft else {}
    form = AnswerForm(request.POST or None, initial=initial)
    can_sign = answer_rules.can_sign(request.user, petition.process)
    action = request.POST.get("action", "draft")

    def save() -> None:
        data = form.cleaned_data
        if action == "publish" and can_sign:
            answers.answer_publish(signer=actor(request), source=petition, status=data["status"], body=data["body"])
            audit(actor(request), "petitions.answer_publish", petition, route=data["status"])
            return
        require(rules.can_answer(request.user, petition))
        answers.answer_draft_save(
            actor=actor(request), source=petition, status=data["status"], body=data["body"], submit=action == "submit"
        )

    if saved(request, form, save, success=_("La réponse est enregistrée.")):
        return redirect(_detail_url(petition))
    return render_page(
        request,
        "petitions/backoffice/answer.html",
        {
            "form": form,
            "petition": petition,
            "draft": draft,
            "can_sign": can_sign,
            "refusal": answer_rules.publication_refusal(petition),
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def rule_list(request: HttpRequest) -> HttpResponse:
    require(rules.can_set_rules(request.user))
    processes = Process.objects.order_by("title")
    form = RuleForm(request.POST or None, processes=processes)

    def save() -> None:
        services.rule_save(actor=actor(request), **form.cleaned_data)

    if saved(request, form, save, success=_("La règle du jeu est enregistrée.")):
        return redirect(reverse("petitions_admin:rules"))
    return render_page(
        request,
        "petitions/backoffice/rules.html",
        {"form": form, "rules": list(PetitionRule.objects.select_related("process"))},
        status=400 if request.method == "POST" else 200,
    )


# --- agoras ---------------------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def agora_create(request: HttpRequest) -> HttpResponse:
    require(rules.can_create_agora(request.user))
    territories = territories_in_scope(request.user, rules.AGENTS)
    form = AgoraForm(
        request.POST or None,
        territories=territories.order_by("name"),
        processes=processes_in_scope(request.user, rules.AGENTS).order_by("title"),
        petitions=Petition.objects.filter(territory__in=territories).exclude(state=Petition.State.PENDING),
    )
    created: list[Agora] = []

    def save() -> None:
        created.append(agoras.agora_create(actor=actor(request), **form.cleaned_data))

    if saved(request, form, save, success=_("L'agora éphémère est créée.")):
        return redirect(_agora_url(created[0]))
    return _form_page(
        request,
        form,
        title=_("Nouvelle agora éphémère"),
        submit=_("Créer l'agora"),
        back=reverse("petitions_admin:list"),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def agora_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agora = _agora(pk)
    require(rules.can_manage_agora(request.user, agora))
    initial = {"title": agora.title, "problem": agora.problem, "diagnosis": agora.diagnosis}
    form = AgoraEditForm(request.POST or None, initial={**initial, "is_published": agora.is_published})

    def save() -> None:
        agoras.agora_update(actor=actor(request), agora=agora, **form.cleaned_data)

    if saved(request, form, save, success=_("L'agora est enregistrée.")):
        return redirect(_agora_url(agora))
    return render_page(
        request,
        "petitions/backoffice/agora.html",
        {"agora": agora, "form": form, "is_open": agora.state == Agora.State.OPEN, **selectors.agora_detail(agora)},
        status=400 if request.method == "POST" else 200,
    )


def _agora_form(
    request: HttpRequest,
    pk: int,
    form_class: Callable[..., BaseForm],
    write: Callable[[Agora, dict[str, Any]], object],
    *,
    title: str,
    submit: str,
    success: str,
) -> HttpResponse:
    agora = _agora(pk)
    require(rules.can_manage_agora(request.user, agora))
    form = form_class(request.POST or None)
    if saved(request, form, lambda: write(agora, form.cleaned_data), success=success):
        return redirect(_agora_url(agora))
    return _form_page(
        request, form, title=f"{title} — {agora.title}", submit=submit, back=_agora_url(agora), agora=agora
    )


@staff_required
@require_http_methods(["GET", "POST"])
def stakeholder_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _agora_form(
        request,
        pk,
        StakeholderForm,
        lambda agora, data: agoras.stakeholder_add(actor=actor(request), agora=agora, **data),
        title=_("Ajouter une partie prenante"),
        submit=_("Ajouter"),
        success=_("La partie prenante est ajoutée."),
    )


@staff_required
@require_POST
def stakeholder_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """One button per stakeholder with an address: the invitation leaves by e-mail."""
    stakeholder = get_object_or_404(Stakeholder.objects.select_related("agora"), pk=pk)
    require(rules.can_manage_agora(request.user, stakeholder.agora))
    try:
        agoras.stakeholder_invite(actor=actor(request), stakeholder=stakeholder)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("L'invitation est envoyée à %(who)s.") % {"who": stakeholder.public_label})
    return redirect(_agora_url(stakeholder.agora))


@staff_required
@require_http_methods(["GET", "POST"])
def sitting_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _agora_form(
        request,
        pk,
        SittingForm,
        lambda agora, data: agoras.agora_sitting_add(actor=actor(request), agora=agora, **data),
        title=_("Programmer une séance"),
        submit=_("Programmer la séance"),
        success=_("La séance est programmée."),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _agora_form(
        request,
        pk,
        ActionForm,
        lambda agora, data: agoras.action_add(actor=actor(request), agora=agora, **data),
        title=_("Ajouter une action au plan"),
        submit=_("Ajouter l'action"),
        success=_("L'action est ajoutée au plan."),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def agora_close(request: HttpRequest, pk: int) -> HttpResponse:
    agora = _agora(pk)
    require(rules.can_manage_agora(request.user, agora))
    form = CloseForm(request.POST or None, initial={"closed_on": timezone.localdate()})

    def save() -> None:
        agoras.agora_close(actor=actor(request), agora=agora, **form.cleaned_data)

    if saved(request, form, save, success=_("L'agora est close ; son plan d'action est dans le suivi.")):
        return redirect(_agora_url(agora))
    return _form_page(
        request,
        form,
        title=_("Clore l'agora — %(title)s") % {"title": agora.title},
        submit=_("Clore l'agora"),
        back=_agora_url(agora),
        agora=agora,
        intro=_("Chaque action du plan devient un engagement suivi publiquement, « fait avec les habitants »."),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def sitting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    sitting = get_object_or_404(Sitting, pk=pk)
    if not sitting.belongs_to_model(Agora):
        raise Http404
    agora = _agora(sitting.body_id)
    require(rules.can_manage_agora(request.user, agora))
    form = MinutesForm(request.POST or None, initial={"minutes": sitting.minutes})

    def save() -> None:
        agoras.agora_minutes_save(
            actor=actor(request), agora=agora, sitting=sitting, minutes=form.cleaned_data["minutes"]
        )

    if saved(request, form, save, success=_("Le compte rendu est publié.")):
        return redirect(_agora_url(agora))
    return _form_page(
        request,
        form,
        title=_("Compte rendu — %(title)s") % {"title": sitting.title},
        submit=_("Publier le compte rendu"),
        back=_agora_url(agora),
        agora=agora,
    )
