"""Public API representations of the core and the follow-up (modules declare theirs in
their manifest's ``api``). Fields are listed one by one: nothing personal (author, email,
paper author's name, internal notes, who supported) can slip in by default."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.models import Phase, Process, Territory
from apps.followup.models import Commitment, CommitmentUpdate


class TerritorySerializer(serializers.ModelSerializer[Territory]):
    # DRF pops declared fields off the class, so "parent" does not clash with Field.parent at run time.
    parent: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Territory
        fields: tuple[str, ...] = (
            "id",
            "slug",
            "name",
            "kind",
            "parent",
            "is_priority_area",
            "population",
            "priority_population",
            "description",
        )


class PhaseSerializer(serializers.ModelSerializer[Phase]):
    is_current = serializers.SerializerMethodField()

    class Meta:
        model = Phase
        fields: tuple[str, ...] = ("module", "kind", "title", "description", "starts_at", "ends_at", "is_current")

    def get_is_current(self, phase: Phase) -> bool:
        return phase.is_active(self.context.get("now") or timezone.now())


class ProcessSerializer(serializers.ModelSerializer[Process]):
    territory: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    themes: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    state = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Process
        fields: tuple[str, ...] = (
            "slug",
            "title",
            "summary",
            "territory",
            "themes",
            "participation_level",
            "state",
            "answer_due",
            "url",
        )

    def get_state(self, process: Process) -> str:
        return process.state(self.context.get("now"))


class RulesSerializer(serializers.Serializer[Process]):
    open_to_debate = serializers.CharField(source="rules_open")
    not_negotiable = serializers.CharField(source="rules_closed")
    who_decides = serializers.CharField(source="rules_decider")
    use_of_contributions = serializers.CharField(source="rules_use")
    answer_due = serializers.DateField()


class ProcessDetailSerializer(ProcessSerializer):
    rules = RulesSerializer(source="*", read_only=True)
    phases = serializers.SerializerMethodField()

    class Meta(ProcessSerializer.Meta):
        fields: tuple[str, ...] = (
            *ProcessSerializer.Meta.fields,
            "description_html",
            "falc_summary",
            "rules",
            "phases",
        )

    @extend_schema_field(PhaseSerializer(many=True))
    def get_phases(self, process: Process) -> list[dict[str, Any]]:
        return PhaseSerializer(process.ordered_phases(), many=True, context=self.context).data  # type: ignore[return-value]


class CommitmentUpdateSerializer(serializers.ModelSerializer[CommitmentUpdate]):
    class Meta:
        model = CommitmentUpdate
        fields: tuple[str, ...] = ("date", "body", "progress", "state")


class CommitmentSerializer(serializers.ModelSerializer[Commitment]):
    process: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    territory: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    service: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="name", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    updates = CommitmentUpdateSerializer(many=True, read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Commitment
        fields: tuple[str, ...] = (
            "id",
            "process",
            "title",
            "description",
            "territory",
            "service",
            "planned_date",
            "progress",
            "state",
            "is_overdue",
            "made_with_residents",
            "updates",
            "url",
        )
