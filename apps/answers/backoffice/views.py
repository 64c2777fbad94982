"""« Délégations de signature »: an administrator lets an agent of their scope sign answers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.answers.delegations import delegations_in_scope, signature_delegation_grant, signature_delegation_revoke
from apps.answers.models import SignatureDelegation
from apps.backoffice import access
from apps.backoffice.forms import SignatureDelegationForm
from apps.backoffice.roles import grantable_scopes
from apps.core.backoffice_kit import actor, attach_errors, paginate, redirect, render_page, staff_required
from apps.core.rules_kit import require


@staff_required
@require_http_methods(["GET", "POST"])
def signature_delegations(request: HttpRequest) -> HttpResponse:
    require(access.can_manage_roles(request.user))
    city_wide, territories, processes = grantable_scopes(request.user)
    form = SignatureDelegationForm(
        request.POST or None, city_wide=city_wide, territories=territories, processes=processes
    )
    if request.method == "POST" and form.is_valid():
        territory, process = form.cleaned_data["scope"]
        person = form.cleaned_data["email"]
        try:
            signature_delegation_grant(
                actor=actor(request),
                user=person,
                title=form.cleaned_data["title"],
                territory=territory,
                process=process,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("%(person)s peut maintenant signer les réponses.") % {"person": person})
            return redirect(reverse("answers_admin:signature_delegations"))
    page = paginate(request, delegations_in_scope(actor(request)).order_by("-created_at", "-pk"), 50)
    status = 400 if request.method == "POST" else 200
    return render_page(request, "backoffice/signature_delegations.html", {**page, "form": form}, status=status)


@staff_required
@require_POST
def signature_delegation_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    require(access.can_manage_roles(request.user))
    delegation = get_object_or_404(SignatureDelegation.objects.select_related("user", "territory", "process"), pk=pk)
    signature_delegation_revoke(actor=actor(request), delegation=delegation)
    messages.success(request, _("La délégation de signature est retirée."))
    return redirect(reverse("answers_admin:signature_delegations"))
