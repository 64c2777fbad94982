"""Residents' own initiatives: the single open door (an idea filed in plain words, a named
referent, every step timestamped), the resource directory it routes to, and the calls that fund
initiatives — judged by a paritary jury (bureau des projets) or, without competition, supported
while the envelope lasts (appel à agir).

Money is kept in euros with cents (``Decimal``, two places), never floats. A call's envelope is
enforced under a row lock by the services and, as a last line, by a check constraint on the
call's committed total."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.models import Process, Territory

ZERO = Decimal("0.00")


class Help(models.TextChoices):
    """What a holder may ask for; a resource of the directory answers one of them."""

    MONEY = "money", _("De l'argent")
    ROOM = "room", _("Une salle")
    EQUIPMENT = "equipment", _("Du matériel")
    ADVICE = "advice", _("Des conseils")
    CONTACTS = "network", _("Des contacts")
    PERMIT = "permit", _("Une autorisation")


HELP_FIELDS = {help_kind: f"help_{help_kind}" for help_kind in Help.values}


class Category(models.TextChoices):
    LIVING = "living", _("Cadre de vie et espace public")
    SOLIDARITY = "solidarity", _("Solidarités et entraide")
    CULTURE = "culture", _("Culture et fête de quartier")
    NATURE = "nature", _("Nature, jardins et environnement")
    SPORT = "sport", _("Sport et jeux")
    # Ideas that fit no box are a category of their own, never a dead end.
    NO_BOX = "no_box", _("Ne rentre dans aucune case")


class Channel(models.TextChoices):
    ONLINE = "online", _("En ligne")
    COUNTER = "counter", _("Au guichet")
    PHONE = "phone", _("Par téléphone")
    STREET = "street", _("Dans la rue ou en réunion")


class Initiative(models.Model):
    class Stage(models.TextChoices):
        FILED = "filed", _("Déposée")
        ROUTING = "routing", _("En cours d'orientation")
        CALL = "call", _("Présentée à un appel")
        FUNDED = "funded", _("Soutenue")
        REALISED = "realised", _("Réalisée")
        CLOSED = "closed", _("Close sans suite")

    title = models.CharField(_("Votre idée en une phrase"), max_length=200)
    description = models.TextField(_("Racontez-la avec vos mots"), max_length=5000)
    place = models.CharField(_("Où ?"), max_length=250, help_text=_("Une rue, un square, un immeuble…"))
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="+", verbose_name=_("Quartier"))
    who = models.CharField(
        _("Qui est partant ?"), max_length=300, help_text=_("Par exemple : trois voisines et l'amicale de locataires.")
    )
    category = models.CharField(_("Thème"), max_length=12, choices=Category.choices, default=Category.NO_BOX)
    help_money = models.BooleanField(_("De l'argent"), default=False)
    help_room = models.BooleanField(_("Une salle"), default=False)
    help_equipment = models.BooleanField(_("Du matériel"), default=False)
    help_advice = models.BooleanField(_("Des conseils"), default=False)
    help_network = models.BooleanField(_("Des contacts"), default=False)
    help_permit = models.BooleanField(_("Une autorisation"), default=False)
    is_public = models.BooleanField(
        _("Montrer mon idée sur le site"),
        default=True,
        help_text=_("Sans votre nom : le titre, le lieu, le quartier et l'avancement."),
    )
    channel = models.CharField(_("Canal"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    # The holder: an account, or for an idea an agent took at a counter, a name and a contact.
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    holder_name = models.CharField(_("Nom de la personne"), max_length=150, blank=True)
    holder_contact = models.CharField(_("Téléphone ou e-mail"), max_length=200, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.FILED)
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Promised when filed, from the deadline the city set then (a later change does not move it).
    referent_due = models.DateTimeField()
    referent_assigned_at = models.DateTimeField(null=True, blank=True)
    first_reply_at = models.DateTimeField(null=True, blank=True)
    decision_at = models.DateTimeField(null=True, blank=True)
    call = models.ForeignKey(
        "Call", null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("Appel")
    )
    amount_requested = models.DecimalField(
        _("Montant demandé (€)"), max_digits=12, decimal_places=2, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    # When the dossier was presented to its call, and for a call in sessions, the session that
    # examines it (the first whose cutoff day had not passed then).
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    session = models.ForeignKey(
        "CallSession", null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers", editable=False
    )
    # Follows of the initiative (a generic target of ``notifications.Follow``): deleted with it.
    follows = GenericRelation(
        "notifications.Follow",
        content_type_field="target_type",
        object_id_field="target_id",
        related_query_name="initiative",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The récit: the story of the realised project, told by its holder or the referent, public.
    story = models.TextField(
        _("Le récit du projet"),
        max_length=6000,
        blank=True,
        help_text=_("Ce qui a été fait, avec qui, ce qui a marché et ce qui a été difficile, ce que vous en retenez."),
    )
    story_at = models.DateTimeField(null=True, blank=True)
    # Holders joining forces: a merged idea points to the project it joined (and is closed).
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged", editable=False
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        constraints = [
            models.CheckConstraint(condition=Q(amount_requested__gte=0), name="initiative_amount_not_negative"),
        ]
        indexes = [models.Index(fields=["territory", "stage"], name="initiative_territory_stage")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("initiatives:detail", kwargs={"pk": self.pk})

    @property
    def helps(self) -> list[str]:
        return [kind for kind, name in HELP_FIELDS.items() if getattr(self, name)]

    def help_labels(self) -> list[str]:
        return [str(Help(kind).label) for kind in self.helps]


class Step(models.Model):
    """One timestamped step of an initiative's journey, shown to its holder with the delay."""

    class Kind(models.TextChoices):
        FILED = "filed", _("Idée déposée")
        REFERENT = "referent", _("Référent·e désigné·e")
        CONTACT = "contact", _("Premier contact")
        ROUTED = "routed", _("Orientation vers des ressources")
        CALL = "call", _("Présentée à un appel")
        DECISION = "decision", _("Décision")
        PAYMENT = "payment", _("Versement")
        REALISED = "realised", _("Réalisation")
        NOTE = "note", _("Étape")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField()
    note = models.TextField(_("Ce qui a été fait ou convenu"), max_length=2000, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.initiative_id} {self.kind} {self.at:%Y-%m-%d}"


