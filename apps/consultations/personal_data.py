"""What consultations hold about a person (RGPD), declared in its manifest.

A statement is a contribution to a public debate: it stays, shown as from « Participant·e
supprimé·e » (its author is the emptied account row). Votes are deleted with the account, and
the person's place on every stored map goes with them (maps are recomputed later from the
remaining votes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.personal_data import KEPT_CONTRIBUTION, KEPT_ROLE_ACT, STAFF, Fate, Holding, iso
from apps.core.registry import PersonalData, Rows

if TYPE_CHECKING:
    from apps.accounts.models import User

HOLDINGS: tuple[Holding, ...] = (
    Holding("consultations.Statement", ("author",), "consultation_statements", Fate.ACCOUNT, KEPT_CONTRIBUTION),
    Holding("consultations.Vote", ("participant",), "consultation_votes", Fate.DELETED),
    # A signed questionnaire's answers stay in the results, tied to nobody.
    Holding(
        "consultations.Response",
        ("respondent",),
        "questionnaire_responses",
        Fate.UNLINKED,
        why="The answers stay counted in the questionnaire's results, tied to nobody.",
    ),
    Holding(
        "consultations.Response",
        ("age_band",),
        "questionnaire_responses",
        Fate.KEPT,
        why=(
            "Age band taken with the person's consent (or written on an anonymous form): once unlinked it "
            "is anonymous and stays for the cross-tabs (never shown below 11 people)."
        ),
    ),
    Holding(
        "consultations.Site",
        ("facilitators",),
        "questionnaire_sites",
        Fate.ERASED,
        why="The facilitator role goes (``anonymise`` deletes its rows); the site and its answers stay.",
    ),
    Holding("consultations.SiteFacilitator", ("user",), "questionnaire_sites", Fate.DELETED),
    Holding("consultations.PaperForm", ("first_by", "second_by"), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding("consultations.TableTotals", ("first_by", "second_by"), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
)


def _statements(user: User) -> Rows:
    from apps.consultations.models import Statement

    queryset = Statement.objects.filter(author=user).select_related("conversation").order_by("pk")
    return [
        {
            "conversation": s.conversation.question,
            "text": s.text,
            "status": s.status,
            "moderation_reason": s.moderation_reason,
            "created_at": iso(s.created_at),
        }
        for s in queryset
    ]


def _votes(user: User) -> Rows:
    from apps.consultations.models import OpinionMapSnapshot, Vote

    queryset = Vote.objects.filter(participant=user).select_related("statement__conversation").order_by("pk")
    groups = {
        snapshot.conversation_id: snapshot.group_of(user.pk)
        for snapshot in OpinionMapSnapshot.objects.filter(conversation__statements__votes__participant=user).distinct()
    }
    return [
        {
            "conversation": v.statement.conversation.question,
            "statement": v.statement.text,
            "vote": v.value,
            "vote_label": str(v.get_value_display()),
            "group_on_map": groups.get(v.statement.conversation_id),
            "created_at": iso(v.created_at),
        }
        for v in queryset
    ]


def _responses(user: User) -> Rows:
    from apps.consultations.models import Response
    from apps.consultations.questionnaires.answers import answer_text

    rows = []
    for response in Response.objects.filter(respondent=user).select_related("questionnaire").order_by("pk"):
        questions = {str(q.pk): q for q in response.questionnaire.questions.all()}
        rows.append(
            {
                "questionnaire": response.questionnaire.title,
                "day": iso(response.day),
                "channel": response.channel,
                "answers": {
                    questions[key].text: answer_text(questions[key], value)
                    for key, value in response.answers.items()
                    if key in questions
                },
            }
        )
    return rows


def _sites(user: User) -> Rows:
    from apps.consultations.models import SiteFacilitator

    rows = SiteFacilitator.objects.filter(user=user).select_related("site__questionnaire").order_by("pk")
    return [{"questionnaire": row.site.questionnaire.title, "site": row.site.name} for row in rows]


def export(user: User) -> dict[str, Rows]:
    return {
        "consultation_statements": _statements(user),
        "consultation_votes": _votes(user),
        "questionnaire_responses": _responses(user),
        "questionnaire_sites": _sites(user),
    }


def anonymise(user: User, label: str) -> None:
    """The person's place on the stored maps and their facilitator roles go (their votes are
    deleted by the generic fates). A map's incremental state goes whole when the person was
    placed on it: besides the placed set, a base-cluster centre may be one person's position; the
    next recomputation starts from scratch. The conversations the person voted in are locked
    first, as ``mapping.store_map`` locks its own: a recomputation running now either reads the
    votes after this deletion or has stored its map before it is scrubbed here."""
    from django.db import transaction

    from apps.consultations.mapping import lock_conversations
    from apps.consultations.models import OpinionMapSnapshot, SiteFacilitator, Vote

    key = str(user.pk)
    with transaction.atomic():
        SiteFacilitator.objects.filter(user=user).delete()
        voted_in = Vote.objects.filter(participant=user).values_list("statement__conversation_id", flat=True)
        placed_on = OpinionMapSnapshot.objects.filter(
            Q(data__positions__has_key=key) | Q(state__placed__contains=[user.pk])
        ).values_list("conversation_id", flat=True)
        locked = lock_conversations({*voted_in, *placed_on})
        for snapshot in OpinionMapSnapshot.objects.select_for_update().filter(conversation_id__in=locked):
            placed = user.pk in snapshot.state.get("placed", [])
            if snapshot.data.get("positions", {}).pop(key, None) is not None or placed:
                snapshot.state = {} if placed else snapshot.state
                snapshot.save(update_fields=["data", "state"])


PERSONAL_DATA = PersonalData(
    holdings=HOLDINGS,
    export=export,
    anonymise=anonymise,
    labels={
        "consultation_statements": _("Affirmations proposées dans les conversations"),
        "consultation_votes": _("Votes sur les affirmations des conversations"),
        "questionnaire_responses": _("Réponses signées aux questionnaires"),
        "questionnaire_sites": _("Sites de sessions multi-sites que vous animez"),
    },
)
