"""Public pages of the indicators (under ``/indicateurs/``)."""

from __future__ import annotations

from django.urls import path

from apps.indicators import cahier_views, views

app_name = "indicators"

urlpatterns = [
    path("", views.index, name="index"),
    path("demarches/<int:pk>/", views.process_detail, name="process"),
    path("cahiers/", cahier_views.cahier_list, name="cahiers"),
    path("cahiers/<int:pk>/<int:year>/", cahier_views.cahier, name="cahier"),
    path("cahiers/<int:pk>/<int:year>/cahier.pdf", cahier_views.cahier_download, name="cahier_pdf"),
]
