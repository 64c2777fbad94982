"""Back-office pages of the budgets module (under /gestion/)."""

from __future__ import annotations

from django.urls import path  # noqa: F401

app_name = "budgets_admin"

urlpatterns: list = []
