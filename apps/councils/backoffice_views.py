"""Back-office pages of councils (``/gestion/conseils/``). Each view parses input, asks one
permission question, calls one service, then renders or redirects."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.backoffice_kit import (
    actor,
    attach_errors,
    processes_in_scope,
    redirect,
    render_page,
    saved,
    staff_required,
    territories_in_scope,
)
from apps.core.rules_kit import require
from apps.councils import charts, rules, selectors, services
from apps.councils.forms import (
    CommitForm,
    CouncilForm,
    DecisionForm,
    EndForm,
    ImportForm,
    MeetingForm,
    MembershipForm,
    RenewalForm,
    ResignForm,
)
from apps.councils.models import Council, Decision, Membership
from apps.sittings.models import Attendance, Sitting

FORM_TEMPLATE = "councils/backoffice/form.html"


def _council(pk: int) -> Council:
    return get_object_or_404(Council.objects.select_related("territory", "process"), pk=pk)


def _membership(pk: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("council__territory"), pk=pk)


def _meeting(pk: int) -> tuple[Sitting, Council]:
    found = selectors.meeting_by_pk(pk)
    if found is None:
        raise Http404
    return found


def _meetings(council: Council) -> Any:
    return council.meetings.order_by("-starts_at", "-pk")


def _decision(pk: int) -> Decision:
    return get_object_or_404(Decision.objects.select_related("council__territory", "commitment"), pk=pk)


def _detail_url(council: Council, anchor: str = "") -> str:
    return reverse("councils_admin:detail", kwargs={"pk": council.pk}) + (f"#{anchor}" if anchor else "")


def _form_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    council: Council | None,
    title: str,
    submit: str,
    intro: str = "",
    template: str = FORM_TEMPLATE,
    **extra: Any,
) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "council": council, "page_title": title, "submit_label": submit, "intro": intro, **extra}
    return render_page(request, template, context, status=status)


def _processes_for(request: HttpRequest) -> Any:
    return processes_in_scope(request.user, rules.AGENTS).select_related("territory").order_by("title")


# --- councils -----------------------------------------------------------------------------------


@staff_required
@require_GET
def council_list(request: HttpRequest) -> HttpResponse:
    require(rules.can_use_councils_backoffice(request.user))
    return render_page(
        request,
        "councils/backoffice/list.html",
        {"councils": selectors.councils_for_staff(request.user), "can_create": rules.can_create_council(request.user)},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def council_create(request: HttpRequest) -> HttpResponse:
    require(rules.can_create_council(request.user))
    form = CouncilForm(
        request.POST or None,
        request.FILES or None,
        territories=territories_in_scope(request.user, rules.AGENTS),
        processes=_processes_for(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            council = services.council_create(
                actor=actor(request), cover=form.cover_values(), **form.data_without_cover()
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("L'instance est créée. Ajoutez maintenant ses membres."))
            return redirect(_detail_url(council))
    return _form_page(request, form, council=None, title=_("Créer un conseil ou un jury"), submit=_("Créer l'instance"))


@staff_required
@require_GET
def council_detail(request: HttpRequest, pk: int) -> HttpResponse:
    council = _council(pk)
    require(rules.can_read_council_backoffice(request.user, council))
    meetings = list(council.meetings.order_by("-starts_at", "-pk"))
    counts = selectors.attendance_counts(meetings)
    for meeting in meetings:
        by_status = counts.get(meeting.pk, {})
        meeting.present_count = by_status.get(Attendance.Status.PRESENT, 0)
        meeting.excused_count = by_status.get(Attendance.Status.EXCUSED, 0)
        meeting.absent_count = by_status.get(Attendance.Status.ABSENT, 0)
    today = timezone.localdate()
    memberships = list(council.memberships.select_related("user", "pool_member__draw", "replaced_by"))
    return render_page(
        request,
        "councils/backoffice/detail.html",
        {
            "council": council,
            "colleges": selectors.composition(council),
            "active": [m for m in memberships if m.is_active],
            "former": [m for m in memberships if not m.is_active],
            "expired": [m for m in memberships if m.is_active and m.term_end <= today],
            "next_renewal": selectors.next_renewal(council),
            "renewals": list(council.renewals.select_related("actor")),
            "meetings": meetings,
            "attendance_chart": charts.attendance_chart(meetings, counts),
            "decisions": list(council.decisions.select_related("meeting", "commitment")),
            "can_manage": rules.can_manage_council(request.user, council),
            "today": today,
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def council_edit(request: HttpRequest, pk: int) -> HttpResponse:
    council = _council(pk)
    require(rules.can_manage_council(request.user, council))
    form = CouncilForm(
        request.POST or None,
        request.FILES or None,
        instance=council,
        territories=territories_in_scope(request.user, rules.AGENTS),
        processes=_processes_for(request),
    )
    if saved(
        request,
        form,
        lambda: services.council_update(
            actor=actor(request), council=_council(pk), cover=form.cover_values(), **form.data_without_cover()
        ),
        success=_("L'instance est modifiée."),
    ):
        return redirect(_detail_url(council))
    return _form_page(
        request,
        form,
        council=council,
        title=_("Modifier « %(name)s »") % {"name": council.name},
        submit=_("Enregistrer"),
    )


# --- memberships ----------------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    council = _council(pk)
    require(rules.can_manage_council(request.user, council))
    form = MembershipForm(request.POST or None, initial={"term_start": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("user_email", None)
        try:
            services.membership_add(actor=actor(request), council=council, **data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Le membre est ajouté."))
            return redirect(_detail_url(council, "membres"))
    return _form_page(
        request,
        form,
        council=council,
        title=_("Ajouter un membre — %(name)s") % {"name": council.name},
        submit=_("Ajouter le membre"),
        colleges=selectors.composition(council),
        template="councils/backoffice/member_add.html",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def member_import(request: HttpRequest, pk: int) -> HttpResponse:
    council = _council(pk)
    require(rules.can_manage_council(request.user, council))
    form = ImportForm(
        request.POST or None, draws=services.draws_for(council), initial={"term_start": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.memberships_import_from_draw(actor=actor(request), council=council, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("%(count)s personnes tirées au sort siègent désormais dans l'instance.") % {"count": len(created)},
            )
            return redirect(_detail_url(council, "membres"))
    return _form_page(
        request,
        form,
        council=council,
        title=_("Importer un tirage au sort — %(name)s") % {"name": council.name},
        submit=_("Importer les personnes tirées au sort"),
        intro=_(
            "Les personnes qui ont accepté, puis les autres personnes tirées au sort, occupent les sièges "
            "vacants du collège des habitant·es tiré·es au sort (%(vacant)s sièges vacants)."
        )
        % {"vacant": max(council.seats_drawn - services.active_count(council, "drawn"), 0)},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def member_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(pk)
    council = membership.council
    require(rules.can_manage_council(request.user, council))
    form = EndForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if saved(
        request,
        form,
        lambda: services.membership_end(actor=actor(request), membership=membership, **form.cleaned_data),
        success=_("Le mandat est terminé ; le siège est vacant."),
    ):
        return redirect(_detail_url(council, "membres"))
    return _form_page(
        request,
        form,
        council=council,
        title=_("Mettre fin au mandat de %(name)s") % {"name": membership.public_name},
        submit=_("Mettre fin au mandat"),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def member_resign(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(pk)
    council = membership.council
    require(rules.can_manage_council(request.user, council))
    form = ResignForm(
        request.POST or None, alternates=services.alternates_for(council), initial={"resigned_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            replacement = services.membership_resign(
                actor=actor(request),
                membership=membership,
                resigned_on=form.cleaned_data["resigned_on"],
                alternate=form.cleaned_data.get("alternate"),
                replacement_name=form.cleaned_data.get("replacement_name") or "",
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            if replacement is not None:
                messages.success(
                    request,
                    _("La démission est enregistrée ; %(name)s complète le mandat.")
                    % {"name": replacement.public_name},
                )
            else:
                messages.success(request, _("La démission est enregistrée ; le siège est vacant."))
            return redirect(_detail_url(council, "membres"))
    return _form_page(
        request,
        form,
        council=council,
        title=_("Démission de %(name)s") % {"name": membership.public_name},
        submit=_("Enregistrer la démission"),
        intro=_("Mandat du %(start)s au %(end)s, collège : %(college)s.")
        % {
            "start": membership.term_start.strftime("%d/%m/%Y"),
            "end": membership.term_end.strftime("%d/%m/%Y"),
            "college": membership.get_college_display(),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def renewal(request: HttpRequest, pk: int) -> HttpResponse:
    council = _council(pk)
    require(rules.can_manage_council(request.user, council))
    form = RenewalForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            done = services.renewal_run(actor=actor(request), council=council, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Renouvellement enregistré : %(count)s mandats ont pris fin. "
                    "Pourvoyez maintenant les sièges vacants."
                )
                % {"count": done.ended_count},
            )
            return redirect(_detail_url(council, "composition"))
    active = council.memberships.filter(status=Membership.Status.ACTIVE).order_by("term_end", "college", "public_name")
    return _form_page(
        request,
        form,
        council=council,
        title=_("Renouvellement — %(name)s") % {"name": council.name},
        submit=_("Clore les mandats échus"),
        intro=_(
            "Le renouvellement met fin aux mandats arrivés à échéance à la date choisie. Les sièges libérés "
            "apparaissent vacants : pourvoyez-les depuis un nouveau tirage au sort ou avec des volontaires."
        ),
        template="councils/backoffice/renewal.html",
        active=active,
        colleges=selectors.composition(council),
    )


# --- meetings -------------------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    council = _council(pk)
    require(rules.can_manage_council(request.user, council))
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=actor(request), council=council, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("La réunion est créée. Saisissez les présences après la séance."))
            return redirect(reverse("councils_admin:meeting_edit", kwargs={"pk": meeting.pk}))
    return _form_page(
        request,
        form,
        council=council,
        title=_("Nouvelle réunion — %(name)s") % {"name": council.name},
        submit=_("Créer la réunion"),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, council = _meeting(pk)
    require(rules.can_manage_council(request.user, council))
    form = MeetingForm(request.POST or None, instance=meeting)
    if saved(
        request,
        form,
        lambda: services.meeting_update(actor=actor(request), meeting=_meeting(pk)[0], **form.cleaned_data),
        success=_("La réunion est enregistrée."),
    ):
        return redirect(_detail_url(council, "reunions"))
    return _form_page(
        request,
        form,
        council=council,
        title=_("Réunion « %(title)s »") % {"title": meeting.title},
        submit=_("Enregistrer la réunion"),
        intro=_("Cochez « publiée sur le site » pour publier le compte rendu."),
        meeting=meeting,
        template="councils/backoffice/meeting_form.html",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, council = _meeting(pk)
    require(rules.can_manage_council(request.user, council))
    grid = selectors.attendance_grid(meeting)
    errors: list[str] = []
    if request.method == "POST":
        statuses = {membership.pk: request.POST.get(f"presence-{membership.pk}", "") for membership, _status in grid}
        try:
            present = services.attendance_record(actor=actor(request), meeting=meeting, statuses=statuses)
        except ValidationError as error:
            errors = error.messages
            grid = [(membership, statuses.get(membership.pk, "")) for membership, _status in grid]
        else:
            messages.success(request, _("Présences enregistrées : %(count)s présent·es.") % {"count": present})
            return redirect(_detail_url(council, "reunions"))
    return render_page(
        request,
        "councils/backoffice/attendance.html",
        {
            "council": council,
            "meeting": meeting,
            "grid": grid,
            "choices": Attendance.Status.choices,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


# --- decisions ------------------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    council = _council(pk)
    require(rules.can_manage_council(request.user, council))
    form = DecisionForm(request.POST or None, meetings=_meetings(council), initial={"decided_on": timezone.localdate()})
    if saved(
        request,
        form,
        lambda: services.decision_create(actor=actor(request), council=council, **form.cleaned_data),
        success=_("L'avis ou la décision est enregistré."),
    ):
        return redirect(_detail_url(council, "decisions"))
    return _form_page(
        request,
        form,
        council=council,
        title=_("Nouvel avis ou décision — %(name)s") % {"name": council.name},
        submit=_("Enregistrer"),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(pk)
    council = decision.council
    require(rules.can_manage_council(request.user, council))
    form = DecisionForm(request.POST or None, instance=decision, meetings=_meetings(council))
    if saved(
        request,
        form,
        lambda: services.decision_update(actor=actor(request), decision=_decision(pk), **form.cleaned_data),
        success=_("L'avis ou la décision est enregistré."),
    ):
        return redirect(_detail_url(council, "decisions"))
    return _form_page(
        request,
        form,
        council=council,
        title=_("Modifier « %(title)s »") % {"title": decision.title},
        submit=_("Enregistrer"),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def decision_commit(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(pk)
    council = decision.council
    require(rules.can_commit_decision(request.user, decision))
    processes = _processes_for(request)
    form = CommitForm(
        request.POST or None,
        processes=processes,
        initial={"title": decision.subject or decision.title, "process": council.process_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            commitment = services.decision_commit(actor=actor(request), decision=decision, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("L'engagement de la Ville est créé et suivi publiquement."))
            return redirect(reverse("backoffice:commitment", kwargs={"pk": commitment.pk}))
    return _form_page(
        request,
        form,
        council=council,
        title=_("Engagement de la Ville sur « %(title)s »") % {"title": decision.title},
        submit=_("Créer l'engagement"),
        intro=_("L'engagement apparaîtra dans le suivi public avec la mention « fait avec les habitants »."),
    )
