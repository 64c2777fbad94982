"""What an indicator is about: one year, and one process or one quartier, or the city."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from apps.core.models import ParticipationEvent, Process, Territory
from apps.core.participation import recording_modules


@dataclass(frozen=True)
class Scope:
    """What a table is about: one year, and one process or one quartier, or the city."""

    year: int
    process: Process | None = None
    territory: Territory | None = None

    def territory_ids(self) -> list[int] | None:
        """The quartiers whose residents count (None: every quartier of the city)."""
        if self.territory is not None:
            return self.territory.descendant_ids()
        return None

    def events(self) -> QuerySet[ParticipationEvent]:
        start, end = datetime.date(self.year, 1, 1), datetime.date(self.year, 12, 31)
        events = ParticipationEvent.objects.filter(module__in=recording_modules(), day__gte=start, day__lte=end)
        if self.process is not None:
            events = events.filter(process=self.process)
        ids = self.territory_ids()
        if ids is not None:
            events = events.filter(territory_id__in=ids)
        return events

    def resident_events(self) -> QuerySet[ParticipationEvent]:
        """The events of the people living where the reference population lives: a process of
        a quartier is compared with that quartier's population, through its residents who took
        part (participants from elsewhere count in the channels, not in the comparison)."""
        ids = self.reference_territory_ids()
        events = self.events()
        return events.filter(territory_id__in=ids) if ids is not None and self.territory is None else events

    @property
    def city_wide(self) -> bool:
        return self.territory is None and (self.process is None or self.process.territory.kind == Territory.Kind.CITY)

    def reference_territory_ids(self) -> list[int] | None:
        if self.territory is not None:
            return self.territory.descendant_ids()
        if self.process is not None and self.process.territory.kind != Territory.Kind.CITY:
            return self.process.territory.descendant_ids()
        return None

    @property
    def label(self) -> str:
        """The publication this scope's public figures belong to (the seed of their noise)."""
        if self.process is not None:
            return f"{self.year}/process/{self.process.pk}"
        if self.territory is not None:
            return f"{self.year}/territory/{self.territory.pk}"
        return f"{self.year}/city"
