"""Public follow-up (``/suivi/``)."""

from __future__ import annotations

from django.urls import path

from apps.followup import views

app_name = "followup"

urlpatterns = [
    path("", views.index, name="index"),
    path("d/<slug:slug>/", views.process, name="process"),
    path("d/<slug:slug>/chronologie/", views.timeline, name="timeline"),
    path("engagements/<int:pk>/", views.commitment, name="commitment"),
]
