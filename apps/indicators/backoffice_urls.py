"""Back-office pages of the indicators (under ``/gestion/indicateurs/``)."""

from __future__ import annotations

from django.urls import path

from apps.indicators import backoffice_views as views

app_name = "indicators_admin"

urlpatterns = [
    path("", views.index, name="index"),
    path("demarches/<int:pk>/", views.process, name="process"),
    path("population/", views.reference, name="reference"),
    path("seuils/", views.thresholds, name="thresholds"),
]
