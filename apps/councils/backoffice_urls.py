"""Back-office pages of the councils module (under /gestion/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from apps.councils import backoffice_views as views

app_name = "councils_admin"

urlpatterns: list[URLPattern] = [
    path("", views.council_list, name="list"),
    path("nouveau/", views.council_create, name="create"),
    path("<int:pk>/", views.council_detail, name="detail"),
    path("<int:pk>/modifier/", views.council_edit, name="edit"),
    path("<int:pk>/membres/ajouter/", views.member_add, name="member_add"),
    path("<int:pk>/membres/importer/", views.member_import, name="member_import"),
    path("<int:pk>/renouvellement/", views.renewal, name="renewal"),
    path("<int:pk>/reunions/nouvelle/", views.meeting_create, name="meeting_create"),
    path("<int:pk>/decisions/nouvelle/", views.decision_create, name="decision_create"),
    path("membres/<int:pk>/fin/", views.member_end, name="member_end"),
    path("membres/<int:pk>/demission/", views.member_resign, name="member_resign"),
    path("reunions/<int:pk>/", views.meeting_edit, name="meeting_edit"),
    path("reunions/<int:pk>/presences/", views.attendance, name="attendance"),
    path("decisions/<int:pk>/", views.decision_edit, name="decision_edit"),
    path("decisions/<int:pk>/engagement/", views.decision_commit, name="decision_commit"),
]
