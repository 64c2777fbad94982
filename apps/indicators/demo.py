"""The indicators' part of the demo city: Nantes-like reference populations (imported through
the real INSEE importer) and two years of participation events across the modules, with one
open process where young people and the QPV are visibly missing (and its alert)."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Mapping
from typing import Any

from apps.core.models import Channel, ParticipationEvent, Process
from apps.indicators import services
from apps.indicators.models import CatalogueIndicator, Measure, Structure

# Nantes-like age structure (share of the population) and share of women.
AGE_SHARES = {"0002": 0.032, "0305": 0.031, "0610": 0.05, "1117": 0.062, "1529_rest": 0.29}
BANDS = {"POP3044": 0.19, "POP4559": 0.155, "POP6074": 0.125, "POP75P": 0.065}
WOMEN = 0.525
# Participants lean older than the population (as everywhere): weights by age band.
PARTICIPANT_AGES = (("18-29", 0.24), ("30-44", 0.24), ("45-59", 0.2), ("60-74", 0.18), ("75+", 0.08), ("u18", 0.06))
MODULE_KINDS = {"proposals": ("proposal", "support", "comment"), "budgets": ("ballot",), "sortition": ("registration",)}


def insee_csv(quartiers: list[Any], year: int) -> bytes:
    """An INSEE « Population » table by IRIS for the demo quartiers (three IRIS each)."""
    prefix = f"P{year % 100:02d}_"
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    columns = ["POP", "POP0002", "POP0305", "POP0610", "POP1117", "POP0014", "POP1529"]
    columns += ["POP3044", "POP4559", "POP6074", "POP75P", "POPH", "POPF"]
    writer.writerow(["IRIS", "LIBIRIS", *(prefix + name for name in columns), "QUARTIER"])
    for number, quartier in enumerate(quartiers):
        for part in range(3):
            pop = (quartier.population or 20000) / 3
            under_15 = pop * (AGE_SHARES["0002"] + AGE_SHARES["0305"] + AGE_SHARES["0610"] + 0.04)
            values = {
                "POP": pop,
                "POP0002": pop * AGE_SHARES["0002"],
                "POP0305": pop * AGE_SHARES["0305"],
                "POP0610": pop * AGE_SHARES["0610"],
                "POP1117": pop * AGE_SHARES["1117"],
                "POP0014": under_15,
                "POP1529": pop * (AGE_SHARES["1117"] - 0.04 + AGE_SHARES["1529_rest"]),
                **{name: pop * share for name, share in BANDS.items()},
                "POPH": pop * (1 - WOMEN),
                "POPF": pop * WOMEN,
            }
            writer.writerow(
                [
                    f"44109{number:02d}{part:02d}",
                    f"{quartier.name} {part + 1}",
                    *(f"{values[name]:.4f}" for name in columns),
                    quartier.name,
                ]
            )
    return out.getvalue().encode()


def _pick(rng: Any, weights: tuple[tuple[str, float], ...]) -> str:
    return str(rng.choices([key for key, _w in weights], [w for _k, w in weights])[0])


def build(builder: Any) -> Mapping[str, int]:
    rng = builder.rng
    today: datetime.date = builder.today
    for year in (today.year - 2, today.year - 1):
        services.reference_import(actor=None, raw=insee_csv(builder.quartiers, year))
    # The residents' demographics, given with consent (the demo accounts are built without).
    residents = list(builder.residents)
    for person in residents:
        person.demographics_consent = rng.random() < 0.8
        person.age_band = _pick(rng, PARTICIPANT_AGES) if person.demographics_consent else ""
        person.gender = rng.choice("ffffmmmx") if person.demographics_consent else ""
    type(residents[0]).objects.bulk_update(residents, ["demographics_consent", "age_band", "gender"])
    processes: dict[str, list[Process]] = {
        module: list(Process.objects.published().filter(phases__module=module).distinct().order_by("pk"))
        for module in MODULE_KINDS
    }
    events: list[ParticipationEvent] = []
    seen: set[int] = set()
    start = datetime.date(today.year - 1, 1, 1)
    span = (today - start).days
    for _index in range(2400 if builder.size == "full" else 900):
        module = rng.choice(list(MODULE_KINDS))
        if not processes[module]:
            continue
        process = rng.choice(processes[module])
        day = start + datetime.timedelta(days=rng.randrange(span + 1))
        local = [person for person in residents if person.home_territory_id == process.territory_id]
        if rng.random() < 0.7:
            person = rng.choice(local if local and rng.random() < 0.8 else residents)
            territory = person.home_territory
            age, gender = (person.age_band, person.gender) if person.demographics_consent else ("", "")
            channel = Channel.ONLINE
            first: bool | None = None  # set below, in the order of the days
        else:
            person, territory, first = None, rng.choice(builder.quartiers), None
            age, gender = _pick(rng, PARTICIPANT_AGES), rng.choice("ffm")
            channel = rng.choice([Channel.PAPER, Channel.COUNTER, Channel.STREET, Channel.MEETING])
        events.append(
            _event(
                module, rng.choice(MODULE_KINDS[module]), day, process, territory, age, gender, channel, first, person
            )
        )
    skewed = _skewed_process(processes["proposals"])
    if skewed is not None:
        # Residents past 30 living outside the QPV, online: the young and the QPV are missing.
        pool = [
            person
            for person in residents
            if person.demographics_consent
            and person.age_band not in {"u18", "18-29"}
            and person.home_territory is not None
            and not person.home_territory.is_priority_area
        ]
        for _index in range(160):
            person = rng.choice(pool)
            events.append(
                _event(
                    "proposals",
                    rng.choice(("proposal", "support", "comment")),
                    today - datetime.timedelta(days=rng.randrange(20)),
                    skewed,
                    person.home_territory,
                    person.age_band,
                    person.gender,
                    Channel.ONLINE,
                    None,
                    person,
                )
            )
    # First participation of each person, in the order of the days.
    events.sort(key=lambda event: (event.day, event.id))
    for event in events:
        if event.person_id is not None:
            event.first_time = event.person_id not in seen
            seen.add(event.person_id)
    ParticipationEvent.objects.bulk_create(events, batch_size=2000)
    structures = _catalogue_and_structures(builder)
    return {"actes de participation": len(events), "structures suivant des indicateurs": structures}


CATALOGUE = (
    (Measure.CHANNELS, "Participation par canal", "Personnes distinctes et actes, en ligne et « aller-vers »."),
    (Measure.AGE, "Âge des participants", "Part de chaque tranche d'âge, comparée à la population INSEE."),
    (
        Measure.QPV,
        "Habitants des QPV",
        "Part des participants vivant en QPV, comparée à la population.",
    ),
    (Measure.RENEWAL, "Renouvellement", "Nouveaux participants, retours d'une année sur l'autre, sursollicitation."),
    (Measure.ACCOUNTABILITY, "Réponses et engagements", "Délais des réponses argumentées, engagements tenus."),
)


def _catalogue_and_structures(builder: Any) -> int:
    """The city's catalogue and two structures with their own choice (seed 004)."""
    items = {
        measure: CatalogueIndicator.objects.create(measure=measure, title=title, definition=definition, order=index)
        for index, (measure, title, definition) in enumerate(CATALOGUE)
    }
    qpv = next((quartier for quartier in builder.quartiers if quartier.is_priority_area), builder.quartiers[0])
    centre = Structure.objects.create(
        name=f"Centre social {qpv.name}", kind=Structure.Kind.SOCIAL_CENTRE, territory=qpv
    )
    centre.indicators.set([items[Measure.AGE], items[Measure.QPV], items[Measure.CHANNELS]])
    service = Structure.objects.create(name="Direction du dialogue citoyen", kind=Structure.Kind.SERVICE)
    service.indicators.set([items[Measure.RENEWAL], items[Measure.ACCOUNTABILITY], items[Measure.CHANNELS]])
    agent = builder.demo.get("agent")
    if agent is not None:
        centre.agents.add(agent)
        service.agents.add(agent)
    return 2


def _skewed_process(candidates: list[Process]) -> Process | None:
    return next((process for process in candidates if process.state() == "open"), None)


def _event(
    module: str,
    kind: str,
    day: datetime.date,
    process: Process,
    territory: Any,
    age: str,
    gender: str,
    channel: str,
    first: bool | None,
    person: Any,
) -> ParticipationEvent:
    return ParticipationEvent(
        module=module,
        kind=kind,
        day=day,
        process=process,
        territory=territory,
        priority_area=territory.is_priority_area if territory is not None else None,
        age_band=age,
        gender=gender,
        channel=channel,
        first_time=first,
        person=person,
    )
