"""Public pages of petitions and agoras éphémères."""

from __future__ import annotations

from django.urls import URLPattern, path

from apps.petitions import views

app_name = "petitions"

urlpatterns: list[URLPattern] = [
    path("", views.petition_list, name="list"),
    path("nouvelle/", views.petition_create, name="create"),
    path("<int:pk>/", views.petition_detail, name="detail"),
    path("<int:pk>/signer/", views.petition_sign, name="sign"),
    path("<int:pk>/comite/<str:token>/", views.committee_join, name="join"),
    path("agoras/", views.agora_list, name="agora_list"),
    path("agoras/<int:pk>/", views.agora_detail, name="agora"),
]
