from __future__ import annotations

from django.urls import path

from apps.core.placeholder import placeholder

app_name = "notifications"

urlpatterns = [
    path("inbox/", placeholder, name="inbox"),
]
