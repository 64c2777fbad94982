"""Open data of petitions: petitions with their counts and answer (route taken), signatures
counted per quartier and channel, and the agoras' action plans. Never a signatory, never a
committee member who did not agree to be named (no name at all is exported)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils import timezone

if TYPE_CHECKING:
    from apps.core.models import Process

CHUNK = 500
PETITION_FIELDS = (
    "id",
    "kind",
    "title",
    "recipient",
    "group_name",
    "territory",
    "state",
    "published_on",
    "closes_on",
    "threshold",
    "signatures",
    "signatures_online",
    "signatures_paper",
    "threshold_reached_on",
    "answer_due",
    "answer_overdue",
    "route",
    "answer",
    "answer_signed_on",
    "rejection_reason",
    "url",
)
COUNT_FIELDS = ("petition", "territory", "channel", "signatures")
ACTION_FIELDS = (
    "agora",
    "agora_title",
    "territory",
    "agora_state",
    "closed_on",
    "action",
    "service",
    "planned_date",
    "commitment_id",
)


def _petitions(process: Process | None) -> Any:
    from apps.petitions.models import Petition
    from apps.petitions.selectors import PUBLIC_STATES

    queryset = Petition.objects.filter(state__in=PUBLIC_STATES)
    return queryset.filter(process=process) if process is not None else queryset


def _day(value: Any) -> str | None:
    return timezone.localtime(value).date().isoformat() if value is not None else None


def petition_rows(process: Process | None) -> Iterator[Mapping[str, Any]]:
    from apps.answers.models import Answer
    from apps.petitions.models import Petition, Signature

    queryset = (
        _petitions(process)
        .select_related("territory")
        .annotate(
            online=Count("signatures", filter=Q(signatures__channel=Signature.Channel.ONLINE)),
            paper=Count("signatures", filter=Q(signatures__channel=Signature.Channel.PAPER)),
        )
        .order_by("pk")
    )
    petition_type = ContentType.objects.get_for_model(Petition)
    today = timezone.localdate()
    for petition in queryset.iterator(chunk_size=CHUNK):
        answer = Answer.objects.filter(source_type=petition_type, source_id=petition.pk).order_by("-created_at").first()
        yield {
            "id": petition.pk,
            "kind": petition.kind,
            "title": petition.title,
            "recipient": petition.recipient,
            "group_name": petition.group_name,
            "territory": petition.territory.slug,
            "state": petition.state,
            "published_on": _day(petition.published_at),
            "closes_on": _day(petition.closes_at),
            "threshold": petition.threshold,
            "signatures": petition.online + petition.paper,
            "signatures_online": petition.online,
            "signatures_paper": petition.paper,
            "threshold_reached_on": _day(petition.reached_at),
            "answer_due": petition.answer_due.isoformat() if petition.answer_due else None,
            "answer_overdue": bool(petition.answer_due and not petition.route and petition.answer_due < today),
            "route": petition.route,
            "answer": answer.body if answer else "",
            "answer_signed_on": _day(answer.signed_at) if answer else None,
            "rejection_reason": petition.rejection_reason,
            "url": petition.get_absolute_url(),
        }


# Signing a petition says what a person thinks: a quartier's cell of fewer than 11 signatures is
# merged into « other quartiers » of its petition and channel (the platform's small-cell rule).
MIN_CELL = 11
OTHER_QUARTIERS = "autres-quartiers"


def count_rows(process: Process | None) -> Iterator[Mapping[str, Any]]:
    from apps.petitions.models import Signature

    rows = (
        Signature.objects.filter(petition__in=_petitions(process))
        .values("petition_id", "channel", "territory__slug")
        .annotate(total=Count("pk"))
        .order_by("petition_id", "channel", "territory__slug")
    )
    merged: dict[tuple[int, str], int] = {}
    for row in rows.iterator(chunk_size=CHUNK):
        if row["total"] < MIN_CELL:
            key = (row["petition_id"], row["channel"])
            merged[key] = merged.get(key, 0) + row["total"]
            continue
        yield {
            "petition": row["petition_id"],
            "territory": row["territory__slug"] or "",
            "channel": row["channel"],
            "signatures": row["total"],
        }
    for (petition_id, channel), total in sorted(merged.items()):
        yield {"petition": petition_id, "territory": OTHER_QUARTIERS, "channel": channel, "signatures": total}


def action_rows(process: Process | None) -> Iterator[Mapping[str, Any]]:
    from apps.petitions.models import ActionItem

    queryset = ActionItem.objects.filter(agora__is_published=True).select_related("agora__territory", "service")
    if process is not None:
        queryset = queryset.filter(agora__process=process)
    for item in queryset.order_by("pk").iterator(chunk_size=CHUNK):
        agora = item.agora
        yield {
            "agora": agora.pk,
            "agora_title": agora.title,
            "territory": agora.territory.slug,
            "agora_state": agora.state,
            "closed_on": agora.closed_on.isoformat() if agora.closed_on else None,
            "action": item.title,
            "service": item.service.name if item.service else "",
            "planned_date": item.planned_date.isoformat() if item.planned_date else None,
            "commitment_id": item.commitment_id,
        }
