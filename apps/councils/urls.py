"""Public pages of conseils citoyens and juries."""

from __future__ import annotations

from django.urls import URLPattern, path

from apps.councils import views

app_name = "councils"

urlpatterns: list[URLPattern] = [
    path("", views.council_list, name="list"),
    path("<slug:slug>/", views.council_detail, name="detail"),
    path("<slug:slug>/reunions/<int:pk>/", views.meeting_detail, name="meeting"),
    path("<slug:slug>/attestation/<int:pk>/", views.attestation, name="attestation"),
]
