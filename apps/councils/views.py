"""Public pages of conseils citoyens and juries, and the members' attestation of participation."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from apps.core.backoffice_kit import paginate
from apps.core.pdf import pdf_download
from apps.councils import rules, selectors
from apps.councils.attestation import membership_attestation
from apps.councils.models import Council, Membership

PAGE_SIZE = 20


def _council_or_404(request: HttpRequest, slug: str) -> Council:
    council = selectors.council_by_slug(slug, request.user)
    if council is None:
        raise Http404
    return council


@require_GET
def council_list(request: HttpRequest) -> HttpResponse:
    return render(request, "councils/list.html", paginate(request, selectors.published_councils(), PAGE_SIZE))


@require_GET
def council_detail(request: HttpRequest, slug: str) -> HttpResponse:
    council = _council_or_404(request, slug)
    return render(
        request,
        "councils/detail.html",
        {
            "council": council,
            "colleges": selectors.composition(council),
            "next_renewal": selectors.next_renewal(council),
            "renewals": list(council.renewals.all()[:5]),
            "meetings": list(selectors.public_meetings(council)[:50]),
            "decisions": list(selectors.public_decisions(council)[:50]),
            "my_memberships": selectors.my_memberships(council, request.user),
            "can_manage": rules.can_read_council_backoffice(request.user, council),
        },
    )


@require_GET
def meeting_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    council = _council_or_404(request, slug)
    meeting = selectors.meeting_of(council, pk)
    if meeting is None or not rules.can_view_meeting(request.user, council, meeting):
        raise Http404
    decisions = [d for d in meeting.council_decisions.all() if rules.can_view_decision(request.user, d)]
    return render(request, "councils/meeting.html", {"council": council, "meeting": meeting, "decisions": decisions})


@require_GET
def attestation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    membership = (
        Membership.objects.select_related("council__territory__parent__parent", "user")
        .filter(pk=pk, council__slug=slug)
        .first()
    )
    if membership is None:
        raise Http404
    if not rules.can_download_attestation(request.user, membership):
        raise PermissionDenied
    pdf = membership_attestation(membership)
    name = slugify(f"attestation-{membership.council.slug}-{membership.pk}")
    return pdf_download(pdf, f"{name}.pdf", cache_control="private, no-store")
