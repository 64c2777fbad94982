"""Proposals in the back office's « À faire » inbox (answers to write, answers to sign) and
search (proposals of the processes the person instructs)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.answers.models import Answer
from apps.answers.rules import can_sign
from apps.core.backoffice_kit import READERS, scope_for
from apps.core.models import Process
from apps.core.registry import SearchHit, ToDo
from apps.proposals.models import Proposal
from apps.proposals.search import search_proposals

SOON_DAYS = 30  # an answer due within this many days is listed; later ones are not urgent yet


def _instructed(user: Any) -> Any:
    scope = scope_for(user, READERS)
    if scope.is_empty:
        return Process.objects.none()
    return Process.objects.filter(scope.process_filter())


def todo(user: Any) -> Iterator[ToDo]:
    today = timezone.localdate()
    processes = _instructed(user)
    awaiting = (
        Proposal.objects.filter(process__in=processes, is_withdrawn=False)
        .exclude(answers__state=Answer.State.PUBLISHED)
        .values("process_id", "process__title", "process__answer_due")
        .annotate(n=Count("pk", distinct=True))
        .order_by("process__answer_due", "process_id")
    )
    for row in awaiting:
        due = row["process__answer_due"]
        if (due - today).days > SOON_DAYS:
            continue
        label = ngettext(
            "%(n)d proposition attend une réponse argumentée — %(process)s",
            "%(n)d propositions attendent une réponse argumentée — %(process)s",
            row["n"],
        ) % {"n": row["n"], "process": row["process__title"]}
        url = reverse("proposals_admin:instruction", args=[row["process_id"]]) + "?sans_reponse=1"
        yield ToDo(label, row["n"], url, due=due, overdue=due < today)
    to_sign = (
        Answer.pending.filter(process__in=processes, state=Answer.State.SUBMITTED)
        .values("process_id")
        .annotate(n=Count("pk"))
        .order_by("process_id")
    )
    signing = {row["process_id"]: row["n"] for row in to_sign}
    for process in Process.objects.filter(pk__in=signing).order_by("answer_due", "pk"):
        if not can_sign(user, process):
            continue
        label = ngettext(
            "%(n)d réponse à signer — %(process)s", "%(n)d réponses à signer — %(process)s", signing[process.pk]
        ) % {"n": signing[process.pk], "process": process.title}
        url = reverse("proposals_admin:answers_to_sign", args=[process.pk])
        yield ToDo(label, signing[process.pk], url, due=process.answer_due, overdue=process.answer_due < today)


def search(user: Any, query: str) -> Iterator[SearchHit]:
    proposals = Proposal.objects.filter(process__in=_instructed(user)).select_related("process")
    for proposal in search_proposals(proposals, query).order_by("-pk")[:20]:
        url = reverse("proposals_admin:proposal", args=[proposal.pk])
        yield SearchHit(_("Proposition"), proposal.title, url, proposal.process.title)
