"""Back-office pages of the sortition module (under /gestion/)."""

from __future__ import annotations

from django.urls import path

from apps.sortition.views import backoffice as views

app_name = "sortition_admin"

urlpatterns = [
    path("", views.draw_list, name="list"),
    path("nouveau/", views.draw_create, name="create"),
    path("<int:pk>/", views.draw_detail, name="draw"),
    path("<int:pk>/liste/", views.pool_import, name="pool"),
    path("<int:pk>/liste/volontaires/", views.pool_from_volunteers, name="pool_volunteers"),
    path("<int:pk>/calculer/", views.compute, name="compute"),
    path("<int:pk>/graine/", views.announce_seed, name="seed"),
    path("<int:pk>/tirer/", views.final_draw, name="final"),
    path("<int:pk>/membres/<int:member_pk>/etat/", views.member_status, name="member_status"),
    path("<int:pk>/remplacants/", views.alternates, name="alternates"),
    path("<int:pk>/publier/", views.publish, name="publish"),
]
