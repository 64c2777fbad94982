"""Read-only public API. Only published processes and what they hold; filters are
explicit query parameters checked against allowlists (:func:`allowlisted`), never generic
field lookups. Modules build their view sets on :class:`PublicViewSet` and declare them in
their manifest's ``api``."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.throttling import AnonRateThrottle

from apps.core.clientip import client_ip
from apps.core.models import Phase, Process, Territory
from apps.followup.models import Commitment
from apps.opendata.api import serializers


class PublicApiThrottle(AnonRateThrottle):
    # Set on the class so the limit holds whatever the settings say.
    rate = "300/min"

    def get_ident(self, request: Any) -> str:
        # The address seen through the trusted proxies, never a header the client wrote.
        return client_ip(request)


class PublicViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    throttle_classes = [PublicApiThrottle]
    authentication_classes: list[Any] = []

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "now": timezone.now()}


class TerritoryViewSet(PublicViewSet):
    serializer_class = serializers.TerritorySerializer
    lookup_field = "slug"
    queryset = Territory.objects.select_related("parent").order_by("kind", "name")


class ProcessViewSet(PublicViewSet):
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Process]:
        return (
            Process.objects.published()
            .select_related("territory")
            .prefetch_related("themes", Prefetch("phases", queryset=Phase.objects.order_by("starts_at", "pk")))
            .order_by("-created_at", "pk")
        )

    def get_serializer_class(self) -> type[serializers.ProcessSerializer]:
        return serializers.ProcessDetailSerializer if self.action == "retrieve" else serializers.ProcessSerializer


def allowlisted(value: str | None, allowed: set[str], name: str) -> str | None:
    if value in (None, ""):
        return None
    if value not in allowed:
        raise ValidationError({name: f"Valeur inconnue. Valeurs possibles : {', '.join(sorted(allowed))}."})
    return value


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("process", str, description="Identifiant (slug) de la démarche."),
            OpenApiParameter("state", str, enum=list(Commitment.State.values), description="État de l'engagement."),
        ]
    )
)
class CommitmentViewSet(PublicViewSet):
    serializer_class = serializers.CommitmentSerializer

    def get_queryset(self) -> QuerySet[Commitment]:
        queryset = (
            Commitment.objects.filter(process__is_published=True)
            .select_related("process", "territory", "service")
            .prefetch_related("updates")
            .order_by("pk")
        )
        process = self.request.query_params.get("process")
        if process:
            queryset = queryset.filter(process__slug=process)
        state = allowlisted(self.request.query_params.get("state"), set(Commitment.State.values), "state")
        if state:
            queryset = queryset.filter(state=state)
        return queryset
