"""``/api/``: the read-only REST API (namespace ``api``) and its OpenAPI schema."""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from apps.opendata.api import views

app_name = "api"

router = DefaultRouter()
router.register("territories", views.TerritoryViewSet, basename="territory")
router.register("processes", views.ProcessViewSet, basename="process")
router.register("proposals", views.ProposalViewSet, basename="proposal")
router.register("commitments", views.CommitmentViewSet, basename="commitment")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]
