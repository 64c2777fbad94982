"""Core model: territories, processes and their phases, city services, roles, audit log."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.covers import Covered, cover_alt_constraint
from apps.core.registry import PhaseKind, get_manifest

if TYPE_CHECKING:
    from apps.accounts.models import User

_M = TypeVar("_M", bound=models.Model)

# Sent with the model as sender after a write that changed rows without Django's per-row signals
# (``QuerySet.update()``, ``bulk_create``, and ``bulk_update`` through ``update``): the process
# cache listens (apps.core.process_cache), so a data import or a scheduled task cannot leave
# stale processes, phases or territories behind.
rows_written = Signal()


class SignalledWritesQuerySet(models.QuerySet[_M]):
    def update(self, **kwargs: Any) -> int:
        count = super().update(**kwargs)
        if count:
            rows_written.send(sender=self.model)
        return count

    def bulk_create(self, objs: Iterable[_M], *args: Any, **kwargs: Any) -> list[_M]:
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            rows_written.send(sender=self.model)
        return created


class TerritoryQuerySet(SignalledWritesQuerySet["Territory"]):
    pass


class Territory(models.Model):
    class Kind(models.TextChoices):
        CITY = "city", _("Ville")
        QUARTIER = "quartier", _("Quartier")
        MICRO = "micro", _("Micro-quartier")

    name = models.CharField(_("nom"), max_length=120)
    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.QUARTIER)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("territoire parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_priority_area = models.BooleanField(
        _("quartier prioritaire (QPV)"),
        default=False,
        help_text=_("Quartier prioritaire de la politique de la ville."),
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    priority_population = models.PositiveIntegerField(_("population vivant en QPV"), null=True, blank=True)
    boundary = models.JSONField(_("contour (GeoJSON)"), null=True, blank=True)
    description = models.TextField(_("présentation"), blank=True)

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pages:territory", kwargs={"slug": self.slug})

    def ancestor_ids(self) -> list[int]:
        """This territory and its ancestors (a handful of levels at most)."""
        ids: list[int] = []
        node: Territory | None = self
        while node is not None:
            ids.append(node.pk)
            node = node.parent
        return ids

    def root(self) -> Territory:
        """The top of the tree this territory belongs to (the city)."""
        node = self
        while node.parent is not None:
            node = node.parent
        return node

    def descendant_ids(self) -> list[int]:
        ids = [self.pk]
        frontier = [self.pk]
        while frontier:
            frontier = list(Territory.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            ids.extend(frontier)
        return ids


class Theme(models.Model):
    name = models.CharField(_("nom"), max_length=80, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """A city department that instructs proposals and carries commitments."""

    name = models.CharField(_("nom"), max_length=150, unique=True)
    email = models.EmailField(_("courriel"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name


class ProcessQuerySet(SignalledWritesQuerySet["Process"]):
    def published(self) -> ProcessQuerySet:
        return self.filter(is_published=True)


class Process(Covered):
    class Level(models.TextChoices):
        INFORMATION = "information", _("Information")
        CONSULTATION = "consultation", _("Consultation")
        CONCERTATION = "concertation", _("Concertation")
        COCONSTRUCTION = "coconstruction", _("Co-construction")

    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=200, unique=True)
    summary = models.CharField(_("résumé"), max_length=400)
    description = models.TextField(_("description"), blank=True)
    description_html = models.TextField(editable=False, blank=True)
    territory = models.ForeignKey(
        Territory, verbose_name=_("territoire"), on_delete=models.PROTECT, related_name="processes"
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("thèmes"), blank=True, related_name="processes")
    participation_level = models.CharField(
        _("niveau de participation"), max_length=20, choices=Level.choices, default=Level.CONSULTATION
    )
    # The rules of the game, shown before anyone contributes.
    rules_open = models.TextField(_("ce qui est ouvert au débat"))
    rules_closed = models.TextField(_("ce qui n'est pas négociable"))
    rules_decider = models.TextField(_("qui décide"))
    rules_use = models.TextField(_("comment les contributions seront utilisées"))
    answer_due = models.DateField(_("date de la réponse de la Ville"))
    falc_summary = models.TextField(
        _("résumé en FALC"), blank=True, help_text=_("Version facile à lire et à comprendre.")
    )
    is_published = models.BooleanField(_("publiée"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProcessQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("démarche participative")
        verbose_name_plural = _("démarches participatives")
        constraints = [
            # A cover picture (apps.core.covers) never without its text alternative.
            cover_alt_constraint("process_cover_has_alt"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        from apps.core.richtext import render_rich_text

        self.description_html = render_rich_text(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("pages:process", kwargs={"slug": self.slug})

    def current_phase(self, now: datetime.datetime | None = None) -> Phase | None:
        now = now or timezone.now()
        return next((phase for phase in self.ordered_phases() if phase.is_active(now)), None)

    def ordered_phases(self) -> list[Phase]:
        # Reads the prefetch cache straight when the caller prefetched ``phases``: the related
        # manager ``phases.all()`` builds would answer from it too, but building it was most of
        # the cost of this call, made several times per ballot (issue 15).
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("phases")
        phases = prefetched if prefetched is not None else self.phases.all()
        return sorted(phases, key=lambda phase: (phase.starts_at, phase.id))

    def state(self, now: datetime.datetime | None = None) -> str:
        """Return "upcoming", "open" or "closed", from the phase dates alone."""
        now = now or timezone.now()
        phases = self.ordered_phases()
        if not phases or now < phases[0].starts_at:
            return "upcoming"
        if now >= phases[-1].ends_at:
            return "closed"
        return "open"


class PhaseQuerySet(SignalledWritesQuerySet["Phase"]):
    pass


class Phase(models.Model):
    """A dated step of a process, hosting one module in one of its phase kinds.

    There is no "current phase" flag: the phase in force is the one whose dates
    contain now, so nobody has to remember to switch phases by hand.
    """

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="phases")
    module = models.CharField(_("module"), max_length=50)
    kind = models.CharField(_("type d'étape"), max_length=50)
    title = models.CharField(_("titre"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    # When followers were told that this phase started (or when the announcement was
    # deliberately skipped): see ``apps.notifications.services.notify_started_phases``.
    start_announced_at = models.DateTimeField(_("début annoncé le"), null=True, blank=True, editable=False)

    objects = PhaseQuerySet.as_manager()

    class Meta:
        ordering = ["process", "starts_at", "pk"]
        verbose_name = _("étape")
        verbose_name_plural = _("étapes")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="phase_ends_after_start"),
        ]
        indexes = [
            models.Index(fields=["process", "module", "starts_at"]),
            # Small partial index: only the phases whose start has not been announced yet.
            models.Index(fields=["starts_at"], condition=Q(start_announced_at__isnull=True), name="phase_to_announce"),
        ]

    def __str__(self) -> str:
        return f"{self.process} — {self.title}"

    def is_active(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at

    def phase_kind(self) -> PhaseKind | None:
        manifest = get_manifest(self.module)
        return manifest.phase_kind(self.kind) if manifest else None

    def allows(self) -> frozenset[str]:
        kind = self.phase_kind()
        return kind.allows if kind else frozenset()


class Role(models.TextChoices):
    AGENT = "agent", _("Agent·e")
    ELU = "elu", _("Élu·e")
    MODERATOR = "moderator", _("Modérateur·rice")
    ADMIN = "admin", _("Administrateur·rice")


class RoleAssignment(models.Model):
    """A role scoped to the whole city (no territory, no process), a territory or a process."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("rôle"), max_length=12, choices=Role.choices)
    territory = models.ForeignKey(Territory, null=True, blank=True, on_delete=models.CASCADE)
    process = models.ForeignKey(Process, null=True, blank=True, on_delete=models.CASCADE)
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("attribution de rôle")
        verbose_name_plural = _("attributions de rôles")
        # Scope is at most one of territory / process (none means city-wide).
        # A NULL never equals another NULL in a unique index, so "one assignment per person,
        # role and scope" takes one partial constraint per kind of scope.
        constraints = [
            models.CheckConstraint(
                condition=Q(territory__isnull=True) | Q(process__isnull=True), name="role_single_scope"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(territory__isnull=True, process__isnull=True),
                name="unique_role_city_wide",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "territory"],
                condition=Q(territory__isnull=False),
                name="unique_role_territory",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "process"],
                condition=Q(process__isnull=False),
                name="unique_role_process",
            ),
        ]

    def __str__(self) -> str:
        scope = self.process or self.territory or _("toute la ville")
        return f"{self.user} — {self.get_role_display()} ({scope})"


