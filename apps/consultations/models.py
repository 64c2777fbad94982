"""A conversation (Polis-style): residents write short statements and vote agree, disagree or
pass on the others'; the opinion map groups people by how they vote."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import Process


class Conversation(models.Model):
    class Moderation(models.TextChoices):
        # "after": a statement shows at once, agents hide it later with a public reason.
        AFTER = "after", _("Après publication")
        BEFORE = "before", _("Avant publication")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="conversations")
    question = models.CharField(_("question"), max_length=300)
    description = models.TextField(_("présentation"), blank=True)
    moderation = models.CharField(_("modération"), max_length=10, choices=Moderation, default=Moderation.AFTER)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("consultations:conversation", args=[self.pk])


class Statement(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("En attente de modération")
        PUBLISHED = "published", _("Publiée")
        HIDDEN = "hidden", _("Masquée par la modération")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="statements")
    # Empty for the statements the city seeds the conversation with.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.CharField(_("affirmation"), max_length=280)
    status = models.CharField(max_length=10, choices=Status, default=Status.PUBLISHED)
    moderation_reason = models.CharField(_("motif public de modération"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When a moderator accepted or hid it: a resident's statement without it waits in the queue
    # (before publication, or after it when the conversation is moderated « après »).
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="hidden") | ~models.Q(moderation_reason=""),
                name="consultations_hidden_has_reason",
            ),
            models.UniqueConstraint(fields=["conversation", "text"], name="consultations_statement_unique_text"),
        ]

    def __str__(self) -> str:
        return self.text


class Vote(models.Model):
    class Value(models.IntegerChoices):
        AGREE = 1, _("D'accord")
        DISAGREE = -1, _("Pas d'accord")
        PASS = 0, _("Je passe")

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField(choices=Value)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["statement", "participant"], name="consultations_one_vote_per_person"),
            models.CheckConstraint(condition=models.Q(value__in=[-1, 0, 1]), name="consultations_vote_value"),
        ]

    def __str__(self) -> str:
        return f"{self.get_value_display()} : {self.statement_id}"


class OpinionMapSnapshot(models.Model):
    """The last computed map of a conversation (the engine's result, as JSON): pages read it,
    a background task rewrites it after votes. ``data["positions"]`` maps participant pks to
    their place and group (personal data: dropped on account deletion). ``state`` is what the
    next recomputation starts from (``map_state``; its placed set is personal data too): pages
    never need it, so they defer it."""

    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE, related_name="opinion_map")
    data = models.JSONField(default=dict)
    state = models.JSONField(default=dict, blank=True)
    votes_counted = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.conversation_id} ({self.computed_at:%Y-%m-%d %H:%M})"

    def group_of(self, user_pk: Any) -> int | None:
        place = self.data.get("positions", {}).get(str(user_pk))
        return int(place[2]) if place and place[2] >= 0 else None


# The questionnaires' models live in their sub-package; importing them here registers them.
from apps.consultations.questionnaires.models import (  # noqa: E402
    PaperForm,
    Question,
    Questionnaire,
    Response,
    ResultsSnapshot,
    Site,
    SiteFacilitator,
    TableTotals,
)

__all__ = [
    "Conversation",
    "OpinionMapSnapshot",
    "PaperForm",
    "Question",
    "Questionnaire",
    "Response",
    "ResultsSnapshot",
    "Site",
    "SiteFacilitator",
    "Statement",
    "TableTotals",
    "Vote",
]

# The synthesis of free-text contributions (sub-package ``synthesis``).
from apps.consultations.synthesis.models import Citation, Synthesis, Theme  # noqa: E402, F401
