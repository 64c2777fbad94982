"""Routes of the budgets' voting part: ``public`` under /budgets/ (namespace ``budgets``),
``backoffice`` under /gestion/budgets/ (namespace ``budgets_admin``)."""

from __future__ import annotations

from django.urls import URLPattern, path

from apps.budgets.voting import views

public: list[URLPattern] = [
    path("<slug:slug>/vote/", views.vote_home, name="vote"),
    path("<slug:slug>/vote/<int:envelope_pk>/", views.ballot, name="ballot"),
    path("<slug:slug>/vote/<int:envelope_pk>/recu/", views.receipt, name="receipt"),
    path("<slug:slug>/verifier-un-recu/", views.receipt_check, name="receipt_check"),
    path("<slug:slug>/resultats/", views.results_page, name="results"),
    path("<slug:slug>/resultats/resultats.<str:fmt>", views.results_export, name="results_export"),
    path("<slug:slug>/resultats/enveloppe-<int:envelope_pk>.pb", views.results_pabulib, name="results_pabulib"),
]

backoffice: list[URLPattern] = [
    path("<int:process_pk>/vote/", views.admin_vote, name="vote"),
    path("<int:process_pk>/vote/publier/", views.publish, name="results_publish"),
    path("<int:process_pk>/vote/bulletin-nul/", views.paper_void, name="paper_void"),
    path("enveloppes/<int:envelope_pk>/bulletin-papier/", views.paper_new, name="paper_new"),
    path("bulletins-papier/<int:pk>/seconde-saisie/", views.paper_second, name="paper_second"),
    path("bulletins-papier/<int:pk>/arbitrage/", views.paper_resolve, name="paper_resolve"),
]
