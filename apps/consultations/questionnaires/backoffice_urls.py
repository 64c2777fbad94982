"""Back-office pages of the consultations module (under /gestion/consultations/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from apps.consultations.questionnaires import backoffice_views as views
from apps.consultations.questionnaires import editing_views

app_name = "consultations_admin"

urlpatterns: list[URLPattern] = [
    path("questionnaires/", views.questionnaire_list, name="questionnaires"),
    path("questionnaires/<int:pk>/", views.questionnaire_detail, name="questionnaire"),
    path("questionnaires/<int:pk>/questions/", views.question_add, name="question_add"),
    path("questionnaires/<int:pk>/sites/", views.site_add, name="site_add"),
    path("questionnaires/<int:pk>/papier/", views.paper_entry, name="paper"),
    path("questionnaires/<int:pk>/export.csv", views.answers_export, name="export"),
    path("questionnaires/questions/<int:pk>/", editing_views.question_edit, name="question_edit"),
    path("questionnaires/questions/<int:pk>/deplacer/", editing_views.question_move, name="question_move"),
    path("questionnaires/questions/<int:pk>/supprimer/", editing_views.question_delete, name="question_delete"),
    path(
        "questionnaires/questions/<int:pk>/reponses/<int:index>/deplacer/",
        editing_views.option_move,
        name="option_move",
    ),
]
