"""URL names fixed by docs/CONTRACT.md ("proposals")."""

from __future__ import annotations

from django.urls import path

from apps.proposals import views

app_name = "proposals"

urlpatterns = [
    path("d/<slug:process_slug>/", views.proposal_list, name="list"),
    path("d/<slug:process_slug>/carte/", views.proposal_map, name="map"),
    path("d/<slug:process_slug>/nouvelle/", views.proposal_create, name="create"),
    path("d/<slug:process_slug>/similaires/", views.proposal_similar, name="similar"),
    path("<int:pk>/", views.proposal_detail, name="detail"),
    path("<int:pk>/modifier/", views.proposal_edit, name="edit"),
    path("<int:pk>/retirer/", views.proposal_withdraw, name="withdraw"),
    path("<int:pk>/soutenir/", views.proposal_support, name="support"),
    path("<int:pk>/retirer-soutien/", views.proposal_unsupport, name="unsupport"),
    path("<int:pk>/commenter/", views.comment_create, name="comment"),
    path("commentaires/<int:pk>/signaler/", views.comment_report, name="comment_report"),
    path("commentaires/<int:pk>/masquer/", views.comment_hide, name="comment_hide"),
    path("commentaires/<int:pk>/afficher/", views.comment_unhide, name="comment_unhide"),
]