class Resource(models.Model):
    """An entry of the resource directory: a room, equipment, a service, a fund…, with its
    conditions and whom to contact (an office, not a person's private address)."""

    kind = models.CharField(_("Ce qu'elle apporte"), max_length=10, choices=Help.choices)
    name = models.CharField(_("Nom"), max_length=200)
    description = models.TextField(_("Description"), max_length=2000)
    conditions = models.TextField(_("Conditions"), max_length=2000, blank=True)
    contact = models.CharField(_("Contact (service, accueil)"), max_length=250)
    territory = models.ForeignKey(
        Territory,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Quartier"),
        help_text=_("Laissez vide pour une ressource de toute la ville."),
    )
    is_published = models.BooleanField(_("Publiée"), default=True)

    class Meta:
        ordering = ["kind", "name", "pk"]
        verbose_name = _("ressource")
        verbose_name_plural = _("ressources")

    def __str__(self) -> str:
        return self.name


class Call(models.Model):
    class Mode(models.TextChoices):
        JURY = "jury", _("Bureau des projets (jury paritaire)")
        OPEN = "open", _("Appel à agir (sans mise en concurrence)")
        SESSIONS = "sessions", _("Appel à agir en sessions (sans mise en concurrence)")

    title = models.CharField(_("Titre"), max_length=200)
    slug = models.SlugField(_("Identifiant dans l'adresse"), max_length=200, unique=True)
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="+", verbose_name=_("Territoire"))
    mode = models.CharField(_("Mode"), max_length=10, choices=Mode.choices)
    budget = models.DecimalField(
        _("Enveloppe (€)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    max_amount = models.DecimalField(
        _("Aide maximale par projet (€)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    rules = models.TextField(_("Règles du jeu"), max_length=5000)
    criteria = models.TextField(_("Critères publiés"), max_length=5000)
    opens_on = models.DateField(_("Ouverture"))
    closes_on = models.DateField(_("Clôture des dépôts"))
    decides_on = models.DateField(_("Décisions au plus tard le"))
    is_published = models.BooleanField(_("Publié"), default=False)
    # Where the supported projects are followed until realised (the follow-up of commitments hangs
    # on a process): each grant becomes a commitment labelled « initiative habitante ».
    process = models.ForeignKey(
        Process,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Démarche où suivre les projets soutenus"),
    )
    # Matchfunding: each euro pledged by residents and partners to a supported project is matched
    # by the call's fund at this ratio (0: no matchfunding), within the caps, out of the envelope.
    match_ratio = models.DecimalField(
        _("Abondement par euro promis"),
        max_digits=4,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
    )
    match_cap_project = models.DecimalField(
        _("Abondement maximal par projet (€)"), max_digits=12, decimal_places=2, default=ZERO
    )
    match_cap_donor = models.DecimalField(
        _("Promesse abondée au plus par donateur·rice (€)"), max_digits=12, decimal_places=2, default=ZERO
    )
    # The sum of the amounts granted, kept by the services under the call's row lock.
    committed = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO, editable=False)
    sittings = GenericRelation("sittings.Sitting", content_type_field="body_type", object_id_field="body_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("appel")
        verbose_name_plural = _("appels")
        constraints = [
            # The envelope is never overspent, whatever the code path.
            models.CheckConstraint(
                condition=Q(committed__gte=0) & Q(committed__lte=F("budget")), name="call_envelope_not_overspent"
            ),
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="call_closes_after_opening"),
            models.CheckConstraint(condition=Q(decides_on__gte=F("closes_on")), name="call_decides_after_closing"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("initiatives:call", kwargs={"slug": self.slug})

    def sitting_url(self, sitting: object) -> str:
        return self.get_absolute_url()

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.committed


class JuryMember(models.Model):
    """A seat of a call's paritary jury: élu·es and habitant·es in equal numbers, designated for a
    year or drawn by lot. Names are public (a jury deciding public money is accountable)."""

    class College(models.TextChoices):
        ELU = "elu", _("Élu·e")
        RESIDENT = "resident", _("Habitant·e")

    class Designation(models.TextChoices):
        DESIGNATED = "designated", _("Désigné·e pour un an")
        DRAWN = "drawn", _("Tiré·e au sort")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="jury")
    name = models.CharField(_("Nom affiché"), max_length=150)
    college = models.CharField(_("Collège"), max_length=10, choices=College.choices)
    designation = models.CharField(_("Désignation"), max_length=10, choices=Designation.choices)
    term_end = models.DateField(_("Fin du mandat"))

    class Meta:
        ordering = ["college", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "name"], name="jury_member_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Decision(models.Model):
    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Acceptée")
        CONDITIONS = "conditions", _("Acceptée sous conditions")
        REDIRECTED = "redirected", _("Réorientée")
        REFUSED = "refused", _("Refusée")

    GRANTING = (Outcome.ACCEPTED, Outcome.CONDITIONS)

    initiative = models.OneToOneField(Initiative, on_delete=models.PROTECT, related_name="decision")
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="decisions")
    sitting = models.ForeignKey(
        "sittings.Sitting", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("Séance")
    )
    outcome = models.CharField(_("Décision"), max_length=10, choices=Outcome.choices)
    amount = models.DecimalField(_("Montant accordé (€)"), max_digits=12, decimal_places=2, default=ZERO)
    conditions = models.TextField(_("Conditions"), max_length=2000, blank=True)
    reasons = models.TextField(_("Motifs (publiés)"), max_length=4000)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    paid = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO, editable=False)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(outcome__in=["accepted", "conditions"]) & Q(amount__gt=0))
                | (Q(outcome__in=["redirected", "refused"]) & Q(amount=0)),
                name="decision_amount_matches_outcome",
            ),
            models.CheckConstraint(condition=Q(paid__gte=0) & Q(paid__lte=F("amount")), name="decision_paid_within"),
            models.CheckConstraint(
                condition=~Q(outcome="conditions") | ~Q(conditions=""), name="decision_conditions_stated"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.outcome}"


