"""Back-office pages of the indicators (under ``/gestion/indicateurs/``)."""

from __future__ import annotations

from django.urls import path

from apps.indicators import backoffice_views as views
from apps.indicators import structures

app_name = "indicators_admin"

urlpatterns = [
    path("", views.index, name="index"),
    path("demarches/<int:pk>/", views.process, name="process"),
    path("population/", views.reference, name="reference"),
    path("seuils/", views.thresholds, name="thresholds"),
    path("catalogue/", structures.catalogue, name="catalogue"),
    path("structures/", structures.structures, name="structures"),
    path("structures/<int:pk>/", structures.structure, name="structure"),
]
