"""Routes of the budgets' projects part: ``public`` under /budgets/, ``backoffice`` under /gestion/budgets/."""

from __future__ import annotations

from django.urls import URLPattern, path  # noqa: F401

public: list[URLPattern] = []
backoffice: list[URLPattern] = []
