"""Public pages of the indicators (under ``/indicateurs/``)."""

from __future__ import annotations

from django.urls import path

from apps.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.index, name="index"),
    path("demarches/<int:pk>/", views.process_detail, name="process"),
]
