"""Forms of the vote: the ballot (one shape per ballot type) and the paper sheet entry."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.budgets.models import BallotType, Budget, Envelope, Project
from apps.budgets.voting import ballots
from apps.core.forms import DateInput
from apps.core.params import parse_int

CHECKBOX_FIELD = "projets"


def _int(value: Any) -> int:
    return parse_int(str(value).strip(), default=0) or 0


def parse_choices(budget: Budget, projects: list[Project], data: Mapping[str, Any]) -> ballots.Choices:
    """What the person ticked or typed, read leniently (for the running total and the
    "change my choices" step; the form validates strictly)."""
    pks = {p.pk for p in projects}
    if budget.ballot_type in (BallotType.APPROVAL, BallotType.KNAPSACK):
        raw = data.getlist(CHECKBOX_FIELD) if hasattr(data, "getlist") else data.get(CHECKBOX_FIELD, [])
        return {pk: 1 for pk in (_int(v) for v in raw) if pk in pks}
    prefix = "points_" if budget.ballot_type == BallotType.CUMULATIVE else "rang_"
    values = {pk: _int(data.get(f"{prefix}{pk}", "")) for pk in pks}
    return {pk: value for pk, value in values.items() if value > 0}


def project_keys(projects: list[Project]) -> frozenset[str]:
    """The values a ballot's checkboxes may carry: the projects' ids as ``str`` writes them."""
    return frozenset(map(str, [p.id for p in projects]))  # id: an attribute, pk a property


def valid_checkbox_choices(
    budget: Budget, envelope: Envelope, projects: list[Project], data: QueryDict
) -> ballots.Choices | None:
    """``BallotForm(data, ask_birth_date=False, …).choices()`` when that form is valid, for an
    approval or knapsack ballot, without building the form (≈ 150 Python calls at every ballot
    POST, issue 15); None when the form could refuse ``data``, or for another ballot type: the
    caller then builds the form, which gives its own messages.

    The form accepts exactly this: every ``projets`` value (``getlist``, as its checkboxes read
    it) is one of ``project_keys`` (``MultipleChoiceField``: ``str`` of each value, each a valid
    choice; none is fine as the field is optional), and ``ballots.validate`` finds nothing wrong
    with the choices (``BallotForm.clean``). Any other value (a number written otherwise, Unicode
    digits, a NUL, a huge string) is not a key and goes to the form."""
    if budget.ballot_type not in (BallotType.APPROVAL, BallotType.KNAPSACK):
        return None
    raw = data.getlist(CHECKBOX_FIELD)
    if not project_keys(projects).issuperset(raw):
        return None
    choices = dict.fromkeys(map(int, raw), 1)
    if ballots.validate(budget, envelope, projects, choices):
        return None
    return choices


class ProjectCheckboxes(forms.CheckboxSelectMultiple):
    """The error summary links to the first box (Django gives a group of boxes no label target)."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return f"{id_}_{index or 0}" if id_ else id_


class ProjectChoiceField(forms.MultipleChoiceField):
    """The projects ticked on a ballot. A posted key is checked against the set of the ballot's
    project keys; the list of choices is built (and normalised, by Django, for the field and
    again for its widget) only if a template iterates it, never on a ballot POST, where that
    work was ≈ 4 % of the request's CPU (bench/README.md, issue 15)."""

    def __init__(self, *, projects: list[Project], **kwargs: Any) -> None:
        self.project_keys = project_keys(projects)
        super().__init__(choices=lambda: [(str(p.pk), p.title) for p in projects], **kwargs)

    def valid_value(self, value: Any) -> bool:
        return str(value) in self.project_keys


