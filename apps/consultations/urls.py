"""Public pages of the consultations module."""

from __future__ import annotations

from django.urls import path

from apps.consultations import views
from apps.consultations.questionnaires import views as questionnaire_views
from apps.consultations.synthesis import views as synthesis_views

app_name = "consultations"

urlpatterns = [
    path("<int:pk>/", views.conversation_detail, name="conversation"),
    path("<int:pk>/affirmations/nouvelle/", views.statement_create, name="statement_create"),
    path("affirmations/<int:pk>/vote/", views.vote, name="vote"),
    path("<int:pk>/carte/", views.opinion_map, name="map"),
    path("questionnaires/<int:pk>/", questionnaire_views.questionnaire_answer, name="questionnaire"),
    path(
        "questionnaires/<int:pk>/resultats/",
        questionnaire_views.questionnaire_results,
        name="questionnaire_results",
    ),
    path("questionnaires/sites/<int:pk>/saisie/", questionnaire_views.site_entry, name="site_entry"),
    path("syntheses/<int:pk>/", synthesis_views.synthesis_detail, name="synthesis"),
    path("questionnaires/sites/<int:pk>/tables/", questionnaire_views.site_tables, name="site_tables"),
]
