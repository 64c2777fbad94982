"""Back-office pages of answers (under ``/gestion/``): signature delegations."""

from __future__ import annotations

from django.urls import path

from apps.answers.backoffice import views

app_name = "answers_admin"

urlpatterns = [
    path("delegations-de-signature/", views.signature_delegations, name="signature_delegations"),
    path(
        "delegations-de-signature/<int:pk>/retirer/",
        views.signature_delegation_revoke_view,
        name="signature_delegation_revoke",
    ),
]