class BallotForm(forms.Form):
    """One ballot. Fields: ``projets`` (checkboxes) for approval and knapsack ballots,
    ``points_<pk>`` for cumulative ballots, ``rang_<pk>`` for ranked ballots, and
    ``birth_date`` when the vote has an age condition and the account has no birth date."""

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        budget: Budget,
        envelope: Envelope,
        projects: list[Project],
        ask_birth_date: bool,
        initial_choices: ballots.Choices | None = None,
        initial_birth_date: str = "",
    ) -> None:
        super().__init__(data)
        self.budget = budget
        self.envelope = envelope
        self.projects = projects
        chosen = initial_choices or {}
        kind = budget.ballot_type
        if kind in (BallotType.APPROVAL, BallotType.KNAPSACK):
            self.fields[CHECKBOX_FIELD] = ProjectChoiceField(
                label=_("Vos projets"),
                projects=projects,
                required=False,
                widget=ProjectCheckboxes,
                initial=[str(pk) for pk in chosen],
            )
        elif kind == BallotType.CUMULATIVE:
            for project in projects:
                self.fields[f"points_{project.pk}"] = forms.IntegerField(
                    label=project.title,
                    required=False,
                    min_value=0,
                    max_value=budget.max_points_per_project or budget.points_per_voter or None,
                    initial=chosen.get(project.pk) or None,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "points-input"}),
                    error_messages={
                        "invalid": _("Indiquez un nombre entier de points."),
                        "min_value": _("Le nombre de points ne peut pas être négatif."),
                        "max_value": _("Un projet peut recevoir %(limit_value)s points au plus."),
                    },
                )
        else:
            ranks = min(budget.max_choices or len(projects), len(projects))
            for project in projects:
                self.fields[f"rang_{project.pk}"] = forms.TypedChoiceField(
                    label=project.title,
                    required=False,
                    choices=[("", _("Non classé"))] + [(str(i), str(i)) for i in range(1, ranks + 1)],
                    coerce=int,
                    empty_value=None,
                    initial=str(chosen[project.pk]) if project.pk in chosen else "",
                    error_messages={"invalid_choice": _("Choisissez un rang dans la liste.")},
                )
        if ask_birth_date:
            self.fields["birth_date"] = forms.DateField(
                label=_("Votre date de naissance"),
                help_text=_("Ce vote est ouvert à partir de %(age)s ans. Exemple : 14/07/1990.")
                % {"age": budget.min_age},
                widget=DateInput(attrs={"autocomplete": "bday"}),
                input_formats=["%Y-%m-%d", "%d/%m/%Y"],
                initial=initial_birth_date or None,
                error_messages={
                    "required": _("Indiquez votre date de naissance."),
                    "invalid": _("Saisissez une date valide, par exemple 14/07/1990."),
                },
            )

    @property
    def ballot_error_field(self) -> str | None:
        return CHECKBOX_FIELD if CHECKBOX_FIELD in self.fields else None

    def clean_birth_date(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        if value > today or value.year < 1900:
            raise forms.ValidationError(_("Saisissez une date de naissance réelle."))
        return value

    def choices(self) -> ballots.Choices:
        data = self.cleaned_data
        kind = self.budget.ballot_type
        if kind in (BallotType.APPROVAL, BallotType.KNAPSACK):
            return {int(pk): 1 for pk in data.get(CHECKBOX_FIELD, [])}
        prefix = "points_" if kind == BallotType.CUMULATIVE else "rang_"
        values = {p.pk: data.get(f"{prefix}{p.pk}") or 0 for p in self.projects}
        return {pk: int(value) for pk, value in values.items() if value}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # Ballot rules are checked as soon as the ballot fields parse, so every problem
        # (a missing birth date and too many projects) is listed at once.
        if any(name == CHECKBOX_FIELD or name.startswith(("points_", "rang_")) for name in self.errors):
            return cleaned
        for message in ballots.validate(self.budget, self.envelope, self.projects, self.choices()):
            self.add_error(self.ballot_error_field, message)
        return cleaned


class PaperSheetForm(BallotForm):
    """A paper sheet typed by an agent: the ballot plus the sheet number and the voter's
    identity as checked at the desk (never stored: turned into a keyed digest)."""

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        budget: Budget,
        envelope: Envelope,
        projects: list[Project],
        with_number: bool = True,
        envelopes: list[Envelope] | None = None,
    ) -> None:
        super().__init__(data, budget=budget, envelope=envelope, projects=projects, ask_birth_date=False)
        head: dict[str, forms.Field] = {}
        if with_number:
            head["number"] = forms.CharField(
                label=_("Numéro du bulletin papier"),
                max_length=30,
                error_messages={"required": _("Indiquez le numéro imprimé sur le bulletin.")},
            )
        head["voter_name"] = forms.CharField(
            label=_("Nom et prénom de la personne (liste d'émargement)"),
            max_length=150,
            help_text=_("Jamais enregistré en clair : sert seulement à vérifier qu'une personne ne vote qu'une fois."),
            error_messages={"required": _("Indiquez le nom et le prénom de la personne.")},
        )
        head["voter_birth_date"] = forms.DateField(
            label=_("Date de naissance de la personne"),
            widget=DateInput(attrs={"autocomplete": "off"}),
            input_formats=["%Y-%m-%d", "%d/%m/%Y"],
            error_messages={
                "required": _("Indiquez la date de naissance de la personne."),
                "invalid": _("Saisissez une date valide, par exemple 14/07/1990."),
            },
        )
        # The identity first, then the ballot, in the order of the paper sheet.
        self.fields = {**head, **self.fields}


class VoidSheetForm(forms.Form):
    envelope = forms.ModelChoiceField(
        label=_("Enveloppe"),
        queryset=Envelope.objects.none(),
        empty_label=None,
        error_messages={"required": _("Choisissez l'enveloppe."), "invalid_choice": _("Choisissez l'enveloppe.")},
    )
    number = forms.CharField(
        label=_("Numéro du bulletin papier"),
        max_length=30,
        error_messages={"required": _("Indiquez le numéro imprimé sur le bulletin.")},
    )
    reason = forms.CharField(
        label=_("Motif de nullité"),
        max_length=200,
        help_text=_("Par exemple : illisible, trop de projets cochés, identité manquante."),
        error_messages={"required": _("Indiquez le motif de nullité.")},
    )

    def __init__(self, data: Mapping[str, Any] | None = None, *, budget: Budget, initial: dict[str, Any]) -> None:
        super().__init__(data, initial=initial)
        self.fields["envelope"].queryset = budget.envelopes.select_related("territory")  # type: ignore[attr-defined]


class EnvelopeChoiceForm(forms.Form):
    envelope = forms.TypedChoiceField(label=_("Enveloppe du bulletin"), coerce=int)
