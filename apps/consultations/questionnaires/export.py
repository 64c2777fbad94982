"""The questionnaire's answers as a streamed CSV: one row per response, one column per question,
answers in words. Rows are read with ``iterator(chunk_size)`` and written as they come, so the
memory stays flat whatever the number of responses (Decidim #15443). Cells go through the
CSV-injection guard (``apps.core.csvsafe``). No account: who answered is never exported."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from apps.consultations.questionnaires.answers import answer_text, applicable
from apps.consultations.questionnaires.models import Questionnaire, Response
from apps.core import csvsafe
from apps.core.models import Territory

CHUNK = 2000


class _Echo:
    """A file-like object whose ``write`` hands the line back instead of keeping it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(questionnaire: Questionnaire) -> Iterator[str]:
    questions = list(questionnaire.questions.all())
    sites = dict(questionnaire.sites.values_list("pk", "name"))
    quartiers = dict(Territory.objects.values_list("pk", "name"))
    channels = dict(Response._meta.get_field("channel").flatchoices)
    writer = csvsafe.writer(_Echo())
    header = [_("jour"), _("canal"), _("site"), _("table"), _("quartier"), _("tranche d'âge")]
    yield "\ufeff" + writer.writerow(header + [f"{number}. {q.text}" for number, q in enumerate(questions, start=1)])
    rows = (
        Response.objects.filter(questionnaire=questionnaire)
        .order_by("pk")
        .values_list("day", "channel", "site_id", "table", "territory_id", "age_band", "answers")
        .iterator(chunk_size=CHUNK)
    )
    buffer: list[str] = []
    for day, channel, site, table, territory, age_band, answers in rows:
        cells = [
            day.isoformat(),
            str(channels.get(channel, channel)),
            sites.get(site, ""),
            table,
            quartiers.get(territory, ""),
            age_band,
        ]
        cells += [
            answer_text(question, answers.get(str(question.pk))) if applicable(question, answers) else ""
            for question in questions
        ]
        buffer.append(writer.writerow(cells))
        # Lines go out a few hundred at a time: fewer, larger writes, still a bounded buffer.
        if len(buffer) >= 500:
            yield "".join(buffer)
            buffer.clear()
    if buffer:
        yield "".join(buffer)
