"""The count: from the stored ballots to ``Result`` rows, the public explanations and the
downloads (Pabulib ``.pb``, CSV, JSON). Counting itself is :mod:`apps.budgets.counting`.

How ballots become an election (project ids are the projects' primary keys as strings,
costs are ``Project.cost``, the budget is the envelope's amount):

- approval and knapsack ballots → Pabulib ``approval`` (the set of chosen projects);
- cumulative ballots → ``cumulative`` (points per project);
- ranked ballots → ``ordinal`` (projects in order of preference; the counting library
  gives a project at position i of a ballot of length L a Borda score of L − 1 − i).
"""

from __future__ import annotations

import io
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.accounts.models import User
from apps.budgets import counting
from apps.budgets.models import (
    BallotChoice,
    BallotType,
    Budget,
    Envelope,
    PaperSheet,
    Project,
    ProjectStatus,
    Result,
    VoterRecord,
)
from apps.budgets.voting import ballots, result_charts, rules, services
from apps.core import choropleth, csvsafe
from apps.core.charts import BarChart, StackedBarChart
from apps.core.models import Territory, audit

VOTE_TYPES: dict[str, counting.VoteType] = {
    BallotType.APPROVAL: "approval",
    BallotType.KNAPSACK: "approval",
    BallotType.CUMULATIVE: "cumulative",
    BallotType.RANKED: "ordinal",
}


def _ballots_of(envelope: Envelope, vote_type: str) -> list[counting.Ballot]:
    rows = (
        BallotChoice.objects.filter(ballot__envelope=envelope)
        .order_by("ballot_id", "rank", "project_id")
        .values_list("ballot_id", "project_id", "points", "rank")
    )
    grouped: dict[int, list[tuple[str, int, int | None]]] = defaultdict(list)
    for ballot_id, project_id, points, rank in rows.iterator(chunk_size=5000):
        grouped[ballot_id].append((str(project_id), points, rank))
    result: list[counting.Ballot] = []
    for choices in grouped.values():
        if vote_type == "cumulative":
            result.append(counting.Points((pid, points) for pid, points, _rank in choices))
        elif vote_type == "ordinal":
            result.append(tuple(pid for pid, _points, _rank in choices))
        else:
            result.append(frozenset(pid for pid, _points, _rank in choices))
    return result


def build_election(envelope: Envelope) -> tuple[counting.Election, list[Project]]:
    budget = envelope.budget
    projects = list(ballots.ballot_projects(envelope))
    vote_type = VOTE_TYPES[budget.ballot_type]
    meta = {
        "description": f"{budget.process.title} — {envelope}",
        "country": "France",
        "unit": str(envelope),
        "instance": budget.process.slug,
        "rule": budget.counting_rule,
        "currency": "EUR",
    }
    if vote_type == "approval" and budget.max_choices:
        meta["max_length"] = str(budget.max_choices)
    if vote_type == "cumulative" and budget.points_per_voter:
        meta["max_sum_points"] = str(budget.points_per_voter)
    election = counting.Election(
        projects=tuple(counting.Project(id=str(p.pk), cost=p.cost, name=p.title) for p in projects),
        ballots=counting.Profile(_ballots_of(envelope, vote_type)),
        budget=envelope.amount,
        vote_type=vote_type,
        meta=meta,
    )
    return election, projects


def _plain(value: Any) -> Any:
    """JSON-friendly numbers: ints stay ints, fractions become floats rounded to the cent."""
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else round(float(value), 2)
    if isinstance(value, float):
        return round(value, 2)
    return value


def count_envelope(envelope: Envelope) -> dict[str, Any]:
    budget = envelope.budget
    election, _projects = build_election(envelope)
    completion = budget.completion or None
    outcome = counting.count(election, budget.counting_rule, completion if budget.counting_rule != "greedy" else None)
    explanations = {
        pid: {
            "selected": e.selected,
            "votes": _plain(e.votes),
            "cost": _plain(e.cost),
            "reason": e.reason_code,
            "remaining": _plain(e.remaining_budget_when_considered),
            "max_payment": _plain(e.max_payment),
            "supporters": e.supporters_count,
            "supporters_budget_left": _plain(e.supporters_budget_left),
            "round": e.round,
        }
        for pid, e in outcome.explanations.items()
    }
    return {
        "selected": [int(pid) for pid in outcome.selected],
        "spent": int(_plain(outcome.cost)),
        "explanations": explanations,
        "ballot_count": election.num_voters,
        "seconds": outcome.seconds,
    }


