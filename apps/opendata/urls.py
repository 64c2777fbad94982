"""URL names fixed by docs/CONTRACT.md ("opendata")."""

from __future__ import annotations

from django.urls import path

from apps.opendata import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("export/<slug:name>.<str:fmt>", views.export, name="export"),
    path("d/<slug:slug>/<slug:name>.<str:fmt>", views.process_export, name="process_export"),
]
