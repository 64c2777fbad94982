from __future__ import annotations

from django.urls import path

from apps.core.placeholder import placeholder

app_name = "accounts"

urlpatterns = [
    path("login/", placeholder, name="login"),
    path("logout/", placeholder, name="logout"),
    path("signup/", placeholder, name="signup"),
    path("dashboard/", placeholder, name="dashboard"),
]
