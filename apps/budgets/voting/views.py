"""Pages of the vote: ballot, confirmation, receipt, results, and the agents' paper entry.

Views parse input, ask the rules, call one service, render or redirect. The ballot page
works without JavaScript: "Mettre à jour le total" re-renders the page with the money
left, "Vérifier mon vote" shows the confirmation page, "Confirmer" casts the ballot.

Once a person has voted in an envelope, its ballot page shows the recorded ballot and its
receipt (the receipt page); changing it is an explicit step ("Modifier mon vote",
``?modifier=1``) whose forms carry the receipt they replace (``remplace``). A form that does
not name the current receipt (the back button after voting, a second tab) never replaces
the ballot: it shows the recorded one.
"""

from __future__ import annotations

import datetime
import functools
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.models import User
from apps.budgets.models import Ballot, BallotType, Budget, Envelope, PaperSheet, Project
from apps.budgets.voting import ballots, loading, paper, results, rules, services
from apps.budgets.voting.forms import (
    BallotForm,
    PaperSheetForm,
    VoidSheetForm,
    parse_choices,
    valid_checkbox_choices,
)
from apps.core.backoffice_kit import staff_required
from apps.core.ratelimits import ratelimit

# The query parameter of the explicit "change my vote" step, and the hidden field naming the
# receipt a change replaces.
MODIFY_PARAM = "modifier"
REPLACES_FIELD = "remplace"

# --- lookups --------------------------------------------------------------------------------


def _budget_or_404(request: HttpRequest, slug: str) -> Budget:
    # The budget, its process and city (no outline), then its phases: two plain statements
    # (``loading``), fresh at every request (the phases open and close the vote).
    budget = loading.budget_by_slug(slug)
    if budget is None or not rules.can_view_budget(request.user, budget):
        raise Http404
    return budget


def _voter_budget_or_404(request: HttpRequest, slug: str) -> Budget:
    # As ``_budget_or_404``, with the person's home territory and voter records in the budget
    # read by the same statement (``rules.budget_for_voter``): the ballot and receipt pages ask both.
    budget = rules.budget_for_voter(request.user, slug)
    if budget is None or not rules.can_view_budget(request.user, budget):
        raise Http404
    return budget


def _envelope_or_404(budget: Budget, envelope_pk: int) -> Envelope:
    envelope = budget.envelopes.select_related("territory").filter(pk=envelope_pk).first()
    if envelope is None:
        raise Http404
    envelope.budget = budget  # shares the prefetched phases
    return envelope


def _ballot_definition_or_404(budget: Budget, envelope_pk: int) -> tuple[Envelope, list[Project]]:
    """The envelope (attached to ``budget``) and its ballot projects, from the per-process
    cache once the rules are frozen (see ``ballots.ballot_definition``)."""
    definition = ballots.ballot_definition(budget, envelope_pk)
    if definition is None:
        raise Http404
    return definition.envelope_for(budget), list(definition.projects)


def _staff_budget_or_404(request: HttpRequest, process_pk: int) -> Budget:
    budget = (
        Budget.objects.select_related("process__territory")
        .prefetch_related("process__phases")
        .filter(process_id=process_pk)
        .first()
    )
    if budget is None:
        raise Http404
    if not rules.can_manage_vote(request.user, budget):
        raise PermissionDenied
    return budget


def _agent(request: HttpRequest) -> User:
    """The signed-in staff member (the views below are behind ``staff_required``)."""
    assert isinstance(request.user, User)
    return request.user


def _reverse_or_none(name: str, **kwargs: Any) -> str | None:
    # The budget and project pages belong to the projects part, built at the same time.
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


# Stand-ins reversed once, then replaced by the real slug and envelope (see _receipt_url).
_SLUG_MARK = "slug-mark"
_ENVELOPE_MARK = 918273645


@functools.lru_cache(maxsize=8)
def _receipt_url_parts(urlconf: str, script_prefix: str) -> tuple[str, str, str]:
    """The receipt URL around its slug and envelope, reversed once per URLconf and script
    prefix (what ``reverse`` depends on here)."""
    url = reverse("budgets:receipt", kwargs={"slug": _SLUG_MARK, "envelope_pk": _ENVELOPE_MARK})
    before, after = url.split(_SLUG_MARK, 1)
    middle, end = after.split(str(_ENVELOPE_MARK), 1)
    return before, middle, end


