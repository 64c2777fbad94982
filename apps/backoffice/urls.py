"""The city's back office (``/gestion/``): every page asks a scoped permission question.
Modules mount their own back-office pages (their manifest's ``backoffice_urls``)."""

from __future__ import annotations

from django.urls import path

from apps.backoffice.views import admin, followup, inbox, processes, roles, styleguide, verification

app_name = "backoffice"

urlpatterns = [
    path("", processes.dashboard, name="dashboard"),
    path("a-faire/", inbox.todo, name="todo"),
    path("recherche/", inbox.search, name="search"),
    path("demarches/nouvelle/", processes.process_create, name="process_create"),
    path("demarches/<int:pk>/modifier/", processes.process_edit, name="process_edit"),
    path("demarches/<int:pk>/engagements/", followup.commitment_list, name="commitments"),
    path("demarches/<int:pk>/engagements/nouveau/", followup.commitment_new, name="commitment_create"),
    path("engagements/<int:pk>/", followup.commitment_detail, name="commitment"),
    path("engagements/<int:pk>/modifier/", followup.commitment_change, name="commitment_edit"),
    path("engagements/<int:pk>/point-etape/", followup.commitment_add_update, name="commitment_update"),
    path("journal/", admin.audit_log, name="audit_log"),
    path("styleguide/", styleguide.styleguide, name="styleguide"),
    path("roles/", roles.role_list, name="roles"),
    path("roles/accorder/", roles.role_grant_view, name="role_grant"),
    path("roles/<int:pk>/retirer/", roles.role_revoke_view, name="role_revoke"),
    path("verification/", verification.account_search, name="verification"),
    path("verification/comptes/<int:pk>/", verification.account_verify, name="verification_person"),
    path("verification/liste-electorale/", verification.census_upload, name="census"),
    path("verification/liste-electorale/<int:pk>/supprimer/", verification.census_remove, name="census_delete"),
]
