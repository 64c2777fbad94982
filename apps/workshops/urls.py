"""Public pages of the workshops module (``/ateliers/``) and the panel members' space."""

from __future__ import annotations

from django.urls import path

from apps.workshops import evaluation_views, views

app_name = "workshops"

urlpatterns = [
    path("", views.workshop_list, name="list"),
    path("rejoindre/<str:token>/", views.claim, name="claim"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("preuves/<int:pk>/", evaluation_views.evidence, name="evidence"),
    path("<slug:slug>/", views.workshop_detail, name="detail"),
    path("<slug:slug>/candidater/", views.apply, name="apply"),
    path("<slug:slug>/mon-espace/", views.member_space, name="member"),
    path("<slug:slug>/attestation/", views.attestation, name="attestation"),
    path("<slug:slug>/cahier/", evaluation_views.cahier, name="cahier"),
    path("<slug:slug>/cahier.pdf", evaluation_views.cahier_download, name="cahier_pdf"),
    path("<slug:slug>/vote/", views.vote, name="vote"),
    path("<slug:slug>/recommandations/<int:number>/", views.recommendation_detail, name="recommendation"),
    path("<slug:slug>/recommandations/<int:number>/modifier/", views.recommendation_edit, name="recommendation_edit"),
]
