"""Participatory budgets: envelopes, projects, ballots and results.

Secrecy of the vote is a property of the schema, not of the views:

- ``VoterRecord`` says *who* voted in an envelope (one row per person, unique);
- ``Ballot`` says *what* was voted, with no foreign key to a person and no timestamp.

The only bridge is ``Ballot.locator``, an HMAC of (envelope, person) under a key kept out
of the database (``settings.BALLOT_LOCATOR_KEY``), so that a person can change their ballot
until the close. When the vote closes the locators are erased, and from then on nobody,
administrators included, can tell who voted what.

Side channels are closed too (docs/BALLOT_SECRECY.md): voter records, ballots and ballot
choices have random primary keys (``random_key``), never sequential ones, so that ordering
both tables by key pairs nobody; ballots carry no channel and no time; paper sheets forget
their choices once counted.
"""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import REQUIRABLE_VERIFICATIONS
from apps.core.covers import Covered, cover_alt_constraint
from apps.core.models import Process, Territory
from apps.core.richtext import render_rich_text


def random_key() -> int:
    """A random positive 63-bit primary key: unlike a sequence, it says nothing of the order
    in which rows were written (the n-th voter and the n-th ballot share no key order)."""
    return secrets.randbelow(2**63 - 1) + 1


class BallotType(models.TextChoices):
    APPROVAL = "approval", _("Approbation (un nombre maximum de projets)")
    KNAPSACK = "knapsack", _("Panier (total dans l'enveloppe)")
    CUMULATIVE = "cumulative", _("Points à répartir")
    RANKED = "ranked", _("Classement par préférence")


class CountingRule(models.TextChoices):
    GREEDY = "greedy", _("Les plus votés, dans la limite de l'enveloppe")
    EQUAL_SHARES = "equal-shares", _("Méthode des parts égales (Equal Shares)")


class Completion(models.TextChoices):
    NONE = "", _("Aucune")
    ADD1_UTILITARIAN = "add1-utilitarian", _("Budget augmenté d'un euro par votant, puis les plus votés (Add1)")


class Budget(models.Model):
    """The rules of one participatory budget: one per process (the process gives the phases)."""

    process = models.OneToOneField(Process, on_delete=models.CASCADE, related_name="budget")
    total_amount = models.PositiveBigIntegerField(_("montant total (€)"))
    # Envelope formula: a share for the city-wide envelope, a floor per quartier, then the
    # rest split by weighted criteria (see ``EnvelopeCriterion`` and ``envelopes.py``).
    city_wide_share = models.DecimalField(
        _("part de l'enveloppe « toute la ville » (%)"), max_digits=5, decimal_places=2, default=0
    )
    minimum_per_quartier = models.PositiveBigIntegerField(_("minimum par quartier (€)"), default=0)
    # Ballot rules, frozen by ``rules_frozen_at`` once the first ballot is cast.
    ballot_type = models.CharField(
        _("type de bulletin"), max_length=12, choices=BallotType.choices, default=BallotType.APPROVAL
    )
    max_choices = models.PositiveSmallIntegerField(
        _("nombre maximum de projets"), null=True, blank=True, help_text=_("Approbation et classement.")
    )
    min_spend_share = models.PositiveSmallIntegerField(
        _("part minimale de l'enveloppe à dépenser (%)"), default=0, help_text=_("Bulletin « panier » seulement.")
    )
    points_per_voter = models.PositiveSmallIntegerField(_("points par votant·e"), null=True, blank=True)
    max_points_per_project = models.PositiveSmallIntegerField(_("points maximum par projet"), null=True, blank=True)
    counting_rule = models.CharField(
        _("règle de dépouillement"), max_length=14, choices=CountingRule.choices, default=CountingRule.GREEDY
    )
    completion = models.CharField(
        _("méthode de complétion"), max_length=20, choices=Completion.choices, blank=True, default=""
    )
    # Eligibility.
    min_age = models.PositiveSmallIntegerField(_("âge minimum"), default=16)
    residents_only = models.BooleanField(_("réservé aux habitant·es de la ville"), default=True)
    required_verification = models.CharField(
        _("niveau de compte exigé"),
        max_length=10,
        choices=REQUIRABLE_VERIFICATIONS,
        default="email",
    )
    rules_falc = models.TextField(_("les règles du vote en facile à lire (FALC)"), blank=True)
    rules_frozen_at = models.DateTimeField(_("règles gelées le"), null=True, blank=True, editable=False)
    results_published_at = models.DateTimeField(_("résultats publiés le"), null=True, blank=True, editable=False)
    # Set when the vote closed and the ballot locators were erased (see module docstring).
    locators_erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("budget participatif")
        verbose_name_plural = _("budgets participatifs")
        constraints = [
            models.CheckConstraint(condition=Q(min_spend_share__lte=100), name="budget_min_spend_share_max_100"),
            models.CheckConstraint(condition=Q(city_wide_share__lte=100), name="budget_city_wide_share_max_100"),
        ]

    def __str__(self) -> str:
        return str(self.process)

    def get_absolute_url(self) -> str:
        return reverse("budgets:detail", kwargs={"slug": self.process.slug})

    @property
    def rules_are_frozen(self) -> bool:
        return self.rules_frozen_at is not None

    @property
    def required_verification_text(self) -> str:
        """The account the vote requires, in plain French (``voting.rules`` words it)."""
        from apps.budgets.voting.rules import required_verification_text

        return required_verification_text(self)