def _quartier_of(territory: Territory | None, by_pk: dict[int, Territory]) -> Territory | None:
    node = territory
    while node is not None and node.kind == Territory.Kind.MICRO:
        node = by_pk.get(node.parent_id) if node.parent_id else None
    return node


def turnout(envelope: Envelope) -> dict[str, dict[str, Any]]:
    """Voters per quartier (from the voter records), over the quartier's population."""
    counts = VoterRecord.objects.filter(envelope=envelope).values("territory_id").annotate(n=Count("pk")).order_by()
    territories = {t.pk: t for t in Territory.objects.all()}
    per_quartier: dict[str, dict[str, Any]] = {}
    for row in counts:
        quartier = _quartier_of(territories.get(row["territory_id"]), territories)
        key = quartier.slug if quartier else ""
        entry = per_quartier.setdefault(
            key,
            {
                "name": quartier.name if quartier else str(_("Quartier non renseigné")),
                "voters": 0,
                "population": quartier.population if quartier else None,
            },
        )
        entry["voters"] += row["n"]
    if envelope.territory is not None and envelope.territory.slug not in per_quartier:
        per_quartier[envelope.territory.slug] = {
            "name": envelope.territory.name,
            "voters": 0,
            "population": envelope.territory.population,
        }
    for entry in per_quartier.values():
        population = entry["population"]
        entry["rate"] = round(100 * entry["voters"] / population, 2) if population else None
    return dict(sorted(per_quartier.items(), key=lambda item: item[1]["name"]))


def compute_results(budget: Budget) -> list[Result]:
    """Count every envelope from its stored ballots and store the outcome (not published)."""
    stored = []
    for envelope in budget.envelopes.select_related("territory", "budget__process"):
        counted = count_envelope(envelope)
        result, _created = Result.objects.update_or_create(
            envelope=envelope,
            defaults={
                "rule": budget.counting_rule,
                "completion": budget.completion if budget.counting_rule != "greedy" else "",
                "ballot_count": counted["ballot_count"],
                "selected": counted["selected"],
                "spent": counted["spent"],
                "explanations": counted["explanations"],
                "turnout": turnout(envelope),
                "seconds": counted["seconds"],
            },
        )
        stored.append(result)
    return stored


def pending_sheets(budget: Budget) -> int:
    return PaperSheet.objects.filter(
        envelope__budget=budget, state__in=[PaperSheet.State.FIRST_ENTRY, PaperSheet.State.DISPUTED]
    ).count()


@transaction.atomic
def results_publish(*, agent: User, budget: Budget) -> list[Result]:
    """Count and publish: after the close only, once every paper sheet is settled."""
    budget = Budget.objects.select_for_update().select_related("process").get(pk=budget.pk)
    if not rules.can_publish_results(agent, budget):
        raise PermissionDenied
    waiting = pending_sheets(budget)
    if waiting:
        raise ValidationError(
            ngettext(
                "%(count)s bulletin papier attend encore sa seconde saisie ou un arbitrage.",
                "%(count)s bulletins papier attendent encore leur seconde saisie ou un arbitrage.",
                waiting,
            )
            % {"count": waiting}
        )
    if not services.vote_close(budget=budget):
        # Closed earlier: paper sheets confirmed since then are mixed with the others before the
        # count (a close made just now has shuffled everything already).
        for envelope in budget.envelopes.all():
            services.shuffle_ballots(envelope)
    stored = compute_results(budget)
    for result in stored:
        on_ballot = ballots.ballot_projects(result.envelope)
        on_ballot.filter(pk__in=result.selected).update(status=ProjectStatus.SELECTED, updated_at=timezone.now())
        on_ballot.exclude(pk__in=result.selected).update(status=ProjectStatus.NOT_SELECTED, updated_at=timezone.now())
    now = timezone.now()
    Budget.objects.filter(pk=budget.pk).update(results_published_at=now)
    budget.results_published_at = now
    audit(
        agent,
        "budget.results_published",
        budget,
        selected={str(r.envelope): r.selected for r in stored},
        ballots=sum(r.ballot_count for r in stored),
    )
    return stored


# --- recount ---------------------------------------------------------------------------------


@dataclass
class Recount:
    envelope: Envelope
    published: Result | None
    recount: dict[str, Any]

    @property
    def votes(self) -> dict[str, Any]:
        return {pid: e["votes"] for pid, e in self.recount["explanations"].items()}

    @property
    def published_votes(self) -> dict[str, Any]:
        return {pid: e["votes"] for pid, e in (self.published.explanations if self.published else {}).items()}

    @property
    def matches(self) -> bool:
        return (
            self.published is not None
            and self.published.selected == self.recount["selected"]
            and self.published.ballot_count == self.recount["ballot_count"]
            and self.published.spent == self.recount["spent"]
            and self.published_votes == self.votes
        )


