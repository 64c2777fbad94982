"""Inbox, mark as read, follow and stop following. Views parse, call one service, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from apps.core.http import safe_next_url
from apps.core.params import parse_id, parse_page
from apps.core.ratelimits import ratelimit
from apps.notifications import selectors, services
from apps.notifications.targets import can_follow, resolve_target

PAGE_SIZE = 20


@require_GET
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(selectors.inbox(request.user), PAGE_SIZE)  # type: ignore[arg-type]
    page = paginator.get_page(parse_page(request.GET.get("page")))
    context = {
        "page": page,
        "unread": selectors.unread_count(request.user),  # type: ignore[arg-type]
    }
    return render(request, "notifications/inbox.html", context)


@require_POST
@login_required
def mark_read(request: HttpRequest) -> HttpResponse:
    raw_id = request.POST.get("id", "")
    notification_id = parse_id(raw_id)
    if raw_id and notification_id is None:
        raise Http404
    services.mark_read(user=request.user, notification_id=notification_id)  # type: ignore[arg-type]
    return redirect(safe_next_url(request, reverse("notifications:inbox")))


def _toggle(request: HttpRequest, *, following: bool) -> HttpResponse:
    target = resolve_target(request.POST.get("kind", ""), request.POST.get("id", ""))
    if target is None:
        raise Http404
    if not can_follow(request.user, target):
        raise PermissionDenied
    if following:
        services.follow(user=request.user, target=target)  # type: ignore[arg-type]
    else:
        services.unfollow(user=request.user, target=target)  # type: ignore[arg-type]
    next_url = safe_next_url(request, target.get_absolute_url())
    if request.headers.get("HX-Request"):
        context = selectors.follow_button_context(request.user, target, next_url=next_url)
        return render(request, "notifications/_follow_button.html", context)
    return redirect(next_url)


@require_POST
@login_required
@ratelimit(key="user", rate="60/m", method="POST", block=True)
def follow(request: HttpRequest) -> HttpResponse:
    return _toggle(request, following=True)


@require_POST
@login_required
@ratelimit(key="user", rate="60/m", method="POST", block=True)
def unfollow(request: HttpRequest) -> HttpResponse:
    return _toggle(request, following=False)