def _receipt_url(slug: str, envelope_pk: int) -> str:
    """``reverse("budgets:receipt", …)`` without searching the URLconf at every ballot (the
    redirect after a ballot; it was ≈ 3 % of the ballot POST's CPU, issue 15). A process slug
    is a SlugField, whose characters the route's ``slug`` converter takes and ``reverse`` leaves
    as they are."""
    before, middle, end = _receipt_url_parts(str(get_urlconf() or settings.ROOT_URLCONF), get_script_prefix())
    return f"{before}{slug}{middle}{envelope_pk}{end}"


def _common(budget: Budget) -> dict[str, Any]:
    phase = rules.vote_phase(budget.process)
    return {
        "budget": budget,
        "process": budget.process,
        "vote_phase": phase,
        "vote_open": rules.vote_is_open(budget),
        "vote_closed": rules.vote_is_closed(budget),
        "budget_url": _reverse_or_none("budgets:detail", slug=budget.process.slug) or budget.process.get_absolute_url(),
    }


# --- the vote page of a budget -----------------------------------------------------------------


@require_GET
def vote_home(request: HttpRequest, slug: str) -> HttpResponse:
    """The rules of the vote (shown before it opens) and the envelopes this person votes in."""
    budget = _budget_or_404(request, slug)
    services.close_if_ended(budget)
    envelopes = list(budget.envelopes.select_related("territory"))
    mine = []
    if request.user.is_authenticated:
        for envelope in rules.eligible_envelopes(request.user, budget):
            envelope.budget = budget
            mine.append(
                {
                    "envelope": envelope,
                    "reason": rules.ineligibility_reason(request.user, envelope),
                    "voted": services.has_voted(request.user, envelope),
                }
            )
    return render(
        request,
        "budgets/vote/home.html",
        {**_common(budget), "envelopes": envelopes, "mine": mine},
    )


# --- the ballot ---------------------------------------------------------------------------------


def _project_rows(form: BallotForm, projects: list[Project], chosen: ballots.Choices) -> list[dict[str, Any]]:
    rows = []
    kind = form.budget.ballot_type
    for index, project in enumerate(projects):
        row: dict[str, Any] = {
            "project": project,
            "url": _reverse_or_none("budgets:project", pk=project.pk),
            "checked": bool(chosen.get(project.pk)),
            "index": index,
        }
        if kind == BallotType.CUMULATIVE:
            row["field"] = form[f"points_{project.pk}"]
        elif kind == BallotType.RANKED:
            row["field"] = form[f"rang_{project.pk}"]
        rows.append(row)
    return rows


def _ballot_page(
    request: HttpRequest,
    budget: Budget,
    envelope: Envelope,
    projects: list[Project],
    form: BallotForm,
    chosen: ballots.Choices,
    *,
    status: int = 200,
    existing: Ballot | None = None,
) -> HttpResponse:
    return render(
        request,
        "budgets/vote/ballot.html",
        {
            **_common(budget),
            "envelope": envelope,
            "form": form,
            "rows": _project_rows(form, projects, chosen),
            "totals": ballots.totals(budget, envelope, projects, chosen),
            "minimum_spend": ballots.minimum_spend(budget, envelope, projects),
            "existing": existing,
            "replaces_field": REPLACES_FIELD,
            "verification_text": rules.required_verification_text(budget),
            "is_knapsack": budget.ballot_type == BallotType.KNAPSACK,
            "is_cumulative": budget.ballot_type == BallotType.CUMULATIVE,
            "is_ranked": budget.ballot_type == BallotType.RANKED,
            "is_checkboxes": budget.ballot_type in (BallotType.APPROVAL, BallotType.KNAPSACK),
            # The online ballot shows each project's picture and summary on its line.
            "show_details": True,
        },
        status=status,
    )