def recount(budget: Budget) -> list[Recount]:
    """Count again from the stored ballots, without writing anything."""
    return [
        Recount(
            envelope=envelope,
            published=Result.objects.filter(envelope=envelope).first(),
            recount=count_envelope(envelope),
        )
        for envelope in budget.envelopes.select_related("territory", "budget__process")
    ]


# --- public explanations ----------------------------------------------------------------------


def _votes_label(budget: Budget, votes: Any) -> str:
    if budget.ballot_type == BallotType.CUMULATIVE:
        return ngettext("%(n)s point", "%(n)s points", int(votes)) % {"n": _number(votes)}
    if budget.ballot_type == BallotType.RANKED:
        return ngettext("%(n)s point de classement", "%(n)s points de classement", int(votes)) % {"n": _number(votes)}
    return ngettext("%(n)s voix", "%(n)s voix", int(votes)) % {"n": _number(votes)}


def _number(value: Any) -> str:
    from django.utils.formats import number_format

    return number_format(value, decimal_pos=0, force_grouping=True)


def explain(budget: Budget, explanation: dict[str, Any]) -> str:
    """Why this project won or lost, in one French sentence."""
    votes = _votes_label(budget, explanation["votes"])
    cost = ballots.euros(int(explanation["cost"]))
    remaining = explanation.get("remaining")
    remaining_text = ballots.euros(int(remaining)) if remaining is not None else None
    reason = explanation["reason"]
    if reason == "selected" and budget.counting_rule == "equal-shares" and explanation.get("max_payment") is not None:
        return _(
            "Retenu : %(votes)s, %(cost)s ; ses %(supporters)s soutiens pouvaient le payer à parts égales "
            "(au plus %(share)s chacun)."
        ) % {
            "votes": votes,
            "cost": cost,
            "supporters": explanation.get("supporters", 0),
            "share": ballots.euros(round(explanation["max_payment"])),
        }
    if reason in ("selected", "selected_in_completion"):
        prefix = _("Retenu") if reason == "selected" else _("Retenu lors de la complétion")
        if remaining_text:
            return _("%(prefix)s : %(votes)s, %(cost)s ; il restait %(remaining)s dans l'enveloppe.") % {
                "prefix": prefix,
                "votes": votes,
                "cost": cost,
                "remaining": remaining_text,
            }
        return _("%(prefix)s : %(votes)s, %(cost)s.") % {"prefix": prefix, "votes": votes, "cost": cost}
    if reason == "not_affordable":
        return _("Non retenu : %(votes)s, %(cost)s ; ne rentrait plus dans l'enveloppe (il restait %(remaining)s).") % {
            "votes": votes,
            "cost": cost,
            "remaining": remaining_text or ballots.euros(0),
        }
    if reason == "supporters_budget_exhausted":
        left = explanation.get("supporters_budget_left")
        sentence = _(
            "Non retenu : les %(supporters)s soutiens n'avaient plus assez de budget : "
            "il leur restait %(left)s pour un coût de %(cost)s."
        ) % {
            "supporters": explanation.get("supporters", 0),
            "left": ballots.euros(round(left or 0)),
            "cost": cost,
        }
        if remaining_text is not None:
            sentence += " " + _("Il ne rentrait pas non plus dans le reste de l'enveloppe (%(remaining)s).") % {
                "remaining": remaining_text
            }
        return sentence
    return _("Non retenu : aucune voix.")


@dataclass
class ProjectLine:
    project: Project
    votes: Any
    votes_label: str
    cost: int
    selected: bool
    sentence: str


@dataclass
class EnvelopeResults:
    envelope: Envelope
    result: Result
    lines: list[ProjectLine]
    turnout_map: choropleth.Choropleth | None = None

    @property
    def winners(self) -> list[ProjectLine]:
        order = {pk: i for i, pk in enumerate(self.result.selected)}
        return sorted((line for line in self.lines if line.selected), key=lambda line: order.get(line.project.pk, 0))

    @property
    def turnout_rows(self) -> list[dict[str, Any]]:
        return list(self.result.turnout.values())

    @property
    def envelope_chart(self) -> StackedBarChart:
        return result_charts.envelope_chart(self)

    @property
    def projects_chart(self) -> StackedBarChart:
        return result_charts.projects_chart(self)

    @property
    def turnout_chart(self) -> BarChart:
        return result_charts.turnout_chart(self)


