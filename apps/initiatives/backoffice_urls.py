"""Back-office URLs of the initiatives module (under /gestion/initiatives/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from apps.initiatives import backoffice_directory, closing_views
from apps.initiatives import backoffice_views as views

app_name = "initiatives_admin"

urlpatterns: list[URLPattern] = [
    path("", views.queue, name="queue"),
    path("recue/", views.file_for, name="file"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/decision/", views.decide, name="decide"),
    path("appels/", views.calls, name="calls"),
    path("appels/nouveau/", views.call_create, name="call_create"),
    path("appels/<int:pk>/", views.call_detail, name="call"),
    path("ressources/", views.resources, name="resources"),
    path("matchfunding/", views.reconcile, name="reconcile"),
    path("annuaire/", backoffice_directory.actors, name="actors"),
    path("annuaire/messages-signales/", backoffice_directory.reported_messages, name="actor_messages"),
    path("<int:pk>/bilan/", closing_views.report_review, name="report"),
    path("appels/<int:pk>/sessions/", closing_views.call_sessions, name="sessions"),
    path("appels/sessions/<int:pk>/", closing_views.session_detail, name="session"),
    path("appels/sessions/<int:pk>/modifier/", closing_views.session_edit, name="session_edit"),
]
