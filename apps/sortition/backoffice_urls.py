"""Back-office pages of the sortition module (under /gestion/)."""

from __future__ import annotations

from django.urls import path  # noqa: F401

app_name = "sortition_admin"

urlpatterns: list = []
