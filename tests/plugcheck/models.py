"""The smallest data a module may hold: a resident's pledge on a process (personal data: its
author, declared in the manifest for the RGPD export and deletion)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from apps.core.models import Process


class Pledge(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="plugcheck_pledges")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="plugcheck_pledges"
    )
    text = models.CharField("texte", max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    # The app is installed by the tests only, out of sight of the django-stubs plugin, which
    # would add the default manager otherwise.
    objects: ClassVar[models.Manager[Pledge]]

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text
