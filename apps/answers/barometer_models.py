"""The trust barometer (« baromètre de confiance »): after receiving a reasoned answer, a person
may say, on a 1–5 scale, whether they feel heard and whether the answer is clear.

Who answered and what they said are two tables with no link between them, the way ballots are
kept apart from voters: :class:`BarometerReply` says that a person has answered the barometer
of an answer (once per person and answer, a database constraint), :class:`BarometerScore` holds
the two marks with only what the indicators need to aggregate them (the process, the year). A
score has a random key and no time; no score names a person or an answer, and its place in
the table says nothing either: each reply rewrites its score among earlier ones in a random
order (:func:`apps.answers.barometer.store_mixed`). The indicators show
the scores aggregated by year and quartier, hidden below 11 replies."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import Process

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

SCALE = (1, 5)


class BarometerReply(models.Model):
    answer = models.ForeignKey("answers.Answer", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("participation au baromètre")
        verbose_name_plural = _("participations au baromètre")
        constraints = [
            models.UniqueConstraint(fields=["answer", "person"], name="barometer_once_per_person_and_answer"),
        ]

    def __str__(self) -> str:
        return f"{self.answer_id}/{self.person_id}"


def _mark(label: _StrOrPromise) -> models.PositiveSmallIntegerField[int | None, int | None]:
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=[MinValueValidator(SCALE[0]), MaxValueValidator(SCALE[1])]
    )


class BarometerScore(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("année"))
    heard = _mark(_("se sent entendu·e"))
    clear = _mark(_("réponse claire"))

    class Meta:
        verbose_name = _("note du baromètre")
        verbose_name_plural = _("notes du baromètre")
        constraints = [
            models.CheckConstraint(
                condition=(Q(heard__isnull=True) | Q(heard__gte=SCALE[0], heard__lte=SCALE[1]))
                & (Q(clear__isnull=True) | Q(clear__gte=SCALE[0], clear__lte=SCALE[1]))
                & (Q(heard__isnull=False) | Q(clear__isnull=False)),
                name="barometer_marks_on_scale",
            ),
        ]
        indexes = [models.Index(fields=["year", "process"], name="barometer_year_process")]

    def __str__(self) -> str:
        return f"{self.year}: {self.heard}/{self.clear}"
