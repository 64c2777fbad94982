"""Role management: the assignments of my scope, granting a role, revoking one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.backoffice import access
from apps.backoffice.forms import RoleFilterForm, RoleGrantForm
from apps.backoffice.roles import assignments_in_scope, grantable_scopes, role_grant, role_revoke, scope_label
from apps.core.backoffice_kit import actor, attach_errors, paginate, redirect, render_page, staff_required
from apps.core.models import RoleAssignment
from apps.core.rules_kit import require


def _list_page(request: HttpRequest, status: int = 200, error: str = "") -> HttpResponse:
    form = RoleFilterForm(request.GET or None)
    role = form.cleaned_data.get("role", "") if form.is_valid() else ""
    page = paginate(request, assignments_in_scope(request.user, role), 50)
    rows = [{"assignment": a, "scope": scope_label(a)} for a in page["page_obj"]]
    return render_page(
        request,
        "backoffice/roles.html",
        {**page, "rows": rows, "filter_form": form, "error": error},
        status=status,
    )


@staff_required
def role_list(request: HttpRequest) -> HttpResponse:
    require(access.can_manage_roles(request.user))
    return _list_page(request)


@staff_required
@require_http_methods(["GET", "POST"])
def role_grant_view(request: HttpRequest) -> HttpResponse:
    require(access.can_manage_roles(request.user))
    city_wide, territories, processes = grantable_scopes(request.user)
    form = RoleGrantForm(request.POST or None, city_wide=city_wide, territories=territories, processes=processes)
    if request.method == "POST" and form.is_valid():
        territory, process = form.cleaned_data["scope"]
        person = form.cleaned_data["email"]
        try:
            assignment, created = role_grant(
                actor=actor(request),
                user=person,
                role=form.cleaned_data["role"],
                territory=territory,
                process=process,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            values = {"person": person.display_name, "role": assignment.get_role_display()}
            if created:
                messages.success(request, _("%(person)s est maintenant %(role)s.") % values)
            else:
                messages.info(request, _("%(person)s avait déjà ce rôle (%(role)s) sur ce périmètre.") % values)
            return redirect(reverse("backoffice:roles"))
    status = 400 if request.method == "POST" else 200
    return render_page(request, "backoffice/role_grant.html", {"form": form}, status=status)


@staff_required
@require_POST
def role_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    require(access.can_manage_roles(request.user))
    assignment = get_object_or_404(
        RoleAssignment.objects.select_related("user", "territory", "process", "process__territory"), pk=pk
    )
    require(access.can_revoke_role(request.user, assignment))
    try:
        role_revoke(actor=actor(request), assignment=assignment)
    except ValidationError as error:
        return _list_page(request, status=400, error=" ".join(error.messages))
    messages.success(
        request,
        _("Le rôle %(role)s de %(person)s (%(scope)s) est retiré.")
        % {
            "role": assignment.get_role_display(),
            "person": assignment.user.display_name,
            "scope": scope_label(assignment),
        },
    )
    return redirect(reverse("backoffice:roles"))