class EnvelopeCriterion(models.Model):
    """One weighted criterion of the public envelope formula."""

    class Source(models.TextChoices):
        POPULATION = "population", _("Population du quartier")
        PRIORITY_POPULATION = "priority_population", _("Population vivant en quartier prioritaire (QPV)")
        EQUAL = "equal", _("Part égale entre quartiers")

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="criteria")
    source = models.CharField(_("critère"), max_length=24, choices=Source.choices)
    weight = models.DecimalField(_("poids (%)"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("critère de répartition")
        verbose_name_plural = _("critères de répartition")
        constraints = [models.UniqueConstraint(fields=["budget", "source"], name="one_weight_per_criterion")]

    def __str__(self) -> str:
        return f"{self.get_source_display()} ({self.weight} %)"


class Envelope(models.Model):
    """An amount for one quartier (or for the whole city when ``territory`` is None)."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="envelopes")
    territory = models.ForeignKey(Territory, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    amount = models.PositiveBigIntegerField(_("montant (€)"))
    # The step-by-step computation shown on the public page (see ``envelopes.py``).
    computation = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["territory__name"]
        verbose_name = _("enveloppe")
        verbose_name_plural = _("enveloppes")
        constraints = [
            models.UniqueConstraint(fields=["budget", "territory"], name="one_envelope_per_territory"),
            models.UniqueConstraint(
                fields=["budget"], condition=Q(territory__isnull=True), name="one_city_wide_envelope"
            ),
        ]

    def __str__(self) -> str:
        return str(self.territory) if self.territory else str(_("Toute la ville"))


class ProjectStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Déposé")
    UNDER_ANALYSIS = "under_analysis", _("En cours d'analyse")
    FEASIBLE = "feasible", _("Réalisable : soumis au vote")
    NOT_FEASIBLE = "not_feasible", _("Non réalisable")
    MERGED = "merged", _("Fusionné avec un autre projet")
    WITHDRAWN = "withdrawn", _("Retiré")
    SELECTED = "selected", _("Lauréat")
    NOT_SELECTED = "not_selected", _("Non retenu au vote")


class Project(Covered):
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="projects")
    envelope = models.ForeignKey(Envelope, on_delete=models.PROTECT, related_name="projects")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="budget_projects"
    )
    collective = models.CharField(_("collectif ou association (facultatif)"), max_length=150, blank=True)
    coauthors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="coauthored_budget_projects",
        verbose_name=_("co-auteur·ices"),
    )
    title = models.CharField(_("titre"), max_length=150)
    description = models.TextField(_("description"))
    description_html = models.TextField(editable=False, blank=True)
    address = models.CharField(_("adresse ou lieu"), max_length=250, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    estimated_cost = models.PositiveBigIntegerField(_("coût estimé par le porteur (€)"))
    # Technical analysis by the services.
    status = models.CharField(
        _("état"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.SUBMITTED, db_index=True
    )
    city_cost = models.PositiveBigIntegerField(_("coût estimé par la Ville (€)"), null=True, blank=True)
    analysis_reason = models.TextField(_("avis motivé des services"), blank=True)
    analysed_at = models.DateTimeField(null=True, blank=True)
    # The documented eligibility rules checked by the services ({rule code: met?}), shown with
    # the reasoned opinion (see ``apps.budgets.projects.eligibility``).
    eligibility = models.JSONField(_("critères d'éligibilité vérifiés"), default=dict, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_projects"
    )
    # Number on the ballot paper and in the Pabulib export (stable once the vote opens).
    ballot_number = models.PositiveIntegerField(_("numéro sur le bulletin"), null=True, blank=True)
    comment_count = models.PositiveIntegerField(default=0)
    # Its comments (apps.discussion): deleted with it, as the foreign key used to.
    comments = GenericRelation("discussion.Comment", content_type_field="target_type", object_id_field="target_id")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["ballot_number", "pk"]
        verbose_name = _("projet")
        verbose_name_plural = _("projets")
        constraints = [
            models.UniqueConstraint(fields=["budget", "ballot_number"], name="one_ballot_number_per_budget"),
            models.CheckConstraint(
                condition=~Q(status="not_feasible") | ~Q(analysis_reason=""), name="not_feasible_needs_reason"
            ),
            cover_alt_constraint("budget_project_cover_has_alt"),
        ]
        indexes = [models.Index(fields=["budget", "status"], name="project_budget_status")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.description_html = render_rich_text(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("budgets:project", kwargs={"pk": self.pk})

    @property
    def cost(self) -> int:
        """The cost that counts for the vote: the city's estimate once there is one."""
        return self.city_cost if self.city_cost is not None else self.estimated_cost


class ProjectInvitation(models.Model):
    """An author invites an existing account to co-sign a project; the person appears among
    the co-authors only once they accept (nobody is named publicly without consent)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="budget_invitations")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("invitation à co-porter un projet")
        verbose_name_plural = _("invitations à co-porter un projet")
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="one_invitation_per_person")]

    def __str__(self) -> str:
        return f"{self.project} → {self.user}"


class VoterRecord(models.Model):
    """Who voted in an envelope: never what. The database refuses a second record of one
    person in one *scope* of a budget (the city-wide envelope, or one quartier envelope),
    whatever the number of parallel requests: nobody votes in two quartiers by changing
    their home quartier. The quartier record also fixes the quartier in force for the person
    in this budget (see ``rules.fixed_quartier_id``)."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("En ligne")
        PAPER = "paper", _("Papier")

    class Scope(models.TextChoices):
        CITY = "city", _("Toute la ville")
        QUARTIER = "quartier", _("Quartier")

    id = models.BigIntegerField(primary_key=True, default=random_key, editable=False)
    # ``budget`` and ``scope`` follow from the envelope; stored so that a unique constraint
    # can hold "one quartier envelope per person and budget".
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="voter_records")
    scope = models.CharField(max_length=8, choices=Scope.choices)
    envelope = models.ForeignKey(Envelope, on_delete=models.CASCADE, related_name="voter_records")
    # Online voters are accounts; paper voters are identified by a keyed digest of the
    # identity checked at the polling desk (name, birth date), so that nobody votes twice.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="budget_votes"
    )
    paper_identity = models.CharField(max_length=64, blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.ONLINE)
    # The voter's quartier when they voted (the quartier of the envelope for a quartier record).
    territory = models.ForeignKey(Territory, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # A day, never a time: ballots carry no date at all (see the module docstring). A default
    # rather than ``auto_now_add``, so that the close can rewrite the records keeping it.
    voted_on = models.DateField(default=datetime.date.today, editable=False)

    class Meta:
        verbose_name = _("participation au vote")
        verbose_name_plural = _("participations au vote")
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "user", "scope"],
                condition=Q(user__isnull=False),
                name="one_vote_per_person_and_scope",
            ),
            models.UniqueConstraint(
                fields=["budget", "paper_identity", "scope"],
                condition=~Q(paper_identity=""),
                name="one_paper_vote_per_person_and_scope",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(paper_identity=""), name="voter_record_identifies_someone"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.envelope} — {self.get_channel_display()}"

    @staticmethod
    def scope_of(envelope: Envelope) -> str:
        return VoterRecord.Scope.CITY if envelope.territory_id is None else VoterRecord.Scope.QUARTIER