@ratelimit(key="user_or_ip", rate="30/m", method="POST", block=True)
@require_http_methods(["GET", "POST"])
def ballot(request: HttpRequest, slug: str, envelope_pk: int) -> HttpResponse:
    budget = _voter_budget_or_404(request, slug)
    envelope, projects = _ballot_definition_or_404(budget, envelope_pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    reason = rules.ineligibility_reason(request.user, envelope)
    if reason is not None:
        services.close_if_ended(budget)
        return render(
            request,
            "budgets/vote/not_eligible.html",
            {**_common(budget), "envelope": envelope, "reason": reason},
            status=403,
        )
    ask_birth_date = rules.needs_birth_date(request.user, budget)
    options: dict[str, Any] = {
        "budget": budget,
        "envelope": envelope,
        "projects": projects,
        "ask_birth_date": ask_birth_date,
    }
    if request.method == "GET":
        existing = services.current_ballot(request.user, envelope)
        if existing is not None and MODIFY_PARAM not in request.GET:
            return redirect("budgets:receipt", slug=budget.process.slug, envelope_pk=envelope.pk)
        chosen = services.ballot_content(existing) if existing else {}
        form = BallotForm(initial_choices=chosen, **options)
        return _ballot_page(request, budget, envelope, projects, form, chosen, existing=existing)

    action = request.POST.get("action", "review")
    replaces = request.POST.get(REPLACES_FIELD, "")[:32]
    if action != "confirm":
        # A draft that does not name the current receipt is older than the recorded ballot.
        existing = (
            services.current_ballot(request.user, envelope) if services.has_voted(request.user, envelope) else None
        )
        if existing is not None and existing.receipt != replaces:
            return _recorded_page(request, budget, envelope, projects, existing, stale=True)
    else:
        existing = None
    typed_birth = request.POST.get("birth_date", "")[:10]
    if action in ("total", "edit"):
        chosen = parse_choices(budget, projects, request.POST)
        form = BallotForm(initial_choices=chosen, initial_birth_date=typed_birth, **options)
        return _ballot_page(request, budget, envelope, projects, form, chosen, existing=existing)
    refused: list[str] | None = None
    if action == "confirm" and not ask_birth_date:
        # Voting day: a valid approval or knapsack ballot is read without building the form;
        # anything the form could refuse builds it below (forms.valid_checkbox_choices).
        quick = valid_checkbox_choices(budget, envelope, projects, request.POST)
        if quick is not None:
            cast = _cast(request, request.user, budget, envelope, projects, quick, None, replaces)
            if isinstance(cast, HttpResponse):
                return cast
            refused = cast
    form = BallotForm(request.POST, **options)
    if refused is not None:
        form.full_clean()  # valid (as checked above): the page shows the service's refusal
        for message in refused:
            form.add_error(None, message)
    elif form.is_valid():
        chosen = form.choices()
        if action == "confirm":
            birth_date = form.cleaned_data.get("birth_date")
            cast = _cast(request, request.user, budget, envelope, projects, chosen, birth_date, replaces)
            if isinstance(cast, HttpResponse):
                return cast
            for message in cast:
                form.add_error(None, message)
        else:
            by_pk = {p.pk: p for p in projects}
            return render(
                request,
                "budgets/vote/confirm.html",
                {
                    **_common(budget),
                    "envelope": envelope,
                    "form": form,
                    "chosen": _chosen_lines(budget, chosen, by_pk),
                    "totals": ballots.totals(budget, envelope, projects, chosen),
                    "hidden": _hidden_fields(budget, chosen, form.cleaned_data.get("birth_date"), replaces),
                    "is_cumulative": budget.ballot_type == BallotType.CUMULATIVE,
                    "is_ranked": budget.ballot_type == BallotType.RANKED,
                    "existing": existing,
                },
            )
    chosen = parse_choices(budget, projects, request.POST)
    return _ballot_page(request, budget, envelope, projects, form, chosen, status=400, existing=existing)


def _cast(
    request: HttpRequest,
    user: User,
    budget: Budget,
    envelope: Envelope,
    projects: list[Project],
    chosen: ballots.Choices,
    birth_date: datetime.date | None,
    replaces: str,
) -> HttpResponse | list[str]:
    """Cast the confirmed ballot: the answer (the receipt, the recorded ballot of a stale form,
    a refusal of eligibility), or the messages of a ballot the service refused, for the form."""
    try:
        try:
            services.ballot_cast(
                user=user,
                envelope=envelope,
                choices=chosen,
                birth_date=birth_date,
                projects=projects,
                replaces=replaces,
            )
        except (ValidationError, PermissionDenied):
            # A cast that is written fixes the birth date with the ballot; a refused
            # attempt fixes it on its own (a date refused for age cannot be retyped).
            services.ballot_birth_date_fix(user=user, budget=budget, birth_date=birth_date)
            raise
    except services.StaleBallotForm:
        current = services.current_ballot(user, envelope)
        if current is None:
            raise Http404 from None
        return _recorded_page(request, budget, envelope, projects, current, stale=True)
    except ValidationError as error:
        return list(error.messages)
    except PermissionDenied as error:
        return render(
            request,
            "budgets/vote/not_eligible.html",
            {**_common(budget), "envelope": envelope, "reason": str(error) or _("Vous ne pouvez pas voter.")},
            status=403,
        )
    # No flash message (a cookie to sign and clear): the receipt says the vote is recorded.
    return HttpResponseRedirect(_receipt_url(budget.process.slug, envelope.pk))


def _recorded_page(
    request: HttpRequest,
    budget: Budget,
    envelope: Envelope,
    projects: list[Project],
    current: Ballot | None,
    *,
    stale: bool = False,
) -> HttpResponse:
    """The person's recorded ballot and its current receipt (the receipt page). ``stale``: a
    form older than this ballot was sent, and nothing was changed (409)."""
    by_pk = {p.pk: p for p in projects}
    chosen = services.ballot_content(current) if current else {}
    return render(
        request,
        "budgets/vote/receipt.html",
        {
            **_common(budget),
            "envelope": envelope,
            "ballot": current,
            "chosen": _chosen_lines(budget, chosen, by_pk),
            "is_cumulative": budget.ballot_type == BallotType.CUMULATIVE,
            "is_ranked": budget.ballot_type == BallotType.RANKED,
            "can_change": rules.can_vote(request.user, envelope),
            "stale": stale,
            "modify_param": MODIFY_PARAM,
        },
        status=409 if stale else 200,
    )


def _chosen_lines(budget: Budget, chosen: ballots.Choices, by_pk: dict[int, Project]) -> list[dict[str, Any]]:
    """The chosen projects for the confirmation and the receipt: by rank for a ranked
    ballot, in the order of the ballot otherwise."""
    order = {pk: index for index, pk in enumerate(by_pk)}
    if budget.ballot_type == BallotType.RANKED:
        items = sorted(chosen.items(), key=lambda item: item[1])
    else:
        items = sorted(chosen.items(), key=lambda item: order.get(item[0], 0))
    return [{"project": by_pk[pk], "value": value} for pk, value in items if pk in by_pk]


def _hidden_fields(budget: Budget, chosen: ballots.Choices, birth_date: Any, replaces: str) -> list[tuple[str, str]]:
    if budget.ballot_type in (BallotType.APPROVAL, BallotType.KNAPSACK):
        fields = [("projets", str(pk)) for pk in chosen]
    else:
        prefix = "points_" if budget.ballot_type == BallotType.CUMULATIVE else "rang_"
        fields = [(f"{prefix}{pk}", str(value)) for pk, value in chosen.items()]
    if birth_date:
        fields.append(("birth_date", birth_date.isoformat()))
    fields.append((REPLACES_FIELD, replaces))
    return fields


@require_GET
def receipt(request: HttpRequest, slug: str, envelope_pk: int) -> HttpResponse:
    budget = _voter_budget_or_404(request, slug)
    envelope, projects = _ballot_definition_or_404(budget, envelope_pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    services.close_if_ended(budget)
    current = services.current_ballot(request.user, envelope)
    if current is None and not services.has_voted(request.user, envelope):
        raise Http404
    return _recorded_page(request, budget, envelope, projects, current)


@require_GET
def receipt_check(request: HttpRequest, slug: str) -> HttpResponse:
    """Anyone can check that a receipt is among the counted ballots (nothing else is shown)."""
    budget = _budget_or_404(request, slug)
    code = "".join(c for c in request.GET.get("code", "").upper() if c.isalnum())[:16]
    formatted = "-".join(code[i : i + 4] for i in range(0, len(code), 4)) if code else ""
    state = services.receipt_state(budget, formatted) if len(code) == 16 else None
    return render(
        request,
        "budgets/vote/receipt_check.html",
        {**_common(budget), "code": formatted, "checked": len(code) == 16, "state": state},
    )


# --- results ---------------------------------------------------------------------------------


@require_GET
def results_page(request: HttpRequest, slug: str) -> HttpResponse:
    budget = _budget_or_404(request, slug)
    if not rules.vote_is_closed(budget):
        raise Http404  # nobody, administrators included, sees anything before the close
    services.close_if_ended(budget)
    if not rules.can_view_results(request.user, budget):
        return render(request, "budgets/vote/results_pending.html", _common(budget))
    return render(
        request,
        "budgets/vote/results.html",
        {**_common(budget), "blocks": results.envelope_results(budget)},
    )


def _published_or_404(request: HttpRequest, slug: str) -> Budget:
    budget = _budget_or_404(request, slug)
    if not rules.can_view_results(request.user, budget):
        raise Http404
    return budget


@require_GET
def results_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    budget = _published_or_404(request, slug)
    if fmt == "csv":
        response = HttpResponse(results.results_csv(budget), content_type="text/csv; charset=utf-8")
    elif fmt == "json":
        response = HttpResponse(results.results_json(budget), content_type="application/json; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="resultats-{budget.process.slug}.{fmt}"'
    return response


@require_GET
def results_pabulib(request: HttpRequest, slug: str, envelope_pk: int) -> HttpResponse:
    budget = _published_or_404(request, slug)
    envelope = _envelope_or_404(budget, envelope_pk)
    response = HttpResponse(results.pabulib_text(envelope), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{budget.process.slug}-{envelope.pk}.pb"'
    return response


# --- back office ----------------------------------------------------------------------------


@staff_required
@require_GET
def admin_vote(request: HttpRequest, process_pk: int) -> HttpResponse:
    budget = _staff_budget_or_404(request, process_pk)
    services.close_if_ended(budget)
    envelopes = list(budget.envelopes.select_related("territory"))
    counts = {
        envelope.pk: {
            "voters": envelope.voter_records.count(),
            "ballots": envelope.ballots.count(),
        }
        for envelope in envelopes
    }
    sheets = list(
        PaperSheet.objects.filter(envelope__budget=budget).select_related(
            "envelope__territory", "first_by", "second_by"
        )
    )
    preview = results.envelope_results(budget) if rules.can_preview_results(request.user, budget) else []
    return render(
        request,
        "budgets/vote/admin.html",
        {
            **_common(budget),
            "envelopes": [{"envelope": e, **counts[e.pk]} for e in envelopes],
            "sheets": sheets,
            "pending": results.pending_sheets(budget),
            "can_enter_paper": rules.can_enter_paper(request.user, budget),
            "can_publish": rules.can_publish_results(request.user, budget),
            "can_preview": rules.can_preview_results(request.user, budget),
            "preview": preview,
        },
    )


def _sheet_or_404(request: HttpRequest, pk: int) -> PaperSheet:
    sheet = get_object_or_404(
        PaperSheet.objects.select_related("envelope__territory", "envelope__budget__process__territory"), pk=pk
    )
    if not rules.can_manage_vote(request.user, sheet.envelope.budget):
        raise PermissionDenied
    return sheet


def _paper_page(
    request: HttpRequest,
    budget: Budget,
    envelope: Envelope,
    form: PaperSheetForm,
    projects: list[Project],
    *,
    step: str,
    sheet: PaperSheet | None = None,
    status: int = 200,
) -> HttpResponse:
    chosen = parse_choices(budget, projects, request.POST) if request.method == "POST" else {}
    return render(
        request,
        "budgets/vote/paper_form.html",
        {
            **_common(budget),
            "envelope": envelope,
            "form": form,
            "rows": _project_rows(form, projects, chosen),
            "step": step,
            "sheet": sheet,
            "differences": paper.entries_differences(sheet) if sheet and step == "resolve" else None,
            "is_checkboxes": budget.ballot_type in (BallotType.APPROVAL, BallotType.KNAPSACK),
            "is_cumulative": budget.ballot_type == BallotType.CUMULATIVE,
            "is_ranked": budget.ballot_type == BallotType.RANKED,
        },
        status=status,
    )


def _paper_action(
    request: HttpRequest, budget: Budget, envelope: Envelope, *, step: str, sheet: PaperSheet | None = None
) -> HttpResponse:
    if not rules.can_enter_paper(request.user, budget):
        raise PermissionDenied
    projects = list(ballots.ballot_projects(envelope))
    options: dict[str, Any] = {"budget": budget, "envelope": envelope, "projects": projects}
    form = PaperSheetForm(request.POST or None, with_number=step == "first", **options)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        identity = {"voter_name": data["voter_name"], "voter_birth_date": data["voter_birth_date"]}
        try:
            if step == "first":
                done = paper.paper_first_entry(
                    agent=_agent(request), envelope=envelope, number=data["number"], choices=form.choices(), **identity
                )
                messages.success(
                    request,
                    _("Bulletin n° %(number)s saisi. Une autre personne doit maintenant faire la seconde saisie.")
                    % {"number": done.number},
                )
            elif step == "second":
                assert sheet is not None
                done = paper.paper_second_entry(agent=_agent(request), sheet=sheet, choices=form.choices(), **identity)
                if done.state == PaperSheet.State.CONFIRMED:
                    messages.success(request, _("Les deux saisies concordent : le bulletin est compté."))
                else:
                    messages.warning(request, _("Les deux saisies diffèrent : le bulletin est mis en litige."))
            else:
                assert sheet is not None
                paper.paper_resolve(agent=_agent(request), sheet=sheet, choices=form.choices(), **identity)
                messages.success(request, _("Litige tranché : le bulletin est compté."))
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("Vous ne pouvez pas faire cette saisie."))
        else:
            return redirect("budgets_admin:vote", process_pk=budget.process_id)
    return _paper_page(
        request,
        budget,
        envelope,
        form,
        projects,
        step=step,
        sheet=sheet,
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def paper_new(request: HttpRequest, envelope_pk: int) -> HttpResponse:
    envelope = get_object_or_404(Envelope.objects.select_related("territory", "budget"), pk=envelope_pk)
    budget = _staff_budget_or_404(request, envelope.budget.process_id)
    envelope.budget = budget
    return _paper_action(request, budget, envelope, step="first")


@staff_required
@require_http_methods(["GET", "POST"])
def paper_second(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = _sheet_or_404(request, pk)
    budget = _staff_budget_or_404(request, sheet.envelope.budget.process_id)
    if sheet.state != PaperSheet.State.FIRST_ENTRY:
        raise Http404
    if sheet.first_by_id == request.user.pk:
        return render(request, "budgets/vote/paper_same_agent.html", {**_common(budget), "sheet": sheet}, status=403)
    return _paper_action(request, budget, sheet.envelope, step="second", sheet=sheet)


@staff_required
@require_http_methods(["GET", "POST"])
def paper_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = _sheet_or_404(request, pk)
    budget = _staff_budget_or_404(request, sheet.envelope.budget.process_id)
    if sheet.state != PaperSheet.State.DISPUTED:
        raise Http404
    if sheet.first_by_id == request.user.pk:
        return render(request, "budgets/vote/paper_same_agent.html", {**_common(budget), "sheet": sheet}, status=403)
    return _paper_action(request, budget, sheet.envelope, step="resolve", sheet=sheet)


@staff_required
@require_http_methods(["GET", "POST"])
def paper_void(request: HttpRequest, process_pk: int) -> HttpResponse:
    budget = _staff_budget_or_404(request, process_pk)
    if not rules.can_enter_paper(request.user, budget):
        raise PermissionDenied
    initial = {"number": request.GET.get("numero", "")[:30], "envelope": request.GET.get("enveloppe", "")[:12]}
    form = VoidSheetForm(request.POST or None, budget=budget, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sheet = paper.paper_void(
                agent=_agent(request), envelope=data["envelope"], number=data["number"], reason=data["reason"]
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Bulletin n° %(number)s déclaré nul.") % {"number": sheet.number})
            return redirect("budgets_admin:vote", process_pk=budget.process_id)
    return render(
        request,
        "budgets/vote/paper_void.html",
        {**_common(budget), "form": form},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_POST
def publish(request: HttpRequest, process_pk: int) -> HttpResponse:
    budget = _staff_budget_or_404(request, process_pk)
    if not rules.can_publish_results(request.user, budget):
        raise PermissionDenied
    try:
        results.results_publish(agent=_agent(request), budget=budget)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Les résultats sont publiés."))
    return redirect("budgets_admin:vote", process_pk=budget.process_id)