class AuditLogImmutable(Exception):
    """Raised on any attempt to change or remove an audit-log entry."""


class AuditLogQuerySet(models.QuerySet["AuditLogEntry"]):
    # Bulk writes bypass ``save``/``delete``: refuse them too. On PostgreSQL a trigger
    # (migration 0003) refuses them whatever the code path, raw SQL included.
    def update(self, **kwargs: Any) -> int:
        raise AuditLogImmutable("audit-log entries cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogImmutable("audit-log entries cannot be deleted")


class AuditLogEntry(models.Model):
    """Append-only trail of every agent, élu, moderator and administrator action.

    Entries are only ever added: an update or a deletion raises here, and on PostgreSQL a
    trigger refuses them in the database (the one change it lets through is the actor link
    set to NULL when an account row is deleted; the label stays).
    """

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=80, db_index=True)
    target_type = models.CharField(max_length=80)
    target_id = models.CharField(max_length=40)
    target_label = models.CharField(max_length=250)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("entrée du journal d'audit")
        verbose_name_plural = _("journal d'audit")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogImmutable("audit-log entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogImmutable("audit-log entries cannot be deleted")


def audit(actor: User | None, action: str, target: models.Model, **details: Any) -> AuditLogEntry:
    return AuditLogEntry.objects.create(
        actor=actor,
        actor_label=actor.display_name if actor else "system",
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:250],
        details=details,
    )


