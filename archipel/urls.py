from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("apps.pages.urls")),
    path("comptes/", include("apps.accounts.urls")),
    path("propositions/", include("apps.proposals.urls")),
    path("suivi/", include("apps.followup.urls")),
    path("notifications/", include("apps.notifications.urls")),
    path("donnees/", include("apps.opendata.urls")),
    path("api/", include("apps.opendata.api.urls")),
    path("budgets/", include("apps.budgets.urls")),
    path("tirages/", include("apps.sortition.urls")),
    path("ateliers/", include("apps.workshops.urls")),
    path("conseils/", include("apps.councils.urls")),
    path("gestion/budgets/", include("apps.budgets.backoffice_urls")),
    path("gestion/tirages/", include("apps.sortition.backoffice_urls")),
    path("gestion/ateliers/", include("apps.workshops.backoffice_urls")),
    path("gestion/conseils/", include("apps.councils.backoffice_urls")),
    # Modules' pages under /gestion/ itself (their manifest's backoffice_urls, empty prefix).
    path("gestion/", include("apps.proposals.backoffice.urls")),
    path("gestion/", include("apps.answers.backoffice.urls")),
    path("gestion/", include("apps.backoffice.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]

# French error pages everywhere (never Django's English defaults).
handler400 = "apps.pages.views.bad_request"
handler403 = "apps.pages.views.permission_denied"
handler404 = "apps.pages.views.page_not_found"
handler500 = "apps.pages.views.server_error"
