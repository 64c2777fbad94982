"""Public pages of the answers primitive (``/reponses/``): the trust barometer."""

from __future__ import annotations

from django.urls import path

from apps.answers import barometer_views

app_name = "answers"

urlpatterns = [
    path("<int:pk>/barometre/", barometer_views.reply, name="barometer"),
]
