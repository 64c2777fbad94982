"""A reasoned answer (« réponse argumentée ») to any source: a proposal, a workshop
recommendation, and later a petition or a council opinion.

One row goes through draft → submitted → published: an agent drafts it, submits it for
signature, and a signer (an élu·e, or an agent holding a « délégation de signature »)
publishes it by signing. Published answers are never edited: a later one is the new current
answer, earlier ones stay as the history of the decision. What a decision means for a source
(its statuses, who drafts, what publication changes) is declared by its module in
:mod:`apps.answers.registry`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import Process, Territory
from apps.core.richtext import render_rich_text


class PublishedAnswers(models.Manager["Answer"]):
    """The default manager sees published answers only: every public page, export and related
    manager (``proposal.answers``) reads through it, so a draft can never leak by forgetting a
    filter. Drafts are read through ``Answer.pending``, on purpose."""

    def get_queryset(self) -> models.QuerySet[Answer]:
        return super().get_queryset().filter(state=Answer.State.PUBLISHED)


class PendingAnswers(models.Manager["Answer"]):
    def get_queryset(self) -> models.QuerySet[Answer]:
        return super().get_queryset().exclude(state=Answer.State.PUBLISHED)


class Answer(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("À signer")
        PUBLISHED = "published", _("Publiée")

    source_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    source_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("source_type", "source_id")
    # The process the source belongs to: signatures and delegations are scoped by it.
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="+")
    # The decision; its values are the source's (declared in the registry).
    status = models.CharField(_("décision"), max_length=20)
    body = models.TextField(_("réponse argumentée"))
    body_html = models.TextField(editable=False, blank=True)
    state = models.CharField(_("étape"), max_length=10, choices=State.choices, default=State.DRAFT)
    # The agent who drafted it; ``signer`` published it. ``signed_by`` is the public signature,
    # computed from the signer's account and role when signing (answers published before
    # signatures existed keep the free text they were given).
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_by = models.CharField(_("signature"), max_length=250, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    # Not auto_now_add: the data migration keeps the dates of the answers it copies.
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = PublishedAnswers()
    pending = PendingAnswers()
    all_objects = models.Manager()  # noqa: DJ012  (a manager, not a field)

    class Meta:
        ordering = ["-created_at", "-pk"]
        default_manager_name = "objects"
        base_manager_name = "all_objects"
        verbose_name = _("réponse argumentée")
        verbose_name_plural = _("réponses argumentées")
        indexes = [
            models.Index(fields=["source_type", "source_id", "-created_at"], name="answer_source_latest"),
            models.Index(fields=["process", "state"], name="answer_process_state"),
        ]
        constraints = [
            # One pending answer per source: drafting again edits it.
            models.UniqueConstraint(
                fields=["source_type", "source_id"],
                condition=~models.Q(state="published"),
                name="answer_one_pending_per_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} — {self.source}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.body_html = render_rich_text(self.body)
        self.updated_at = timezone.now()
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    def get_status_display(self) -> str:
        from apps.answers.registry import status_label

        return status_label(self.source_type_id, self.status)


class SignatureDelegation(models.Model):
    """« Délégation de signature »: an administrator lets an agent sign the city's answers on a
    territory (and its sub-territories) or one process, under a title shown with the signature.
    Élu·es sign with their role and need none. Revoked delegations stay as a record."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signature_delegations")
    title = models.CharField(
        _("qualité du signataire"),
        max_length=150,
        help_text=_("Par exemple « Directrice du dialogue citoyen, par délégation du maire »."),
    )
    territory = models.ForeignKey(Territory, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    process = models.ForeignKey(Process, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("délégation de signature")
        verbose_name_plural = _("délégations de signature")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(territory__isnull=True) | models.Q(process__isnull=True),
                name="answers_delegation_single_scope",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.title}"


# The trust barometer's tables, in their own file; imported here so that Django registers them.
from apps.answers.barometer_models import BarometerReply, BarometerScore  # noqa: E402

__all__ = ["Answer", "BarometerReply", "BarometerScore", "PendingAnswers", "PublishedAnswers", "SignatureDelegation"]
