"""Back-office pages of the agenda (``/gestion/agenda/``)."""

from __future__ import annotations

from django.urls import URLPattern, path

from apps.agenda import backoffice_views as views

app_name = "agenda_admin"

urlpatterns: list[URLPattern] = [
    path("", views.event_list, name="list"),
    path("nouveau/", views.event_create, name="create"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/modifier/", views.event_edit, name="edit"),
    path("<int:pk>/annuler/", views.event_cancel, name="cancel"),
    path("<int:pk>/compte-rendu/", views.minutes, name="minutes"),
    path("<int:pk>/decisions/nouvelle/", views.outcome_create, name="outcome_create"),
    path("<int:pk>/emargement/", views.signin, name="signin"),
]
