"""The city's back office (``/gestion/``): every page asks a scoped permission question."""

from __future__ import annotations

from django.urls import path

from apps.backoffice.views import admin, followup, instruction, processes, roles, signatures, verification

app_name = "backoffice"

urlpatterns = [
    path("", processes.dashboard, name="dashboard"),
    path("demarches/nouvelle/", processes.process_create, name="process_create"),
    path("demarches/<int:pk>/modifier/", processes.process_edit, name="process_edit"),
    path("demarches/<int:pk>/instruction/", instruction.instruction_list, name="instruction"),
    path("demarches/<int:pk>/instruction/actions/", instruction.instruction_bulk, name="instruction_bulk"),
    path("demarches/<int:pk>/contribution-papier/", instruction.paper_entry, name="paper_entry"),
    path("demarches/<int:pk>/engagements/", followup.commitment_list, name="commitments"),
    path("demarches/<int:pk>/engagements/nouveau/", followup.commitment_new, name="commitment_create"),
    path("propositions/<int:pk>/", instruction.proposal_detail, name="proposal"),
    path("propositions/<int:pk>/note/", instruction.proposal_note, name="proposal_note"),
    path("propositions/<int:pk>/service/", instruction.proposal_assign, name="proposal_assign"),
    path("propositions/<int:pk>/etude/", instruction.proposal_study, name="proposal_study"),
    path("propositions/<int:pk>/reponse/", instruction.proposal_answer_view, name="proposal_answer"),
    path("propositions/<int:pk>/reponse/apercu/", instruction.proposal_answer_preview, name="proposal_answer_preview"),
    path("propositions/<int:pk>/lettre.pdf", instruction.paper_letter_pdf, name="paper_letter_pdf"),
    path("propositions/<int:pk>/lettre/envoyee/", instruction.paper_letter_sent_view, name="paper_letter_sent"),
    path("demarches/<int:pk>/reponses-a-signer/", instruction.answers_to_sign_view, name="answers_to_sign"),
    path("demarches/<int:pk>/courriers/", instruction.paper_letters, name="paper_letters"),
    path("engagements/<int:pk>/", followup.commitment_detail, name="commitment"),
    path("engagements/<int:pk>/modifier/", followup.commitment_change, name="commitment_edit"),
    path("engagements/<int:pk>/point-etape/", followup.commitment_add_update, name="commitment_update"),
    path("modeles-de-reponse/", admin.answer_templates, name="answer_templates"),
    path("modeles-de-reponse/nouveau/", admin.answer_template_edit, name="answer_template_create"),
    path("modeles-de-reponse/<int:pk>/", admin.answer_template_edit, name="answer_template_edit"),
    path("journal/", admin.audit_log, name="audit_log"),
    path("roles/", roles.role_list, name="roles"),
    path("roles/accorder/", roles.role_grant_view, name="role_grant"),
    path("roles/<int:pk>/retirer/", roles.role_revoke_view, name="role_revoke"),
    path("verification/", verification.account_search, name="verification"),
    path("verification/comptes/<int:pk>/", verification.account_verify, name="verification_person"),
    path("verification/liste-electorale/", verification.census_upload, name="census"),
    path("verification/liste-electorale/<int:pk>/supprimer/", verification.census_remove, name="census_delete"),
    path("delegations-de-signature/", signatures.signature_delegations, name="signature_delegations"),
    path(
        "delegations-de-signature/<int:pk>/retirer/",
        signatures.signature_delegation_revoke_view,
        name="signature_delegation_revoke",
    ),
]
