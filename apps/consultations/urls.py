"""Public pages of the consultations module."""

from __future__ import annotations

from django.urls import path

from apps.consultations import views

app_name = "consultations"

urlpatterns = [
    path("<int:pk>/", views.conversation_detail, name="conversation"),
    path("<int:pk>/affirmations/nouvelle/", views.statement_create, name="statement_create"),
    path("affirmations/<int:pk>/vote/", views.vote, name="vote"),
    path("<int:pk>/carte/", views.opinion_map, name="map"),
]
