"""Verification at a counter and the census list: an agent finds an account by its address,
checks identity and proof of address and records it; an agent of the whole city uploads the
census list residents check themselves against. Scope rules: apps/accounts/rules.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts import census, rules, verification
from apps.accounts.backoffice_forms import AccountSearchForm, CensusImportForm, CounterVerifyForm
from apps.accounts.models import CensusImport, User, VerificationRecord
from apps.core.backoffice_kit import actor, attach_errors, redirect, render_page, staff_required
from apps.core.rules_kit import require


@staff_required
@require_http_methods(["GET"])
def account_search(request: HttpRequest) -> HttpResponse:
    require(rules.can_verify_residents(request.user))
    form = AccountSearchForm(request.GET or None)
    status = 200
    if form.is_bound:
        if form.is_valid():
            person = User.objects.filter(email__iexact=form.cleaned_data["email"], is_deleted=False).first()
            if person is None:
                form.add_error("email", _("Aucun compte n'utilise cette adresse. La personne peut en créer un."))
            elif person.pk == request.user.pk:
                form.add_error("email", _("Vous ne pouvez pas vérifier votre propre compte."))
            elif not rules.can_verify_person(request.user, person):
                form.add_error(
                    "email",
                    _(
                        "Ce compte est rattaché à un quartier hors de votre périmètre : "
                        "l'accueil de ce quartier ou de la Ville le vérifie."
                    ),
                )
            else:
                return redirect(reverse("backoffice:verification_person", kwargs={"pk": person.pk}))
        status = 400
    return render_page(request, "backoffice/verification.html", {"form": form}, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def account_verify(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User.objects.select_related("home_territory"), pk=pk, is_deleted=False)
    require(rules.can_verify_person(request.user, person))
    quartiers = rules.verifiable_quartiers(request.user)
    initial = {
        "quartier": person.home_territory if person.home_territory_id in {q.pk for q in quartiers} else None,
        "birth_date": person.birth_date,
    }
    form = CounterVerifyForm(request.POST or None, quartiers=quartiers, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            verification.counter_verify(
                agent=actor(request),
                person=person,
                quartier=form.cleaned_data["quartier"],
                birth_date=form.cleaned_data.get("birth_date"),
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Le compte de %(name)s est vérifié.") % {"name": person.display_name})
            return redirect(reverse("backoffice:verification_person", kwargs={"pk": person.pk}))
    records = VerificationRecord.objects.filter(user=person).select_related("territory", "verified_by")[:10]
    status = 400 if request.method == "POST" else 200
    return render_page(
        request,
        "backoffice/verification_person.html",
        {"person": person, "form": form, "records": records},
        status=status,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def census_upload(request: HttpRequest) -> HttpResponse:
    require(rules.can_import_census(request.user))
    cities = rules.census_cities(request.user)
    form = CensusImportForm(request.POST or None, request.FILES or None, cities=cities)
    issues: list[census.CensusIssue] = []
    if request.method == "POST" and form.is_valid():
        try:
            imported = census.census_import(
                actor=actor(request), city=form.cleaned_data["city"], raw=form.cleaned_data["file"].read()
            )
        except census.CensusError as error:
            issues = error.issues
            form.add_error(None, _("Le fichier contient des erreurs : rien n'est importé. Voir la liste ci-dessous."))
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("La liste est importée : %(count)s personnes. Elle sera supprimée le %(date)s.")
                % {"count": imported.row_count, "date": imported.purge_on.strftime("%d/%m/%Y")},
            )
            return redirect(reverse("backoffice:census"))
    imports = CensusImport.objects.filter(city__in=cities).select_related("city", "imported_by")
    status = 400 if request.method == "POST" else 200
    return render_page(
        request, "backoffice/census.html", {"form": form, "issues": issues, "imports": imports}, status=status
    )


@staff_required
@require_POST
def census_remove(request: HttpRequest, pk: int) -> HttpResponse:
    require(rules.can_import_census(request.user))
    imported = get_object_or_404(CensusImport, pk=pk)
    require(rules.census_cities(request.user).filter(pk=imported.city_id).exists())
    census.census_delete(actor=actor(request), census=imported)
    messages.success(request, _("La liste est supprimée."))
    return redirect(reverse("backoffice:census"))