class Payment(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(
        _("Montant versé (€)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    paid_on = models.DateField(_("Date du versement"))
    reference = models.CharField(_("Référence (mandat, reçu)"), max_length=100)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive")]

    def __str__(self) -> str:
        return f"{self.amount} € ({self.reference})"


class Pledge(models.Model):
    """A promise of money to a supported project. Archipel records money, it does not take it:
    the pledge gets a payment reference, the money is paid to the city's régie (or a partner
    platform), and an agent reconciles it; only then does it count, and the fund match with it."""

    class State(models.TextChoices):
        PENDING = "pending", _("En attente du paiement")
        RECEIVED = "received", _("Reçue")

    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="pledges")
    donor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    amount = models.DecimalField(_("Montant promis (€)"), max_digits=12, decimal_places=2)
    reference = models.CharField(_("Référence de paiement"), max_length=20, unique=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    received_at = models.DateTimeField(null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="pledge_positive"),
            models.CheckConstraint(
                condition=Q(state="pending", received_at__isnull=True) | Q(state="received", received_at__isnull=False),
                name="pledge_received_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class LedgerImmutable(Exception):
    """Raised on any attempt to change or remove a ledger entry."""


class LedgerQuerySet(models.QuerySet["LedgerEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise LedgerImmutable("ledger entries cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise LedgerImmutable("ledger entries cannot be deleted")


class LedgerEntry(models.Model):
    """One line of the append-only, double-entry ledger of matchfunding: each movement (a pledge
    received) writes lines that sum to zero — the donors' and the fund's parts leave their
    accounts, their total reaches the project. A pledge is booked once per account (unique)."""

    class Account(models.TextChoices):
        DONORS = "donors", _("Dons")
        FUND = "fund", _("Abondement du fonds")
        PROJECT = "project", _("Projet")

    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="ledger")
    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="entries")
    account = models.CharField(max_length=10, choices=Account.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["pledge", "account"], name="ledger_one_line_per_pledge_account"),
        ]

    def __str__(self) -> str:
        return f"{self.pledge_id} {self.account} {self.amount}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise LedgerImmutable("ledger entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise LedgerImmutable("ledger entries cannot be deleted")


# Models of the « rejoindre » and recognition part, kept in their own file.
from apps.initiatives.closing_models import Attachment as Attachment  # noqa: E402
from apps.initiatives.closing_models import ClosingReport as ClosingReport  # noqa: E402
from apps.initiatives.community_models import CoHolder as CoHolder  # noqa: E402
from apps.initiatives.community_models import HelpOffer as HelpOffer  # noqa: E402
from apps.initiatives.community_models import TimeGiven as TimeGiven  # noqa: E402
from apps.initiatives.message_models import ActorMessage as ActorMessage  # noqa: E402
from apps.initiatives.session_models import CallSession as CallSession  # noqa: E402
from apps.initiatives.showcase_models import Actor as Actor  # noqa: E402
from apps.initiatives.showcase_models import OpenDoor as OpenDoor  # noqa: E402
