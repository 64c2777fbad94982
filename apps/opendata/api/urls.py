"""``/api/``: the read-only REST API (namespace ``api``) and its OpenAPI schema: the core's
and the follow-up's endpoints, and every module's ``api`` routes from its manifest."""

from __future__ import annotations

from django.urls import include, path
from django.utils.module_loading import import_string
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from apps.core.registry import all_manifests
from apps.opendata.api import views

app_name = "api"

router = DefaultRouter()
router.register("territories", views.TerritoryViewSet, basename="territory")
router.register("processes", views.ProcessViewSet, basename="process")
# The modules' endpoints, as their manifests declare them.
for manifest in all_manifests():
    for route in manifest.api:
        router.register(route.prefix, import_string(route.viewset), basename=route.basename)
router.register("commitments", views.CommitmentViewSet, basename="commitment")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]
