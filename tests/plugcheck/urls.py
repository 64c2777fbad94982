from __future__ import annotations

from django.urls import path

from tests.plugcheck import views

app_name = "plugcheck"

urlpatterns = [
    path("", views.index, name="index"),
    path("mes-promesses/", views.mine, name="mine"),
]
