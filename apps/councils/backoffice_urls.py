"""Back-office pages of the councils module (under /gestion/)."""

from __future__ import annotations

from django.urls import path  # noqa: F401

app_name = "councils_admin"

urlpatterns: list = []
