"""A synthesis as its pages show it: each theme with its quotes, the contributions it cites (hidden
statements left out) and its counts by quartier, small counts suppressed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from apps.consultations.models import Statement
from apps.consultations.synthesis.models import Citation, Theme
from apps.core.models import Territory

# A quartier with fewer contributions in a theme than this shows « moins de 5 »: a handful of
# people in a small quartier could otherwise be recognised.
SMALL_CELL = 5


@dataclass
class Cited:
    text: str
    source: str
    url: str


@dataclass
class ThemeRow:
    theme: Theme
    quotes: list[Cited] = field(default_factory=list)
    cited: list[Cited] = field(default_factory=list)
    quartiers: list[tuple[str, str]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.cited)


def cited(citation: Citation) -> Cited | None:
    if citation.statement is not None:
        statement = citation.statement
        if statement.status != Statement.Status.PUBLISHED:
            return None
        url = statement.conversation.get_absolute_url()
        return Cited(statement.text, _("Affirmation n° %(pk)d") % {"pk": statement.pk}, url)
    if citation.response is not None and citation.question is not None:
        value = citation.response.answers.get(str(citation.question_id))
        if not isinstance(value, str) or not value.strip():
            return None
        source = _("Réponse n° %(pk)d à « %(question)s »") % {"pk": citation.response_id, "question": citation.question}
        return Cited(value.strip(), source, "")
    return None


def theme_rows(themes: Sequence[Theme]) -> list[ThemeRow]:
    names = dict(Territory.objects.values_list("pk", "name"))
    rows = []
    for theme in themes:
        row = ThemeRow(theme)
        for citation in theme.citations.all():
            shown = cited(citation)
            if shown is None:
                continue
            if citation.representative:
                row.quotes.append(shown)
            row.cited.append(shown)
        row.quartiers = _quartiers(theme.quartiers, names)
        rows.append(row)
    return rows


def _quartiers(counts: dict[str, Any], names: dict[int, str]) -> list[tuple[str, str]]:
    shown = []
    for key, count in sorted(counts.items(), key=lambda item: -int(item[1])):
        name = names.get(int(key)) if key else None
        label = name or _("Quartier non renseigné")
        value = str(count) if int(count) >= SMALL_CELL else _("moins de %(n)d") % {"n": SMALL_CELL}
        shown.append((label, value))
    return shown
