"""Public, personal and back-office pages of the test module."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from apps.core.backoffice_kit import process_or_404, staff_required
from apps.core.rules_kit import require
from tests.plugcheck import rules
from tests.plugcheck.models import Pledge


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    count = Pledge.objects.filter(process__is_published=True).count()
    return render(request, "plugcheck/index.html", {"count": count})


@require_safe
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    pledges = Pledge.objects.filter(author=request.user).select_related("process")
    return render(request, "plugcheck/mine.html", {"pledges": pledges})


@require_safe
@staff_required
def backoffice_index(request: HttpRequest) -> HttpResponse:
    require(rules.can_use_backoffice(request.user))
    return render(request, "plugcheck/backoffice_index.html")


@require_safe
@staff_required
def backoffice_process(request: HttpRequest, pk: int) -> HttpResponse:
    process = process_or_404(pk)
    require(rules.can_see_process_pledges(request.user, process))
    pledges = Pledge.objects.filter(process=process)
    return render(request, "plugcheck/backoffice_process.html", {"process": process, "pledges": pledges})
