"""URL names fixed by docs/CONTRACT.md ("accounts")."""

from __future__ import annotations

from django.urls import path

from apps.accounts import verification_views, views

app_name = "accounts"

urlpatterns = [
    path("inscription/", views.signup, name="signup"),
    path("connexion/", views.login_view, name="login"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("lien-de-connexion/", views.magic_link, name="magic_link"),
    path("lien-de-connexion/ouvrir/", views.magic_login, name="magic_login"),
    path("mot-de-passe/", views.password_reset, name="password_reset"),
    path("mot-de-passe/envoye/", views.password_reset_done, name="password_reset_done"),
    path("mot-de-passe/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("mot-de-passe/termine/", views.password_reset_complete, name="password_reset_complete"),
    path("mon-espace/", views.dashboard, name="dashboard"),
    path("profil/", views.profile, name="profile"),
    path("mes-donnees/", views.export, name="export"),
    path("supprimer/", views.delete, name="delete"),
    path("confirmer/", verification_views.confirm_email, name="confirm_email"),
    path("confirmer/renvoyer/", verification_views.resend_confirmation, name="resend_confirmation"),
    path("verifier-mon-adresse/", verification_views.census_check, name="census_check"),
]