def random_key() -> int:
    """A random positive 63-bit primary key: unlike a sequence it says nothing of the order in
    which rows were written (the n-th ballot and the n-th participation event share no key order)."""
    return secrets.randbelow(2**63 - 1) + 1


class Channel(models.TextChoices):
    """How a person took part (the « aller-vers » channels are all but online)."""

    ONLINE = "online", _("En ligne")
    PAPER = "paper", _("Papier")
    COUNTER = "counter", _("Guichet")
    STREET = "street", _("Dans la rue")
    MEETING = "meeting", _("Réunion")
    PHONE = "phone", _("Téléphone")  # an idea taken down by an agent on the phone (initiatives)


class ParticipationEvent(models.Model):
    """One act of participation (a proposal, a support, a comment, a ballot, a registration, an
    attendance...) with a snapshot of who took part *at that moment*: their quartier and whether
    it is a QPV, their age band and gender when they consented, the channel and whether it was
    their first act on the platform. Moving or deleting the account later changes nothing here
    (consuldemocracy #5531 read the current profile instead).

    Secrecy: the event knows the process, never what was voted; it carries a day, never a time,
    and a random key, so that neither key order nor a timestamp pairs it with a ballot row (the
    vote close also rewrites ballot events in a random order, see
    ``apps.core.participation.reshuffle``). ``person`` is the only personal link: it is set to
    NULL when the account is deleted and the anonymous snapshot stays for the aggregates.
    Written only through ``apps.core.participation.record``."""

    id = models.BigIntegerField(primary_key=True, default=random_key, editable=False)
    module = models.CharField(_("module"), max_length=40)
    kind = models.CharField(_("acte"), max_length=30)
    day = models.DateField(_("jour"))
    # ``process`` and ``person`` have no index of their own: the (process, day) and (person,
    # day) indexes below start with them and serve every look-up by either (two indexes fewer
    # to write per act, a ballot included).
    process = models.ForeignKey(
        Process,
        verbose_name=_("démarche"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    territory = models.ForeignKey(
        Territory, verbose_name=_("quartier"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    priority_area = models.BooleanField(_("habite un QPV"), null=True, blank=True)
    age_band = models.CharField(_("tranche d'âge"), max_length=8, blank=True)
    gender = models.CharField(_("genre"), max_length=2, blank=True)
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    # NULL when unknown (a paper entry without an account).
    first_time = models.BooleanField(_("première participation"), null=True, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = _("acte de participation")
        verbose_name_plural = _("actes de participation")
        indexes = [
            models.Index(fields=["day"], name="participation_day"),
            models.Index(fields=["process", "day"], name="participation_process_day"),
            models.Index(fields=["person", "day"], name="participation_person_day"),
        ]

    def __str__(self) -> str:
        return f"{self.module}.{self.kind} {self.day}"
