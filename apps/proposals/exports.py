"""Open data rows of the proposals module (streamed: querysets are iterated in chunks).

No personal data: no names, no emails; comment authors are pseudonymised; private notes,
hidden comment bodies and paper authors' names are never exported.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from apps.core.pseudonyms import pseudonym

if TYPE_CHECKING:
    from apps.core.models import Process

CHUNK = 2000

PROPOSAL_FIELDS = (
    "id",
    "process",
    "title",
    "body",
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
ANSWER_FIELDS = ("id", "proposal_id", "status", "body", "signed_by", "created_at")
COMMENT_FIELDS = ("id", "proposal_id", "parent_id", "author", "stance", "body", "is_hidden", "created_at")


def _proposals(process: Process | None) -> Any:
    from apps.proposals.models import Proposal

    queryset = Proposal.objects.filter(process__is_published=True)
    if process is not None:
        queryset = queryset.filter(process=process)
    return queryset


def proposal_rows(process: Process | None) -> Iterator[Mapping[str, Any]]:
    queryset = _proposals(process).select_related("process", "theme", "territory").order_by("pk")
    for proposal in queryset.iterator(chunk_size=CHUNK):
        yield {
            "id": proposal.pk,
            "process": proposal.process.slug,
            "title": proposal.title,
            "body": proposal.body,
            "theme": proposal.theme.name if proposal.theme else "",
            "territory": proposal.territory.name if proposal.territory else "",
            "latitude": float(proposal.latitude) if proposal.latitude is not None else None,
            "longitude": float(proposal.longitude) if proposal.longitude is not None else None,
            "status": proposal.status,
            "is_withdrawn": proposal.is_withdrawn,
            "is_paper": proposal.is_paper,
            "support_count": proposal.support_count,
            "comment_count": proposal.comment_count,
            "created_at": proposal.created_at.isoformat(),
            "url": proposal.get_absolute_url(),
        }


def answer_rows(process: Process | None) -> Iterator[Mapping[str, Any]]:
    from apps.answers.models import Answer

    queryset = Answer.objects.filter(proposal__in=_proposals(process)).order_by("pk")
    for answer in queryset.iterator(chunk_size=CHUNK):
        yield {
            "id": answer.pk,
            "proposal_id": answer.source_id,
            "status": answer.status,
            "body": answer.body,
            "signed_by": answer.signed_by,
            "created_at": answer.created_at.isoformat(),
        }


def comment_rows(process: Process | None) -> Iterator[Mapping[str, Any]]:
    from apps.discussion.selectors import comments_on

    queryset = comments_on(_proposals(process)).order_by("pk")
    for comment in queryset.iterator(chunk_size=CHUNK):
        yield {
            "id": comment.pk,
            "proposal_id": comment.target_id,
            "parent_id": comment.parent_id,
            "author": pseudonym("user", comment.author_id),
            "stance": comment.stance,
            "body": "" if comment.is_hidden else comment.body,
            "is_hidden": comment.is_hidden,
            "created_at": comment.created_at.isoformat(),
        }