def _turnout_map(result: Result, outlines: dict[str, Any]) -> choropleth.Choropleth | None:
    """Turnout per quartier of residence on the map (None with fewer than two quartiers drawn)."""
    regions = [
        choropleth.Region(name=row["name"], boundary=outlines.get(slug), value=row.get("rate"))
        for slug, row in result.turnout.items()
        if slug
    ]
    return choropleth.build(
        regions,
        title=_("Participation au vote par quartier de résidence"),
        description=_("Plus le quartier est foncé, plus la part de ses habitants qui ont voté est grande."),
        formatter=lambda rate: f"{number_format(rate, 1)} %",
    )


def envelope_results(budget: Budget) -> list[EnvelopeResults]:
    """What the results page shows, per envelope: projects by decreasing votes."""
    output = []
    results = {r.envelope_id: r for r in Result.objects.filter(envelope__budget=budget)}
    outlines = dict(Territory.objects.exclude(boundary=None).values_list("slug", "boundary"))
    for envelope in budget.envelopes.select_related("territory"):
        result = results.get(envelope.pk)
        if result is None:
            continue
        lines = []
        for project in ballots.ballot_projects(envelope):
            explanation = result.explanations.get(str(project.pk))
            if explanation is None:
                continue
            lines.append(
                ProjectLine(
                    project=project,
                    votes=explanation["votes"],
                    votes_label=_votes_label(budget, explanation["votes"]),
                    cost=int(explanation["cost"]),
                    selected=bool(explanation["selected"]),
                    sentence=explain(budget, explanation),
                )
            )
        lines.sort(key=lambda line: (-float(line.votes), line.cost, line.project.pk))
        output.append(
            EnvelopeResults(envelope=envelope, result=result, lines=lines, turnout_map=_turnout_map(result, outlines))
        )
    return output


# --- downloads --------------------------------------------------------------------------------


def envelope_for_download(budget: Budget, envelope_pk: int | None) -> list[Envelope]:
    envelopes = list(budget.envelopes.select_related("territory", "budget__process"))
    if envelope_pk is None:
        return envelopes
    return [e for e in envelopes if e.pk == envelope_pk]


def pabulib_text(envelope: Envelope) -> str:
    """The election of one envelope in Pabulib format: anonymous ballots numbered 1..n
    (in the stored, shuffled order), with the published outcome as the ``selected`` column."""
    election, _projects = build_election(envelope)
    result = Result.objects.filter(envelope=envelope).first()
    selected = [str(pk) for pk in result.selected] if result else None
    return counting.write_pabulib(election, selected)


RESULT_COLUMNS = (
    "envelope",
    "project_id",
    "ballot_number",
    "title",
    "cost",
    "votes",
    "selected",
    "reason",
    "explanation",
)


def result_rows(budget: Budget) -> Iterable[dict[str, Any]]:
    for block in envelope_results(budget):
        for line in block.lines:
            yield {
                "envelope": str(block.envelope),
                "project_id": line.project.pk,
                "ballot_number": line.project.ballot_number,
                "title": line.project.title,
                "cost": line.cost,
                "votes": line.votes,
                "selected": line.selected,
                "reason": block.result.explanations[str(line.project.pk)]["reason"],
                "explanation": line.sentence,
            }


def results_csv(budget: Budget) -> str:
    out = io.StringIO()
    # Project titles are residents' text: no formula reaches a spreadsheet (apps/core/csvsafe.py).
    writer = csvsafe.SafeDictWriter(out, fieldnames=RESULT_COLUMNS)
    writer.writeheader()
    writer.writerows(result_rows(budget))
    return out.getvalue()


def results_json(budget: Budget) -> str:
    data = {
        "process": budget.process.slug,
        "rule": budget.counting_rule,
        "completion": budget.completion or None,
        "ballot_type": budget.ballot_type,
        "published_at": budget.results_published_at.isoformat() if budget.results_published_at else None,
        "envelopes": [
            {
                "envelope": str(block.envelope),
                "territory": block.envelope.territory.slug if block.envelope.territory else None,
                "amount": block.envelope.amount,
                "ballots": block.result.ballot_count,
                "spent": block.result.spent,
                "selected": block.result.selected,
                "turnout": block.result.turnout,
                "projects": [
                    {
                        "id": line.project.pk,
                        "title": line.project.title,
                        "cost": line.cost,
                        "votes": line.votes,
                        "selected": line.selected,
                        "explanation": line.sentence,
                        **{k: v for k, v in block.result.explanations[str(line.project.pk)].items() if k != "votes"},
                    }
                    for line in block.lines
                ],
            }
            for block in envelope_results(budget)
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)
