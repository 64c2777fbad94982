"""Public pages of the neighbourhood agenda (``/agenda/``)."""

from __future__ import annotations

from django.urls import URLPattern, path

from apps.agenda import views

app_name = "agenda"

urlpatterns: list[URLPattern] = [
    path("", views.agenda, name="list"),
    path("quartier/<slug:slug>/", views.quartier_agenda, name="quartier"),
    path("quartier/<slug:slug>/agenda.ics", views.quartier_feed, name="quartier_feed"),
    path("demarche/<slug:slug>/", views.process_agenda, name="process"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/inscription/", views.event_register, name="register"),
    path("<int:pk>/desinscription/", views.registration_cancel, name="unregister"),
    path("<int:pk>/sujets/", views.item_propose, name="item_propose"),
    path("sujets/<int:pk>/soutien/", views.item_support, name="item_support"),
    path("<int:pk>/commenter/", views.event_comment, name="comment"),
    path("commentaires/<int:pk>/signaler/", views.comment_report, name="comment_report"),
    path("commentaires/<int:pk>/masquer/", views.comment_hide, name="comment_hide"),
    path("commentaires/<int:pk>/afficher/", views.comment_unhide, name="comment_unhide"),
    path("mon-agenda/", views.my_agenda, name="mine"),
    path("mon-agenda/abonnement/", views.feed_renew, name="feed_renew"),
    path("mon-agenda/abonnement/supprimer/", views.feed_revoke, name="feed_revoke"),
    path("flux/<str:token>.ics", views.personal_feed, name="personal_feed"),
]