class Ballot(models.Model):
    """What was voted: no person, no time, no channel (see the module docstring)."""

    id = models.BigIntegerField(primary_key=True, default=random_key, editable=False)
    envelope = models.ForeignKey(Envelope, on_delete=models.CASCADE, related_name="ballots")
    # HMAC(envelope, person) while the vote is open; NULL once erased at the close.
    locator = models.CharField(max_length=64, null=True, blank=True)
    # Shown to the voter as a receipt: proves the ballot is counted, reveals nothing else.
    receipt = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        # Unique constraints rather than ``unique=True``: on PostgreSQL a unique text field also
        # gets a second index (``varchar_pattern_ops``, for LIKE 'prefix%'), which every ballot
        # of voting day paid for and no query uses (both are only ever matched exactly).
        constraints = [
            models.UniqueConstraint(fields=["locator"], name="one_ballot_per_locator"),
            models.UniqueConstraint(fields=["receipt"], name="one_ballot_per_receipt"),
        ]

    def __str__(self) -> str:
        return self.receipt


class BallotChoice(models.Model):
    id = models.BigIntegerField(primary_key=True, default=random_key, editable=False)
    # No index of its own: the unique (ballot, project) index below starts with the ballot and
    # serves every look-up by ballot (one index fewer to write per choice on voting day).
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices", db_index=False)
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    # Cumulative ballots: points given; ranked ballots: 1 = first preference.
    points = models.PositiveSmallIntegerField(default=1)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "project"], name="one_choice_per_project"),
            models.UniqueConstraint(
                fields=["ballot", "rank"], condition=Q(rank__isnull=False), name="one_project_per_rank"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id}:{self.project_id}"


