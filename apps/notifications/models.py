"""Follows and notifications (in the site, and by email immediately or as a daily digest)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Follow(models.Model):
    """A resident follows exactly one of: a process, a territory, a proposal."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    process = models.ForeignKey("core.Process", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    territory = models.ForeignKey("core.Territory", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey(
        "proposals.Proposal", null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("abonnement")
        verbose_name_plural = _("abonnements")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(process__isnull=False, territory__isnull=True, proposal__isnull=True)
                    | Q(process__isnull=True, territory__isnull=False, proposal__isnull=True)
                    | Q(process__isnull=True, territory__isnull=True, proposal__isnull=False)
                ),
                name="follow_exactly_one_target",
            ),
            models.UniqueConstraint(fields=["user", "process"], name="unique_follow_process"),
            models.UniqueConstraint(fields=["user", "territory"], name="unique_follow_territory"),
            models.UniqueConstraint(fields=["user", "proposal"], name="unique_follow_proposal"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.process or self.territory or self.proposal}"


class Notification(models.Model):
    class Kind(models.TextChoices):
        ANSWER = "answer", _("Réponse argumentée")
        STATUS = "status", _("Changement d'état")
        COMMITMENT = "commitment", _("Suivi d'un engagement")
        COMMENT = "comment", _("Nouveau commentaire")
        REPLY = "reply", _("Réponse à un commentaire")
        PROCESS = "process", _("Nouvelle étape d'une démarche")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=250)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_inbox"),
            models.Index(fields=["emailed_at", "user"], name="notification_to_email"),
        ]

    def __str__(self) -> str:
        return self.title
