"""Back-office pages of petitions and agoras éphémères (under /gestion/petitions/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from apps.petitions import backoffice_views as views

app_name = "petitions_admin"

urlpatterns: list[URLPattern] = [
    path("", views.petition_list, name="list"),
    path("regles/", views.rule_list, name="rules"),
    path("<int:pk>/", views.petition_detail, name="detail"),
    path("<int:pk>/moderation/", views.petition_moderate, name="moderate"),
    path("<int:pk>/signature-papier/", views.paper_signature, name="paper"),
    path("<int:pk>/reponse/", views.petition_answer, name="answer"),
    path("agoras/nouvelle/", views.agora_create, name="agora_create"),
    path("agoras/<int:pk>/", views.agora_detail, name="agora"),
    path("agoras/<int:pk>/parties-prenantes/", views.stakeholder_add, name="stakeholder_add"),
    path("agoras/parties-prenantes/<int:pk>/inviter/", views.stakeholder_invite, name="stakeholder_invite"),
    path("agoras/<int:pk>/seances/", views.sitting_add, name="sitting_add"),
    path("agoras/<int:pk>/actions/", views.action_add, name="action_add"),
    path("agoras/<int:pk>/cloture/", views.agora_close, name="agora_close"),
    path("agoras/seances/<int:pk>/compte-rendu/", views.sitting_minutes, name="minutes"),
]
