"""Pagination shared by the follow-up and back-office lists (elided page range, safe page numbers)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from apps.core.params import parse_page


def paginate(request: HttpRequest, items: QuerySet[Any] | Sequence[Any], per_page: int) -> dict[str, Any]:
    """Context for ``followup/_pagination.html``: any bad ``page`` value falls back to a valid page."""
    paginator = Paginator(items, per_page)
    page: Page[Any] = paginator.get_page(parse_page(request.GET.get("page")))
    return {
        "page_obj": page,
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "ellipsis": Paginator.ELLIPSIS,
    }
