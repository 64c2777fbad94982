"""Public URLs of the initiatives module (under /initiatives/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from apps.initiatives import closing_views, community_views, directory_views, showcase_views, views

app_name = "initiatives"

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("deposer/", views.file, name="file"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/promesse/", views.pledge, name="pledge"),
    path("appels/<slug:slug>/", views.call, name="call"),
    path("ressources/", views.resources, name="resources"),
    path("recits/", community_views.stories, name="stories"),
    path("bilan/", community_views.review, name="review"),
    path("<int:pk>/rejoindre/", community_views.join, name="join"),
    path("<int:pk>/temps/", community_views.time_given, name="time"),
    path("<int:pk>/attestation/", community_views.attestation, name="attestation"),
    path("<int:pk>/recit/", community_views.story, name="story"),
    path("<int:pk>/coporteur/", community_views.co_holder, name="co_holder"),
    path("carte/", showcase_views.initiative_map, name="map"),
    path("portes-ouvertes/", showcase_views.open_door_list, name="open_doors"),
    path("portes-ouvertes.ics", showcase_views.open_door_feed, name="open_doors_feed"),
    path("portes-ouvertes/<int:pk>/annuler/", showcase_views.open_door_cancel, name="open_door_cancel"),
    path("<int:pk>/portes-ouvertes/", showcase_views.open_door_announce, name="open_door_announce"),
    path("acteurs/", directory_views.actors, name="actors"),
    path("acteurs/moi/", directory_views.my_entry, name="my_entry"),
    path("acteurs/moi/retirer/", directory_views.my_entry_withdraw, name="my_entry_withdraw"),
    path("acteurs/proposer/", directory_views.propose, name="actor_propose"),
    path("acteurs/<int:pk>/", directory_views.actor, name="actor"),
    path("acteurs/<int:pk>/ecrire/", directory_views.contact, name="actor_contact"),
    path("acteurs/messages/<int:pk>/", directory_views.message, name="actor_message"),
    path("acteurs/<int:pk>/retirer/", directory_views.withdraw, name="actor_withdraw"),
    path("<int:pk>/fin-de-projet/", closing_views.closing_page, name="closing"),
    path("<int:pk>/fin-de-projet/bilan.pdf", closing_views.report_pdf, name="report_pdf"),
    path("pieces/<int:pk>/", closing_views.attachment, name="attachment"),
]
