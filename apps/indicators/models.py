"""Reference populations (INSEE figures by quartier) and the city's alert thresholds.

The participation events themselves live in the core (``apps.core.models.ParticipationEvent``),
below the modules that record them: a module cannot import this one."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Territory
from apps.indicators.rollup import PEOPLE, PROCESSES


class Dimension(models.TextChoices):
    TOTAL = "total", _("Population totale")
    AGE = "age", _("Tranche d'âge")
    GENDER = "gender", _("Sexe")
    QPV = "qpv", _("Population vivant en QPV")


class ReferencePopulation(models.Model):
    """The population of one quartier in one year for one category: the total (``value`` ""),
    an age band (the codes of the accounts' age bands), a sex (« f », « m ») or the population
    living in a QPV (``value`` ""). Imported from INSEE's IRIS tables
    (:mod:`apps.indicators.insee`); one import replaces the year's rows of its quartiers."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("année"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    dimension = models.CharField(_("dimension"), max_length=8, choices=Dimension.choices)
    value = models.CharField(_("catégorie"), max_length=8, blank=True)
    count = models.PositiveIntegerField(_("population"))

    class Meta:
        verbose_name = _("population de référence")
        verbose_name_plural = _("populations de référence")
        constraints = [
            models.UniqueConstraint(fields=["territory", "year", "dimension", "value"], name="one_reference_figure"),
        ]

    def __str__(self) -> str:
        return f"{self.territory} {self.year} {self.dimension}:{self.value} = {self.count}"


class Thresholds(models.Model):
    """The city's alert thresholds (one row): a group is under-represented in an open process
    when its share among participants is below ``min_ratio`` × its share of the population,
    and the gap is beyond the confidence interval."""

    min_ratio = models.DecimalField(
        _("seuil de représentativité"),
        max_digits=3,
        decimal_places=2,
        default=0.7,
        validators=[MinValueValidator(0.1), MaxValueValidator(1)],
        help_text=_("Exemple : 0,70 = alerte quand un groupe pèse moins de 70 % de sa part dans la population."),
    )
    min_participants = models.PositiveIntegerField(
        _("participants minimum avant alerte"),
        default=30,
        validators=[MinValueValidator(11), MaxValueValidator(100000)],
        help_text=_("En dessous, trop peu de participants pour conclure : pas d'alerte."),
    )

    class Meta:
        verbose_name = _("seuils d'alerte")
        verbose_name_plural = _("seuils d'alerte")

    def __str__(self) -> str:
        return f"{self.min_ratio} / {self.min_participants}"

    @classmethod
    def current(cls) -> Thresholds:
        return cls.objects.order_by("pk").first() or cls()


class ParticipationRollup(models.Model):
    """The participation events added up per year, person and snapshot, maintained by database
    triggers on ``core_participationevent`` (:mod:`apps.indicators.rollup`): every insert,
    update (an account deleted sets ``person`` NULL) and delete of an event moves its counts
    here in the same transaction, so that the indicators of a city with millions of events read
    a table a fraction of that size and stay exact (distinct people, not estimates).

    One row per (year, module, process, territory, QPV, age band, gender, channel, person).
    Keys are never NULL so that the upsert finds its row: 0 stands for « none » (no process,
    no territory, an act without an account) and ``priority_area`` is -1 when unknown.
    ``person_key`` 0 gathers the acts without an account: each counts as one participant, as in
    the events. ``q1``…``q4`` are the acts of each quarter (over-solicitation), ``first_acts``
    the acts flagged as the person's first participation."""

    year = models.PositiveSmallIntegerField()
    module = models.CharField(max_length=40)
    process_key = models.BigIntegerField()
    territory_key = models.BigIntegerField()
    priority_area = models.SmallIntegerField()
    age_band = models.CharField(max_length=8)
    gender = models.CharField(max_length=2)
    channel = models.CharField(max_length=10)
    person_key = models.BigIntegerField()
    acts = models.IntegerField()
    first_acts = models.IntegerField()
    q1 = models.IntegerField()
    q2 = models.IntegerField()
    q3 = models.IntegerField()
    q4 = models.IntegerField()

    class Meta:
        verbose_name = _("agrégat de participation")
        verbose_name_plural = _("agrégats de participation")
        constraints = [
            # The key the triggers' upsert finds its row by (one list, in apps.indicators.rollup).
            models.UniqueConstraint(
                fields=list(PROCESSES.keys),
                name="one_participation_rollup_row",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "process_key"], name="rollup_year_process"),
            models.Index(fields=["year", "territory_key"], name="rollup_year_territory"),
            models.Index(fields=["person_key", "year"], name="rollup_person_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.module} {self.process_key} {self.person_key}: {self.acts}"


class ParticipantRollup(models.Model):
    """The participation events added up per year, module, snapshot and person, **without the
    process** (:data:`apps.indicators.rollup.PEOPLE`): what the city and quartier pages read
    (distinct participants, channels, first-timers, renewal, age, gender, QPV and quartier).
    About one row per participant and year: a person who acts in ten processes through two
    channels has one row per module and snapshot, where ``ParticipationRollup`` has one per
    process, module, channel and snapshot. Kept by the same triggers' code, in the writer's
    transaction.

    Keys are never NULL (0: no territory, no account; ``priority_area`` -1: unknown);
    ``person_key`` 0 gathers the acts without an account, each counting as one participant.
    ``acts_<channel>`` are the acts through each channel (their sum is ``acts``)."""

    year = models.PositiveSmallIntegerField()
    module = models.CharField(max_length=40)
    territory_key = models.BigIntegerField()
    priority_area = models.SmallIntegerField()
    age_band = models.CharField(max_length=8)
    gender = models.CharField(max_length=2)
    person_key = models.BigIntegerField()
    acts = models.IntegerField()
    first_acts = models.IntegerField()
    acts_online = models.IntegerField()
    acts_paper = models.IntegerField()
    acts_counter = models.IntegerField()
    acts_street = models.IntegerField()
    acts_meeting = models.IntegerField()
    acts_phone = models.IntegerField()

    class Meta:
        verbose_name = _("agrégat de participation par personne")
        verbose_name_plural = _("agrégats de participation par personne")
        constraints = [
            # The key the triggers' upsert finds its row by; it also serves the year filter.
            models.UniqueConstraint(fields=list(PEOPLE.keys), name="one_participant_rollup_row"),
        ]
        indexes = [
            models.Index(fields=["year", "territory_key"], name="people_year_territory"),
            models.Index(fields=["year", "person_key"], name="people_year_person"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.module} {self.person_key}: {self.acts}"


class Measure(models.TextChoices):
    """What the platform computes (apps.indicators.selectors): the city's catalogue names and
    defines its indicators among these."""

    CHANNELS = "channels", _("Participants par canal")
    AGE = "age", _("Âge des participants")
    GENDER = "gender", _("Genre des participants")
    QPV = "qpv", _("Participants vivant en QPV")
    QUARTIER = "quartier", _("Quartier de résidence des participants")
    RENEWAL = "renewal", _("Renouvellement et sursollicitation")
    ACCOUNTABILITY = "accountability", _("Réponses et engagements")


class CatalogueIndicator(models.Model):
    """One indicator of the catalogue the city defines (« définis par la MEL et choisis ensuite
    par les structures », seed 004): a measure the platform computes, under the city's title and
    definition. Structures pick their own set among them."""

    measure = models.CharField(_("mesure"), max_length=20, choices=Measure.choices, unique=True)
    title = models.CharField(_("intitulé"), max_length=150)
    definition = models.TextField(_("définition"), blank=True, max_length=2000)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("indicateur du catalogue")
        verbose_name_plural = _("catalogue des indicateurs")

    def __str__(self) -> str:
        return self.title


class Structure(models.Model):
    """A structure that follows participation with its own dashboard: a city service, a
    council, a centre social. Its agents choose its indicators among the catalogue; its
    territory (a quartier, or none for the city) is what its dashboard is about."""

    class Kind(models.TextChoices):
        SERVICE = "service", _("Service de la Ville")
        COUNCIL = "council", _("Conseil (conseil citoyen, de quartier…)")
        SOCIAL_CENTRE = "social_centre", _("Centre social")
        OTHER = "other", _("Autre structure")

    name = models.CharField(_("nom"), max_length=150, unique=True)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territoire"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Le quartier suivi ; vide : toute la ville."),
    )
    agents = models.ManyToManyField(
        "accounts.User", verbose_name=_("agents de la structure"), blank=True, related_name="indicator_structures"
    )
    indicators = models.ManyToManyField(
        CatalogueIndicator, verbose_name=_("indicateurs choisis"), blank=True, related_name="structures"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("structure")
        verbose_name_plural = _("structures")

    def __str__(self) -> str:
        return self.name
