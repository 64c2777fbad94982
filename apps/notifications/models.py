"""Follows and notifications (in the site, and by email immediately or as a daily digest)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import Process, Territory


def follow_columns(target: Any) -> dict[str, int]:
    """The columns of ``Follow`` that designate ``target`` (a process, a territory or a module
    object), by id: the one mapping behind :meth:`FollowQuerySet.of`, the prepared statement of
    ``selectors.is_following`` and the rows that ``services.follow`` creates."""
    if isinstance(target, Process):
        return {"process_id": target.pk}
    if isinstance(target, Territory):
        return {"territory_id": target.pk}
    return {"target_type_id": ContentType.objects.get_for_model(target).pk, "target_id": target.pk}


class FollowQuerySet(models.QuerySet["Follow"]):
    def of(self, target: Any) -> FollowQuerySet:
        """The follows of one process, territory or module object."""
        return self.filter(**follow_columns(target))


class Follow(models.Model):
    """A resident follows exactly one of: a process, a territory, or an object of a module
    (a proposal, a budget project…).

    Processes and territories are core objects, kept as foreign keys: the fan-out of a
    module's news asks for the followers of its process and of its quartier and the
    enclosing ones, which stays one indexed query. Anything else is a generic target (content
    type and id, like ``Commitment.source``), so a module makes its objects followable by
    declaring a ``Followable`` in its manifest, with no column or migration here. The
    followed model declares a ``GenericRelation`` to ``Follow`` so that deleting it deletes
    its follows (the registry test checks it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    process = models.ForeignKey("core.Process", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    territory = models.ForeignKey("core.Territory", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FollowQuerySet.as_manager()

    class Meta:
        verbose_name = _("abonnement")
        verbose_name_plural = _("abonnements")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(process__isnull=False, territory__isnull=True, target_type__isnull=True, target_id__isnull=True)
                    | Q(process__isnull=True, territory__isnull=False, target_type__isnull=True, target_id__isnull=True)
                    | Q(
                        process__isnull=True,
                        territory__isnull=True,
                        target_type__isnull=False,
                        target_id__isnull=False,
                    )
                ),
                name="follow_exactly_one_target",
            ),
            models.UniqueConstraint(fields=["user", "process"], name="unique_follow_process"),
            models.UniqueConstraint(fields=["user", "territory"], name="unique_follow_territory"),
            models.UniqueConstraint(fields=["user", "target_type", "target_id"], name="unique_follow_target"),
        ]
        indexes = [models.Index(fields=["target_type", "target_id"], name="follow_target")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.process or self.territory or self.target}"


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
