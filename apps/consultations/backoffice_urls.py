"""Back-office pages of the consultations module (under /gestion/consultations/): the
questionnaires' (their own file), the moderation of statements and the syntheses."""

from __future__ import annotations

from django.urls import URLPattern, path

from apps.consultations import backoffice_views as views
from apps.consultations.questionnaires import backoffice_urls as questionnaires

app_name = "consultations_admin"

urlpatterns: list[URLPattern] = [
    *questionnaires.urlpatterns,
    path("moderation/", views.moderation_queue, name="moderation"),
    path("moderation/conversations/<int:pk>/", views.moderation_mode, name="moderation_mode"),
    path("syntheses/", views.synthesis_list, name="syntheses"),
    path("syntheses/<int:pk>/", views.synthesis_detail, name="synthesis"),
    path("syntheses/<int:pk>/fusion/", views.themes_merge, name="synthesis_merge"),
    path("syntheses/<int:pk>/publier/", views.synthesis_publish, name="synthesis_publish"),
    path("syntheses/themes/<int:pk>/", views.theme_edit, name="theme_edit"),
]
