"""The foundation's URLs, then every module's, mounted from its manifest: public URLs under
``url_prefix`` and back-office URLs under ``gestion/<backoffice_prefix>`` (before the back
office's own, whose patterns would otherwise be tried first)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from apps.core.registry import all_manifests

MANIFESTS = list(all_manifests())

urlpatterns = [
    path("", include("apps.pages.urls")),
    path("comptes/", include("apps.accounts.urls")),
    path("suivi/", include("apps.followup.urls")),
    path("notifications/", include("apps.notifications.urls")),
    path("donnees/", include("apps.opendata.urls")),
    path("api/", include("apps.opendata.api.urls")),
    *(path(manifest.url_prefix, include(manifest.urls)) for manifest in MANIFESTS if manifest.urls),
    *(
        path(f"gestion/{manifest.backoffice_prefix}", include(manifest.backoffice_urls))
        for manifest in MANIFESTS
        if manifest.backoffice_urls
    ),
    path("gestion/", include("apps.backoffice.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]

# French error pages everywhere (never Django's English defaults).
handler400 = "apps.pages.views.bad_request"
handler403 = "apps.pages.views.permission_denied"
handler404 = "apps.pages.views.page_not_found"
handler500 = "apps.pages.views.server_error"
