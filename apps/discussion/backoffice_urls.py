"""The moderation queue, mounted under ``/gestion/moderation/``."""

from __future__ import annotations

from django.urls import path

from apps.discussion import backoffice_views as views

app_name = "discussion"

urlpatterns = [
    path("", views.moderation, name="moderation"),
    path("commentaires/<int:pk>/masquer/", views.moderation_hide, name="comment_hide"),
    path("commentaires/<int:pk>/classer/", views.moderation_dismiss, name="report_dismiss"),
]
