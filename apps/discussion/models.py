"""Comments on any object and their reports.

A comment points at its object like ``followup.Commitment.source`` (content type and id) and
keeps the process the object belongs to: the moderation queue, the back-office dashboard and
the audit log are scoped by process, without knowing which module owns the object."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Comment(models.Model):
    class Stance(models.TextChoices):
        AGREE = "agree", _("D'accord")
        DISAGREE = "disagree", _("Pas d'accord")
        NEUTRAL = "neutral", _("Neutre")

    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    # The process of the commented object (None for an object outside any process).
    process = models.ForeignKey(
        "core.Process", null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    # Threads: ``root`` is the top-level comment of the thread (None for a top-level one),
    # so a page of threads loads with two queries whatever the depth.
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    root = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="thread")
    body = models.TextField(_("commentaire"), max_length=5000)
    # Empty where the module asks for no stance (budget projects).
    stance = models.CharField(_("position"), max_length=10, choices=Stance.choices, blank=True, default="")
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(_("motif de masquage"), max_length=250, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("commentaire")
        verbose_name_plural = _("commentaires")
        indexes = [
            models.Index(fields=["target_type", "target_id", "root", "created_at"], name="discussion_thread"),
        ]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def author_label(self) -> str:
        return self.author.public_name if self.author else str(_("Participant·e supprimé·e"))


class Report(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("motif du signalement"), max_length=250)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        constraints = [models.UniqueConstraint(fields=["comment", "reporter"], name="discussion_one_report_per_user")]

    def __str__(self) -> str:
        return self.reason
