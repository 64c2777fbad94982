"""What waits for the agent (« À faire ») and the search across the back office. Both read the
modules' manifests (``todo`` and ``search``), which answer within the person's scope only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from apps.backoffice import selectors
from apps.core.backoffice_kit import render_page, staff_required
from apps.core.registry import SearchHit, search_hits, todo_items

QUERY_MAX = 100  # characters; longer queries are refused with a message, not cut silently


@require_safe
@staff_required
def todo(request: HttpRequest) -> HttpResponse:
    items = todo_items(request.user)
    return render_page(
        request,
        "backoffice/todo.html",
        {
            "items": [{"module": manifest.verbose_name, "item": item} for manifest, item in items],
            "overdue": sum(item.count for _manifest, item in items if item.overdue),
            "today": timezone.localdate(),
        },
    )


@require_safe
@staff_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    error = ""
    groups: list[tuple[str, list[SearchHit]]] = []
    # A NUL byte never gets here: apps.core.params rejects it for the whole site with a 400.
    if len(query) > QUERY_MAX:
        error = _("La recherche doit faire au plus %(max)d caractères.") % {"max": QUERY_MAX}
    elif len(query.strip()) == 1:
        error = _("Tapez au moins deux caractères.")
    elif query.strip():
        processes = selectors.search_processes(request.user, query.strip())
        if processes:
            groups.append((_("Démarches"), processes))
        groups.extend((str(manifest.verbose_name), hits) for manifest, hits in search_hits(request.user, query.strip()))
    return render_page(
        request,
        "backoffice/search.html",
        {
            "query": query,
            "error": error,
            "groups": groups,
            "searched": bool(query.strip()),
        },
        status=400 if error else 200,
    )
