"""Back-office pages of the workshops module (under ``/gestion/ateliers/``)."""

from __future__ import annotations

from django.urls import path

from apps.workshops import backoffice_views as views
from apps.workshops import evaluation_backoffice

app_name = "workshops_admin"

urlpatterns = [
    path("", views.workshop_list, name="list"),
    path("nouveau/", views.workshop_create, name="create"),
    path("<int:pk>/", views.workshop_edit, name="edit"),
    path("<int:pk>/publier/", views.mandate_publish, name="publish"),
    path("<int:pk>/panel/", views.panel, name="panel"),
    path("<int:pk>/panel/ajouter/", views.member_add, name="member_add"),
    path("<int:pk>/panel/importer/", views.panel_import, name="panel_import"),
    path("<int:pk>/seances/", views.sessions, name="sessions"),
    path("<int:pk>/presences/", views.attendance, name="attendance"),
    path("<int:pk>/avis/", views.opinion, name="opinion"),
    path("<int:pk>/avis/recommandations/", views.recommendation_add, name="recommendation_add"),
    path("<int:pk>/avis/etape/", views.opinion_step, name="opinion_step"),
    path("<int:pk>/evaluation/", evaluation_backoffice.evaluation, name="evaluation"),
    path("<int:pk>/evaluation/preuves/", evaluation_backoffice.evidence_add, name="evidence_add"),
    path("preuves/<int:pk>/retirer/", evaluation_backoffice.evidence_remove, name="evidence_remove"),
    path("membres/<int:pk>/statut/", views.member_status, name="member_status"),
    path("membres/<int:pk>/attestation/", views.member_attestation, name="member_attestation"),
    path("seances/<int:pk>/", views.session_edit, name="session"),
    path("seances/<int:pk>/documents/", views.document_add, name="document_add"),
    path("recommandations/<int:pk>/reponse/", views.answer, name="answer"),
    path("recommandations/<int:pk>/reponse/signer/", views.answer_sign, name="answer_sign"),
]
