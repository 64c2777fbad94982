"""Back-office pages of the initiatives module (``/gestion/initiatives/``): the door's queue, an
idea taken at a counter, an idea's file (referent, steps, routing), the calls with their jury,
sittings and decisions, the resource directory. Each view parses input, asks one rule, calls
one service, then renders or redirects."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.backoffice_kit import (
    AGENTS,
    actor,
    attach_errors,
    paginate,
    processes_in_scope,
    redirect,
    render_page,
    saved,
    staff_required,
    territories_in_scope,
)
from apps.core.rules_kit import require
from apps.initiatives import community, matchfunding, rules, selectors, services
from apps.initiatives.community_forms import JuryDrawForm, MergeForm
from apps.initiatives.forms import (
    CallForm,
    CounterFileForm,
    DecisionForm,
    JuryMemberForm,
    PaymentForm,
    ReconcileForm,
    ReferentForm,
    ResourceForm,
    SittingForm,
    StepForm,
)
from apps.initiatives.models import Call, Decision, Initiative, Pledge

PER_PAGE = 30


def _initiative(pk: int) -> Initiative:
    return get_object_or_404(Initiative.objects.select_related("territory", "referent", "call", "holder"), pk=pk)


def _call(pk: int) -> Call:
    return get_object_or_404(Call.objects.select_related("territory"), pk=pk)


def _status(request: HttpRequest, *forms: Any) -> int:
    return 400 if request.method == "POST" and any(form is not None and form.errors for form in forms) else 200


@staff_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    require(rules.can_read_backoffice(request.user))
    now = timezone.now()
    page = paginate(request, selectors.queue_for(request.user), PER_PAGE)
    rows = [(item, selectors.delays(item, now)) for item in page["page_obj"]]
    return render_page(
        request,
        "initiatives/backoffice/queue.html",
        {"rows": rows, "can_file": rules.can_manage(request.user), **page},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def file_for(request: HttpRequest) -> HttpResponse:
    require(rules.can_manage(request.user))
    form = CounterFileForm(request.POST or None, territories=territories_in_scope(request.user, AGENTS))
    created: list[Initiative] = []

    def save() -> None:
        data = dict(form.cleaned_data)
        created.append(services.initiative_file(filed_by=actor(request), helps=data.pop("helps"), **data))

    if saved(request, form, save, success=_("L'idée est enregistrée ; désignez maintenant son ou sa référent·e.")):
        return redirect(reverse("initiatives_admin:detail", kwargs={"pk": created[0].pk}))
    return render_page(request, "initiatives/backoffice/file.html", {"form": form}, status=_status(request, form))


@staff_required
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative(pk)
    require(rules.can_read_backoffice(request.user, initiative.territory))
    action = request.POST.get("action", "")
    manage = rules.can_manage(request.user, initiative.territory)
    if request.method == "POST":
        require(manage and action in {"referent", "step", "merge"})
    resources = selectors.resources_for(initiative)
    referent_form = ReferentForm(
        request.POST if action == "referent" else None, agents=selectors.agents_for(initiative.territory)
    )
    step_form = StepForm(request.POST if action == "step" else None, resources=resources)
    can_merge = rules.can_merge(request.user, initiative)
    merge_form = MergeForm(
        request.POST if action == "merge" else None, targets=selectors.merge_targets(request.user, initiative)
    )
    done = False
    if action == "referent":
        done = saved(
            request,
            referent_form,
            lambda: services.referent_assign(
                actor=actor(request), initiative=initiative, referent=referent_form.cleaned_data["referent"]
            ),
            success=_("Le ou la référent·e est désigné·e."),
        )
    elif action == "step":
        done = saved(
            request,
            step_form,
            lambda: services.step_record(actor=actor(request), initiative=initiative, **step_form.cleaned_data),
            success=_("L'étape est enregistrée."),
        )
    elif action == "merge":
        require(can_merge)
        done = saved(
            request,
            merge_form,
            lambda: community.initiative_merge(
                actor=actor(request), source=initiative, target=merge_form.cleaned_data["target"]
            ),
            success=_("Les idées sont regroupées : leurs porteur·ses portent le projet ensemble."),
        )
    if done:
        return redirect(reverse("initiatives_admin:detail", kwargs={"pk": initiative.pk}))
    return render_page(
        request,
        "initiatives/backoffice/detail.html",
        {
            "initiative": initiative,
            "decision": getattr(initiative, "decision", None),
            "steps": list(initiative.steps.select_related("actor")),
            "delays": selectors.delays(initiative),
            "resources": list(resources),
            "similar": selectors.similar_initiatives(initiative),
            "can_manage": manage,
            "referent_form": referent_form,
            "step_form": step_form,
            "merge_form": merge_form if can_merge else None,
            "co_holders": [row.person for row in initiative.co_holders.select_related("person")],
        },
        status=_status(
            request,
            referent_form if action == "referent" else None,
            step_form if action == "step" else None,
            merge_form if action == "merge" else None,
        ),
    )


@staff_required
@require_GET
def calls(request: HttpRequest) -> HttpResponse:
    require(rules.can_read_backoffice(request.user))
    return render_page(
        request,
        "initiatives/backoffice/calls.html",
        {"calls": list(selectors.calls_for(request.user)), "can_create": rules.can_manage(request.user)},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def call_create(request: HttpRequest) -> HttpResponse:
    require(rules.can_manage(request.user))
    form = CallForm(
        request.POST or None,
        territories=territories_in_scope(request.user, AGENTS),
        processes=processes_in_scope(request.user, AGENTS).order_by("title"),
    )
    created: list[Call] = []
    if saved(
        request,
        form,
        lambda: created.append(services.call_create(actor=actor(request), **form.cleaned_data)),
        success=_("L'appel est créé."),
    ):
        return redirect(reverse("initiatives_admin:call", kwargs={"pk": created[0].pk}))
    return render_page(request, "initiatives/backoffice/call_form.html", {"form": form}, status=_status(request, form))


@staff_required
@require_http_methods(["GET", "POST"])
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = _call(pk)
    require(rules.can_read_backoffice(request.user, found.territory))
    action = request.POST.get("action", "")
    manage = rules.can_manage_call(request.user, found)
    if request.method == "POST":
        require(manage and action in {"jury", "sitting", "draw"})
    jury_form = JuryMemberForm(request.POST if action == "jury" else None, prefix="jury")
    draw_form = JuryDrawForm(
        request.POST if action == "draw" else None, prefix="tirage", draws=services.draws_for_call(found)
    )
    sitting_form = SittingForm(request.POST if action == "sitting" else None, prefix="seance")
    done = False
    if action == "jury":
        done = saved(
            request,
            jury_form,
            lambda: services.jury_member_add(actor=actor(request), call=found, **jury_form.cleaned_data),
            success=_("Le membre du jury est ajouté."),
        )
    elif action == "draw":
        done = saved(
            request,
            draw_form,
            lambda: services.jury_seats_from_draw(actor=actor(request), call=found, **draw_form.cleaned_data),
            success=_("Les habitant·es tiré·es au sort siègent au jury."),
        )
    elif action == "sitting":
        done = saved(
            request,
            sitting_form,
            lambda: services.jury_sitting_create(actor=actor(request), call=found, **sitting_form.cleaned_data),
            success=_("La séance du jury est programmée."),
        )
    if done:
        return redirect(reverse("initiatives_admin:call", kwargs={"pk": found.pk}))
    return render_page(
        request,
        "initiatives/backoffice/call.html",
        {
            "call": found,
            "jury": list(found.jury.all()),
            "paritary": services.jury_is_paritary(found, timezone.localdate()),
            "sittings": list(found.sittings.all()),
            "dossiers": list(found.dossiers.select_related("territory", "decision").order_by("created_at", "pk")),
            "can_manage": manage,
            "jury_form": jury_form,
            "sitting_form": sitting_form,
            "draw_form": draw_form if found.mode == Call.Mode.JURY else None,
        },
        status=_status(
            request,
            jury_form if action == "jury" else None,
            sitting_form if action == "sitting" else None,
            draw_form if action == "draw" else None,
        ),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The dossier's decision, then its payments."""
    initiative = _initiative(pk)
    require(initiative.call is not None and rules.can_read_backoffice(request.user, initiative.territory))
    found = initiative.call
    assert found is not None
    manage = rules.can_manage_call(request.user, found)
    decision: Decision | None = getattr(initiative, "decision", None)
    action = request.POST.get("action", "")
    if request.method == "POST":
        require(manage and action == ("payment" if decision else "decision"))
    sittings = found.sittings.all() if found.mode == Call.Mode.JURY else None
    decision_form = DecisionForm(request.POST if action == "decision" else None, sittings=sittings)
    payment_form = PaymentForm(request.POST if action == "payment" else None, prefix="versement")
    done = False
    if action == "decision":
        done = saved(
            request,
            decision_form,
            lambda: services.decision_record(actor=actor(request), initiative=initiative, **decision_form.cleaned_data),
            success=_("La décision est enregistrée et publiée avec ses motifs."),
        )
    elif action == "payment" and decision is not None:
        done = saved(
            request,
            payment_form,
            lambda: services.payment_record(actor=actor(request), decision=decision, **payment_form.cleaned_data),
            success=_("Le versement est enregistré."),
        )
    if done:
        return redirect(reverse("initiatives_admin:decide", kwargs={"pk": initiative.pk}))
    return render_page(
        request,
        "initiatives/backoffice/decide.html",
        {
            "initiative": initiative,
            "call": found,
            "decision": decision,
            "payments": list(decision.payments.all()) if decision else [],
            "can_manage": manage,
            "decision_form": decision_form,
            "payment_form": payment_form,
        },
        status=_status(
            request, decision_form if action == "decision" else None, payment_form if action == "payment" else None
        ),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def resources(request: HttpRequest) -> HttpResponse:
    require(rules.can_read_backoffice(request.user))
    manage = rules.can_manage(request.user)
    if request.method == "POST":
        require(manage)
    form = ResourceForm(request.POST or None, territories=territories_in_scope(request.user, AGENTS))
    if saved(
        request,
        form,
        lambda: services.resource_save(actor=actor(request), **form.cleaned_data),
        success=_("La ressource est ajoutée à l'annuaire."),
    ):
        return redirect(reverse("initiatives_admin:resources"))
    return render_page(
        request,
        "initiatives/backoffice/resources.html",
        {"form": form, "can_manage": manage, **paginate(request, selectors.all_resources(), PER_PAGE)},
        status=_status(request, form),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def reconcile(request: HttpRequest) -> HttpResponse:
    """Payments received for pledges: one typed at the counter, or the régie's statement."""
    require(rules.can_manage(request.user))
    form = ReconcileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data.get("statement"):
                result = matchfunding.reconcile_csv(actor=actor(request), data=form.cleaned_data["statement"].read())
                messages.success(request, _("%(n)d paiement(s) rapproché(s).") % {"n": result.received})
                for line in result.errors:
                    messages.warning(request, line)
            else:
                matchfunding.pledge_receive(
                    actor=actor(request), reference=form.cleaned_data["reference"], amount=form.cleaned_data["amount"]
                )
                messages.success(request, _("Le paiement est rapproché ; le fonds l'a abondé."))
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect(reverse("initiatives_admin:reconcile"))
    territories = territories_in_scope(request.user, AGENTS)
    pending = Pledge.objects.filter(state=Pledge.State.PENDING, initiative__territory__in=territories).select_related(
        "initiative"
    )
    return render_page(
        request,
        "initiatives/backoffice/reconcile.html",
        {"form": form, **paginate(request, pending.order_by("created_at", "pk"), PER_PAGE)},
        status=_status(request, form),
    )
