"""URL names fixed by docs/CONTRACT.md ("notifications")."""

from __future__ import annotations

from django.urls import path

from apps.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("lu/", views.mark_read, name="mark_read"),
    path("suivre/", views.follow, name="follow"),
    path("ne-plus-suivre/", views.unfollow, name="unfollow"),
]
