"""Back-office pages of the workshops module (under /gestion/)."""

from __future__ import annotations

from django.urls import path  # noqa: F401

app_name = "workshops_admin"

urlpatterns: list = []
