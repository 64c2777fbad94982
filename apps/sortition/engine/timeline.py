"""The timeline of a draw: why nobody, not even the agent who runs it, can choose its seed.

A seed typed by the person who runs the draw is not public: with the pool and the
distribution in hand, they can try seeds offline until a wished panel comes out. So:

1. **Announcement** (before the seed exists): the pool is frozen, the page becomes public, and
   the SHA-256 of the pseudonymised pool file and of the distribution (the lottery over panels,
   ``canonical_description``) are published, with the *name of a future public event* whose
   result will be the seed (e.g. the numbers of a national lottery draw on a given date) and
   the date and time from which that result is known.
2. **Draw**: refused until that time has passed. The agent types the published result; anyone
   can check it against the event's own publication.

Nobody can choose the seed: the agent fixed everything else before the result existed, and the
event's organiser does not know the pool.

Commit–reveal is offered only *on top of* the public event, never alone: an agent who commits
to SHA-256(secret) while holding the frozen pool and distribution can try secrets offline and
commit to one giving the panel they want, so a lone commitment proves nothing. Combined with
the event's result (``combined_seed``), the commitment adds that someone who could influence or
foresee the event's result (an insider of the lottery) still cannot aim at a panel without the
agent's secret; the secret is checked against the commitment published at the announcement.

``check_timeline`` verifies all of this from the audit report alone (the verifier runs it).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from typing import Any

from apps.sortition.engine.draw import canonical_description
from apps.sortition.engine.model import Distribution

MODES = ("public_event", "commit_reveal")
_HEX64 = re.compile(r"[0-9a-f]{64}")


def normalise_result(result: str) -> str:
    """The event's result as typed, with runs of spaces collapsed (``04  17`` = ``04 17``)."""
    return " ".join(result.split())


def commitment_of(secret: str) -> str:
    """SHA-256 (hexadecimal) of the secret in UTF-8: ``printf %s secret | sha256sum``."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def is_commitment(value: str) -> bool:
    return bool(_HEX64.fullmatch(value))


def combined_seed(event_result: str, secret: str = "") -> str:
    """The seed: the event's result, followed by `` + `` and the secret when one was committed."""
    result = normalise_result(event_result)
    return f"{result} + {secret}" if secret else result


def distribution_sha256(distribution: Distribution) -> str:
    return hashlib.sha256(canonical_description(distribution).encode("utf-8")).hexdigest()


def distribution_text_from_report(report: dict[str, Any]) -> str:
    """The canonical distribution text rebuilt from the report (same text as ``canonical_description``)."""
    published = report["distribution"]
    description = {
        "panel_size": int(report["panel_size"]),
        "types": published["types"],
        "sizes": published["sizes"],
        "compositions": published["compositions"],
        "weights": published["weights_e12"],
    }
    return json.dumps(description, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _moment(value: Any, label: str, problems: list[str]) -> datetime.datetime | None:
    try:
        moment = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        problems.append(f"Chronologie : la date « {label} » est illisible ({value!r}).")
        return None
    if moment.tzinfo is None:
        problems.append(f"Chronologie : la date « {label} » n'a pas de fuseau horaire.")
        return None
    return moment


def check_timeline(report: dict[str, Any], pool_sha256: str) -> list[str]:
    """Problems of the report's timeline (empty list = sound), ``pool_sha256`` being the hash of
    the pool file the verifier read."""
    problems: list[str] = []
    timeline = report.get("timeline")
    if not isinstance(timeline, dict):
        return ["Le rapport ne contient pas la chronologie du tirage (annonce, événement public, tirage)."]
    mode = timeline.get("mode")
    if mode not in MODES:
        problems.append(f"Chronologie : origine de la graine inconnue ({mode!r}).")
    announced = _moment(timeline.get("announced_at"), "annonce", problems)
    event = _moment(timeline.get("event_at"), "événement public", problems)
    drawn = _moment(timeline.get("drawn_at"), "tirage", problems)
    if announced and event and not announced < event:
        problems.append("Chronologie : l'annonce n'a pas eu lieu avant l'événement public qui fournit la graine.")
    if event and drawn and not event <= drawn:
        problems.append("Chronologie : le tirage a eu lieu avant que le résultat de l'événement public soit connu.")
    if not str(timeline.get("event", "")).strip():
        problems.append("Chronologie : l'événement public qui fournit la graine n'est pas nommé.")
    if timeline.get("pool_sha256") != pool_sha256:
        problems.append(
            "Chronologie : l'empreinte de la liste publiée à l'annonce n'est pas celle du fichier "
            f"(annonce {timeline.get('pool_sha256')}, fichier {pool_sha256})."
        )
    distribution_hash = hashlib.sha256(distribution_text_from_report(report).encode("utf-8")).hexdigest()
    if timeline.get("distribution_sha256") != distribution_hash:
        problems.append(
            "Chronologie : la loterie du rapport n'est pas celle dont l'empreinte a été publiée à l'annonce."
        )
    secret = str(timeline.get("secret", ""))
    commitment = str(timeline.get("commitment", ""))
    if mode == "commit_reveal":
        if not secret or commitment_of(secret) != commitment:
            problems.append("Chronologie : le secret révélé ne correspond pas à l'empreinte publiée à l'annonce.")
    elif secret or commitment:
        problems.append("Chronologie : un secret figure dans le rapport alors qu'aucun n'a été engagé à l'annonce.")
    if report.get("seed") != combined_seed(str(timeline.get("event_result", "")), secret):
        problems.append("Chronologie : la graine n'est pas le résultat publié de l'événement (et le secret révélé).")
    return problems
