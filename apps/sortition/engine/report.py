"""Audit report of a draw, and its verification from the files and the seed.

The report is a JSON-serialisable dict; ``verify_report`` recomputes everything it claims from
the pool files and the seed (see ``apps.sortition.engine.verify`` for the procedure).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from apps.sortition.engine.draw import draw_panel, integer_weights
from apps.sortition.engine.leximin import leximin
from apps.sortition.engine.model import Distribution, InfeasibleQuotas, Pool
from apps.sortition.engine.quotas import TypeTable, achieved_counts, build_types
from apps.sortition.engine.timeline import check_timeline
from apps.sortition.engine.version import __version__

#: Reports with the timeline of the seed (announcement, public event, draw): see ``timeline``.
REPORT_FORMAT = "archipel-sortition-audit/2"
#: Reports of draws made before the timeline existed (seed typed by the agent): the panel is
#: still recomputed, but nothing proves the seed was not chosen.
LEGACY_REPORT_FORMAT = "archipel-sortition-audit/1"
#: Probabilities recomputed on another machine may differ by LP round-off, never by more.
PROBABILITY_TOLERANCE = 1e-6


def audit_report(
    pool: Pool,
    distribution: Distribution,
    panel: Sequence[str],
    seed: str,
    *,
    pseudonymise: Callable[[str], str] | None = None,
    timeline: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """JSON-serialisable audit report of the draw (with its ``timeline`` when there is one).

    People appear only through ``pseudonymise(id)`` (identity by default). Nothing else about
    them is included: feature vectors appear per type, with the number of people of the type.
    """
    rename = pseudonymise or (lambda person: person)
    pseudonyms = {person: rename(person) for person in pool.ids}
    if len(set(pseudonyms.values())) != len(pseudonyms):
        raise ValueError("Deux personnes ont le même pseudonyme : choisir une autre fonction de pseudonymisation.")
    counts = achieved_counts(pool, panel)
    report: dict[str, Any] = {
        "format": REPORT_FORMAT if timeline is not None else LEGACY_REPORT_FORMAT,
        "software": {"name": "archipel sortition engine", "version": __version__},
        "algorithm": distribution.algorithm,
        "seed": seed,
        "files": {"respondents_sha256": pool.people_sha256, "categories_sha256": pool.categories_sha256},
        "pseudonymised": pseudonymise is not None,
        "pool_size": len(pool.ids),
        "panel_size": distribution.panel_size,
        "categories": list(pool.categories),
        "quotas": [
            {
                "category": q.category,
                "feature": q.feature,
                "min": q.min,
                "max": q.max,
                "pool": pool.count(q.category, q.feature),
                "achieved": counts[(q.category, q.feature)],
            }
            for q in pool.quotas
        ],
        "min_probability": distribution.min_probability(),
        "probabilities": {pseudonyms[p]: distribution.probabilities[p] for p in sorted(distribution.probabilities)},
        "distribution": {
            "types": [list(t) for t in distribution.types],
            "sizes": [len(m) for m in distribution.type_members],
            "compositions": [list(c) for c in distribution.compositions],
            "weights": list(distribution.weights),
            "weights_e12": integer_weights(distribution),
        },
        "panel": sorted(pseudonyms[p] for p in panel),
        "seconds": round(distribution.seconds, 3),
    }
    if timeline is not None:
        report["timeline"] = timeline
    return report


def distribution_from_report(report: dict[str, Any], table: TypeTable) -> Distribution:
    """The published lottery, attached to the members of each type in ``table``."""
    published = report["distribution"]
    types = tuple(tuple(t) for t in published["types"])
    if types != table.types:
        raise ValueError("les types (combinaisons de caractéristiques) du rapport ne sont pas ceux du fichier")
    return Distribution(
        algorithm=report["algorithm"],
        panel_size=int(report["panel_size"]),
        compositions=tuple(tuple(int(v) for v in c) for c in published["compositions"]),
        weights=tuple(float(w) for w in published["weights"]),
        types=table.types,
        type_members=table.members,
        probabilities={},
    )


def _type_probabilities(distribution: Distribution, table: TypeTable) -> list[float]:
    totals = [0.0] * table.n_types
    for composition, weight in zip(distribution.compositions, distribution.weights, strict=True):
        for t, count in enumerate(composition):
            totals[t] += weight * count
    return [total / int(size) for total, size in zip(totals, table.sizes, strict=True)]


def verify_report(report: dict[str, Any], pool: Pool, *, pseudonymise: Callable[[str], str] | None = None) -> list[str]:
    """Recompute the draw from ``pool`` and the report's seed; empty list = verified.

    Checks the files' hashes, the quotas, that every published panel composition meets them,
    that the published probabilities are those of the published lottery and (for leximin) equal
    to a fresh leximin computation, and that the seed draws exactly the published panel.
    ``pseudonymise`` must be the function used for the report (identity when it was not
    pseudonymised); without it, a pseudonymised panel is checked through its composition only.
    """
    problems: list[str] = []
    try:
        return _verify(report, pool, pseudonymise, problems)
    except InfeasibleQuotas as error:
        return [*problems, f"Aucun panel ne respecte les quotas du fichier : {error}"]
    except (KeyError, TypeError, ValueError) as error:
        return [*problems, f"Rapport illisible ou incohérent : {error}"]


def _verify(
    report: dict[str, Any], pool: Pool, pseudonymise: Callable[[str], str] | None, problems: list[str]
) -> list[str]:
    files = report["files"]
    if report.get("format") == REPORT_FORMAT:
        problems.extend(check_timeline(report, pool.people_sha256))
    elif report.get("format") != LEGACY_REPORT_FORMAT:
        problems.append(f"Format de rapport inconnu : {report.get('format')!r}.")
    if files["respondents_sha256"] != pool.people_sha256:
        problems.append(
            "L'empreinte SHA-256 de la liste ne correspond pas : "
            f"rapport {files['respondents_sha256']}, fichier {pool.people_sha256}."
        )
    if files["categories_sha256"] != pool.categories_sha256:
        problems.append(
            "L'empreinte SHA-256 du fichier des quotas ne correspond pas : "
            f"rapport {files['categories_sha256']}, fichier {pool.categories_sha256}."
        )
    panel_size = int(report["panel_size"])
    published_quotas = [(q["category"], q["feature"], q["min"], q["max"]) for q in report["quotas"]]
    if published_quotas != [(q.category, q.feature, q.min, q.max) for q in pool.quotas]:
        problems.append("Les quotas du rapport ne sont pas ceux du fichier des quotas.")
    table = build_types(pool)
    distribution = distribution_from_report(report, table)
    if [len(m) for m in table.members] != list(report["distribution"]["sizes"]):
        problems.append("Le nombre de personnes par type ne correspond pas à la liste.")
    for index, composition in enumerate(distribution.compositions):
        if not table.satisfies(composition, panel_size):
            problems.append(f"Le panel n° {index + 1} de la loterie publiée ne respecte pas les quotas.")
    if any(w < 0 for w in distribution.weights) or abs(sum(distribution.weights) - 1.0) > 1e-9:
        problems.append("Les poids de la loterie publiée ne sont pas des probabilités (positifs, de somme 1).")
    if integer_weights(distribution) != list(report["distribution"]["weights_e12"]):
        problems.append("Les poids entiers (unités de 10⁻¹²) ne correspondent pas aux poids publiés.")
    implied = _type_probabilities(distribution, table)
    rename = pseudonymise or (lambda person: person)
    can_rename = pseudonymise is not None or not report.get("pseudonymised", False)
    if can_rename:
        expected = {rename(p): implied[t] for t, members in enumerate(table.members) for p in members}
        published = report["probabilities"]
        if set(published) != set(expected):
            problems.append("Les personnes du rapport ne sont pas celles de la liste.")
        elif any(abs(published[p] - expected[p]) > PROBABILITY_TOLERANCE for p in expected):
            problems.append("Les probabilités publiées ne sont pas celles de la loterie publiée.")
    if report["algorithm"] == "leximin" and not problems:
        fresh = leximin(pool, panel_size)
        recomputed = _type_probabilities(fresh, table)
        gaps = [abs(a - b) for a, b in zip(recomputed, implied, strict=True)]
        if max(gaps, default=0.0) > PROBABILITY_TOLERANCE:
            problems.append(
                "Les probabilités de la loterie publiée ne sont pas celles du leximin recalculé "
                f"(écart maximal {max(gaps):.2e})."
            )
    if distribution.compositions and not problems:
        panel = draw_panel(distribution, str(report["seed"]))
        if can_rename:
            if sorted(rename(p) for p in panel) != sorted(report["panel"]):
                problems.append("Le panel publié n'est pas celui que donne le tirage avec cette graine.")
        elif len(panel) != len(report["panel"]):
            problems.append("Le panel publié n'a pas la taille du panel tiré avec cette graine.")
        counts = achieved_counts(pool, panel)
        published_counts = {(q["category"], q["feature"]): q["achieved"] for q in report["quotas"]}
        if counts != published_counts:
            problems.append("Les effectifs par caractéristique publiés ne sont pas ceux du panel tiré.")
    return problems
