"""Public pages of conseils citoyens and juries."""

from __future__ import annotations

from django.urls import URLPattern, path  # noqa: F401

app_name = "councils"

urlpatterns: list[URLPattern] = []
