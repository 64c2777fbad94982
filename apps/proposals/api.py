"""The proposals' part of the public REST API (``/api/v1/proposals/``), declared in the
manifest's ``api`` and mounted by the open data app's router. Fields are listed one by one:
nothing personal (author, paper author's name, internal notes, who supported) can slip in.

The answer serializer sits apart: answers move to the shared answers app."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from apps.answers.models import Answer
from apps.opendata.api.views import PublicViewSet, allowlisted
from apps.proposals.models import Proposal, Status


# --- answers (move to the shared answers app) ---------------------------------------------
class AnswerSerializer(serializers.ModelSerializer[Answer]):
    class Meta:
        model = Answer
        fields: tuple[str, ...] = ("status", "body_html", "signed_by", "created_at")


# ------------------------------------------------------------------------------------------


class ProposalSerializer(serializers.ModelSerializer[Proposal]):
    process: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    territory: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    theme: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Proposal
        fields: tuple[str, ...] = (
            "id",
            "process",
            "title",
            "theme",
            "territory",
            "latitude",
            "longitude",
            "status",
            "is_withdrawn",
            "is_paper",
            "support_count",
            "comment_count",
            "created_at",
            "url",
        )


class ProposalDetailSerializer(ProposalSerializer):
    current_answer = serializers.SerializerMethodField()

    class Meta(ProposalSerializer.Meta):
        fields: tuple[str, ...] = (*ProposalSerializer.Meta.fields, "body_html", "current_answer")

    @extend_schema_field(AnswerSerializer(allow_null=True))
    def get_current_answer(self, proposal: Proposal) -> dict[str, Any] | None:
        # ``answers`` is prefetched newest first: the first one is the answer in force.
        answers = list(proposal.answers.all())
        return AnswerSerializer(answers[0]).data if answers else None


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("process", str, description="Identifiant (slug) de la démarche."),
            OpenApiParameter("territory", str, description="Identifiant (slug) du quartier."),
            OpenApiParameter("status", str, enum=list(Status.values), description="État de la proposition."),
        ]
    )
)
class ProposalViewSet(PublicViewSet):
    def get_queryset(self) -> QuerySet[Proposal]:
        queryset = (
            Proposal.objects.filter(process__is_published=True)
            .select_related("process", "territory", "theme")
            .order_by("-created_at", "-pk")
        )
        if self.action == "retrieve":
            return queryset.prefetch_related(
                Prefetch("answers", queryset=Answer.objects.order_by("-created_at", "-pk"))
            )
        params = self.request.query_params
        process = params.get("process")
        if process:
            queryset = queryset.filter(process__slug=process)
        territory = params.get("territory")
        if territory:
            queryset = queryset.filter(territory__slug=territory)
        status = allowlisted(params.get("status"), set(Status.values), "status")
        if status:
            queryset = queryset.filter(status=status)
        return queryset

    def get_serializer_class(self) -> type[ProposalSerializer]:
        return ProposalDetailSerializer if self.action == "retrieve" else ProposalSerializer
