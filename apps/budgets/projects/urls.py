"""Routes of the budgets' projects part: ``public`` under /budgets/, ``backoffice`` under /gestion/budgets/."""

from __future__ import annotations

from django.urls import URLPattern, path

from apps.budgets.projects import admin_views, views

public: list[URLPattern] = [
    path("projets/<int:pk>/", views.project_detail, name="project"),
    path("projets/<int:pk>/modifier/", views.project_edit, name="project_edit"),
    path("projets/<int:pk>/commenter/", views.project_comment, name="project_comment"),
    path("projets/<int:pk>/inviter/", views.project_invite, name="project_invite"),
    path("projets/<int:pk>/invitation/accepter/", views.invitation_accept, name="invitation_accept"),
    path("projets/<int:pk>/invitation/decliner/", views.invitation_decline, name="invitation_decline"),
    path("projets/commentaires/<int:pk>/signaler/", views.comment_report, name="comment_report"),
    path("projets/commentaires/<int:pk>/masquer/", views.comment_hide, name="comment_hide"),
    path("projets/commentaires/<int:pk>/afficher/", views.comment_unhide, name="comment_unhide"),
    path("<slug:slug>/", views.budget_detail, name="detail"),
    path("<slug:slug>/enveloppes/", views.budget_envelopes, name="envelopes"),
    path("<slug:slug>/projets/", views.project_list, name="projects"),
    path("<slug:slug>/projets/nouveau/", views.project_create, name="project_create"),
]
backoffice: list[URLPattern] = [
    path("demarches/<int:pk>/", admin_views.budget_config, name="config"),
    path("demarches/<int:pk>/enveloppes/calculer/", admin_views.envelopes_recompute, name="envelopes_recompute"),
    path("demarches/<int:pk>/analyse/", admin_views.analysis_list, name="analysis"),
    path("demarches/<int:pk>/analyse/actions/", admin_views.analysis_bulk, name="analysis_bulk"),
    path("demarches/<int:pk>/numeros/", admin_views.ballot_numbers, name="ballot_numbers"),
    path("demarches/<int:pk>/realisation/", admin_views.realisation, name="realisation"),
    path("projets/<int:pk>/", admin_views.project_analysis, name="project"),
    path("projets/<int:pk>/fusionner/", admin_views.project_merge, name="project_merge"),
]
