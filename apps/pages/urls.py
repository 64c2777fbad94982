"""URL names fixed by docs/CONTRACT.md ("pages")."""

from __future__ import annotations

from django.urls import path

from apps.pages import views

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("mentions-legales/", views.legal_page, {"template": "pages/legal.html"}, name="legal"),
    path("confidentialite/", views.legal_page, {"template": "pages/privacy.html"}, name="privacy"),
    path("conditions-d-utilisation/", views.legal_page, {"template": "pages/terms.html"}, name="terms"),
    path("cookies/", views.legal_page, {"template": "pages/cookies.html"}, name="cookies"),
    path("demarches/", views.process_list, name="process_list"),
    path("demarches/<slug:slug>/", views.process_detail, name="process"),
    path("quartiers/<slug:slug>/", views.territory_detail, name="territory"),
    path("adresses/", views.address_suggestions, name="address_suggestions"),
    path("media/<path:path>", views.media, name="media"),
    path("theme.css", views.theme_css, name="theme_css"),
    path("langue/<str:code>/", views.language, name="language"),
]
