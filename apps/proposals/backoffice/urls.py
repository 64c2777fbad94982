"""Back-office pages of proposals, mounted under ``/gestion/`` (the same URLs as before they
moved here from ``apps.backoffice``)."""

from __future__ import annotations

from django.urls import path

from apps.proposals.backoffice import views

app_name = "proposals_admin"

urlpatterns = [
    path("demarches/<int:pk>/instruction/", views.instruction_list, name="instruction"),
    path("demarches/<int:pk>/instruction/actions/", views.instruction_bulk, name="instruction_bulk"),
    path("demarches/<int:pk>/contribution-papier/", views.paper_entry, name="paper_entry"),
    path("demarches/<int:pk>/reponses-a-signer/", views.answers_to_sign_view, name="answers_to_sign"),
    path("demarches/<int:pk>/courriers/", views.paper_letters, name="paper_letters"),
    path("propositions/<int:pk>/", views.proposal_detail, name="proposal"),
    path("propositions/<int:pk>/note/", views.proposal_note, name="proposal_note"),
    path("propositions/<int:pk>/service/", views.proposal_assign, name="proposal_assign"),
    path("propositions/<int:pk>/etude/", views.proposal_study, name="proposal_study"),
    path("propositions/<int:pk>/reponse/", views.proposal_answer_view, name="proposal_answer"),
    path("propositions/<int:pk>/reponse/apercu/", views.proposal_answer_preview, name="proposal_answer_preview"),
    path("propositions/<int:pk>/lettre.pdf", views.paper_letter_pdf, name="paper_letter_pdf"),
    path("propositions/<int:pk>/lettre/envoyee/", views.paper_letter_sent_view, name="paper_letter_sent"),
    path("modeles-de-reponse/", views.answer_templates, name="answer_templates"),
    path("modeles-de-reponse/nouveau/", views.answer_template_edit, name="answer_template_create"),
    path("modeles-de-reponse/<int:pk>/", views.answer_template_edit, name="answer_template_edit"),
]
