"""Messages written to an entry of the directory of actors, kept so that the person who
receives one can report it and an agent of the entry's quartier can act on the report.

Re-exported by ``models.py`` (Django loads the models from there)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ActorMessage(models.Model):
    class Outcome(models.TextChoices):
        DISMISSED = "dismissed", _("Signalement classé")
        SENDER_BLOCKED = "blocked", _("Expéditeur·rice privé·e d'écrire par l'annuaire")

    actor = models.ForeignKey("initiatives.Actor", on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("Message"), max_length=2000)
    reply_to = models.CharField(_("Comment lui répondre"), max_length=200, blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    report_reason = models.CharField(_("Ce qui ne va pas"), max_length=250, blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("message de l'annuaire")
        verbose_name_plural = _("messages de l'annuaire")
        indexes = [
            models.Index(fields=["reported_at"], name="actor_message_reported"),
            models.Index(fields=["sender", "outcome"], name="actor_message_sender_outcome"),
        ]

    def __str__(self) -> str:
        return self.body[:60]

    def get_absolute_url(self) -> str:
        return reverse("initiatives:actor_message", kwargs={"pk": self.pk})
