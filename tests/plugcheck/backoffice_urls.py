from __future__ import annotations

from django.urls import path

from tests.plugcheck import views

app_name = "plugcheck_admin"

urlpatterns = [
    path("", views.backoffice_index, name="index"),
    path("demarches/<int:pk>/", views.backoffice_process, name="process"),
]
