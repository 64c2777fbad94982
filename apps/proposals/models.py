"""Proposals: contributions to a process, their supports, comments and official answers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.models import Process, Service, Territory, Theme
from apps.core.richtext import render_rich_text
from apps.core.uploads import UploadPath


class Status(models.TextChoices):
    RECEIVED = "received", _("Reçue")
    UNDER_STUDY = "under_study", _("À l'étude")
    ACCEPTED = "accepted", _("Retenue")
    PARTLY_ACCEPTED = "partly_accepted", _("Retenue en partie")
    NOT_RETAINED = "not_retained", _("Non retenue")
    DONE = "done", _("Réalisée")


# Statuses that are decisions: setting one requires a published reasoned answer.
DECISION_STATUSES = frozenset({Status.ACCEPTED, Status.PARTLY_ACCEPTED, Status.NOT_RETAINED, Status.DONE})
# Decisions that create a commitment in the follow-up.
COMMITTING_STATUSES = frozenset({Status.ACCEPTED, Status.PARTLY_ACCEPTED})


class Proposal(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="proposals")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    title = models.CharField(_("titre"), max_length=150)
    body = models.TextField(_("texte"))
    body_html = models.TextField(editable=False, blank=True)
    theme = models.ForeignKey(Theme, verbose_name=_("thème"), null=True, blank=True, on_delete=models.SET_NULL)
    territory = models.ForeignKey(
        Territory, verbose_name=_("quartier"), null=True, blank=True, on_delete=models.SET_NULL
    )
    address = models.CharField(_("adresse ou lieu"), max_length=250, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    status = models.CharField(_("état"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    is_withdrawn = models.BooleanField(_("retirée"), default=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Paper contributions: entered by an agent on behalf of a resident.
    is_paper = models.BooleanField(_("contribution papier"), default=False)
    paper_author_name = models.CharField(_("nom de l'auteur·rice papier"), max_length=120, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_service = models.ForeignKey(
        Service,
        verbose_name=_("service instructeur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    # Denormalised counters, kept exact by the services inside the same transaction.
    support_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    # Its comments (apps.discussion): deleted with it, as the foreign key used to.
    comments = GenericRelation("discussion.Comment", content_type_field="target_type", object_id_field="target_id")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The published reasoned answers (``apps.answers``), the current one first; queries reach
    # them with ``proposal__…`` lookups.
    answers = GenericRelation(
        "answers.Answer", content_type_field="source_type", object_id_field="source_id", related_query_name="proposal"
    )
    # Follows of the proposal (a generic target of ``notifications.Follow``): deleted with it.
    follows = GenericRelation(
        "notifications.Follow",
        content_type_field="target_type",
        object_id_field="target_id",
        related_query_name="proposal",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proposition")
        verbose_name_plural = _("propositions")
        indexes = [
            models.Index(fields=["process", "-created_at"], name="proposal_process_recent"),
            models.Index(fields=["process", "-support_count"], name="proposal_process_supported"),
            models.Index(fields=["process", "territory", "status"], name="proposal_process_filters"),
            models.Index(fields=["process", "theme"], name="proposal_process_theme"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.body_html = render_rich_text(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("proposals:detail", kwargs={"pk": self.pk})

    @property
    def author_label(self) -> str:
        if self.is_paper:  # no author to load
            return author_label(is_paper=True, paper_author_name=self.paper_author_name, author=None)
        author = None if self.author is None else self.author.public_name
        return author_label(is_paper=False, paper_author_name=self.paper_author_name, author=author)


def author_label(*, is_paper: bool, paper_author_name: str, author: str | None) -> str:
    """Who a proposal is shown as written by; ``author``: the public name of its account, None
    without one (the model's ``author_label``, and the list's cards read as rows)."""
    if is_paper:
        return paper_author_name or str(_("Contribution papier"))
    if author is None:
        return str(_("Participant·e supprimé·e"))
    return author


class ProposalImage(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to=UploadPath("proposals"))
    alt_text = models.CharField(
        _("texte alternatif"),
        max_length=250,
        help_text=_("Décrivez l'image pour les personnes qui ne la voient pas."),
    )

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self) -> str:
        return self.alt_text


class Support(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("soutien")
        verbose_name_plural = _("soutiens")
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="one_support_per_user")]
        indexes = [models.Index(fields=["user", "proposal"], name="support_user")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.proposal_id}"


class PaperContact(models.Model):
    """How to reach the author of a paper contribution with the answer: personal data kept
    apart from the proposal (never public, never exported), deleted once the answer has been
    sent, or after :data:`PAPER_CONTACT_RETENTION_DAYS` at the latest."""

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="paper_contact")
    email = models.EmailField(_("adresse électronique"), blank=True)
    postal_address = models.TextField(_("adresse postale"), max_length=500, blank=True)
    # The last answer sent to the person: an intermediate one (« À l'étude ») keeps the contact
    # for the decision to come; a decision sent deletes the contact.
    sent_answer = models.ForeignKey(
        "answers.Answer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("coordonnées de l'auteur·rice papier")
        verbose_name_plural = _("coordonnées des auteur·rices papier")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(email="") | ~models.Q(postal_address=""), name="paper_contact_not_empty"
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}"


# Personal data is kept no longer than needed: a contact whose answer never came is deleted
# after a year (the retention announced on the paper entry form).
PAPER_CONTACT_RETENTION_DAYS = 365


class AnswerTemplate(models.Model):
    title = models.CharField(_("titre"), max_length=150)
    status = models.CharField(_("décision"), max_length=20, choices=Status.choices)
    body = models.TextField(_("texte"))

    class Meta:
        ordering = ["title"]
        verbose_name = _("modèle de réponse")
        verbose_name_plural = _("modèles de réponse")

    def __str__(self) -> str:
        return self.title


class InternalNote(models.Model):
    """Private note of the city's instruction; never shown to residents nor exported."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="internal_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("note interne"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("note interne")
        verbose_name_plural = _("notes internes")

    def __str__(self) -> str:
        return self.body[:60]


__all__ = [
    "COMMITTING_STATUSES",
    "DECISION_STATUSES",
    "PAPER_CONTACT_RETENTION_DAYS",
    "AnswerTemplate",
    "InternalNote",
    "PaperContact",
    "Proposal",
    "ProposalImage",
    "Status",
    "Support",
]