class ReplacedReceipt(models.Model):
    """A receipt that a change of ballot replaced: the receipt check says "replaced" rather
    than "unknown". Holds nothing else (no ballot, no person, no time)."""

    id = models.BigIntegerField(primary_key=True, default=random_key, editable=False)
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="+")
    receipt = models.CharField(max_length=32, unique=True)

    class Meta:
        verbose_name = _("reçu remplacé")
        verbose_name_plural = _("reçus remplacés")

    def __str__(self) -> str:
        return self.receipt


class PaperSheet(models.Model):
    """A paper ballot typed twice by two different agents (double entry): it counts only
    when both entries match and the second agent confirms. A confirmed sheet keeps neither
    the choices nor the voter's digest, nor a link to its ballot: only that it was counted
    (who typed it and confirmed it stays, for the audit)."""

    class State(models.TextChoices):
        FIRST_ENTRY = "first_entry", _("Première saisie")
        CONFIRMED = "confirmed", _("Confirmé (double saisie concordante)")
        DISPUTED = "disputed", _("Saisies discordantes : à revoir")
        VOID = "void", _("Bulletin nul")

    envelope = models.ForeignKey(Envelope, on_delete=models.CASCADE, related_name="paper_sheets")
    number = models.CharField(_("numéro du bulletin papier"), max_length=30)
    first_entry = models.JSONField(default=dict)
    first_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    second_entry = models.JSONField(null=True, blank=True)
    second_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=12, choices=State.choices, default=State.FIRST_ENTRY)
    void_reason = models.CharField(_("motif de nullité"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("bulletin papier")
        verbose_name_plural = _("bulletins papier")
        constraints = [
            models.UniqueConstraint(fields=["envelope", "number"], name="one_sheet_per_number"),
            models.CheckConstraint(
                condition=Q(second_by__isnull=True) | ~Q(second_by=models.F("first_by")),
                name="double_entry_by_two_agents",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class Result(models.Model):
    """The count of one envelope, computed from the stored ballots once the vote closed."""

    envelope = models.OneToOneField(Envelope, on_delete=models.CASCADE, related_name="result")
    rule = models.CharField(max_length=14, choices=CountingRule.choices)
    completion = models.CharField(max_length=20, choices=Completion.choices, blank=True)
    ballot_count = models.PositiveIntegerField()
    selected = models.JSONField(default=list)  # project pks in selection order
    spent = models.PositiveBigIntegerField()
    # Per project: votes, cost, why it won or lost (from the counting library's explanations).
    explanations = models.JSONField(default=dict)
    turnout = models.JSONField(default=dict)  # per quartier slug: voters, population, rate
    computed_at = models.DateTimeField(auto_now=True)
    seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = _("résultat")
        verbose_name_plural = _("résultats")

    def __str__(self) -> str:
        return f"{self.envelope}: {len(self.selected)}"
