"""Writing syntheses: start one (the clustering runs in the task queue), store its themes, let an
agent rename, summarise and merge them, publish. Keyword-only, checked, atomic."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.consultations.synthesis import rules
from apps.consultations.synthesis.models import Citation, Synthesis, Theme
from apps.consultations.synthesis.sources import contributions
from apps.core.models import Process, audit
from apps.core.rules_kit import require

if TYPE_CHECKING:
    from apps.accounts.models import User


def synthesis_start(*, agent: User, process: Process, themes: int | None = None) -> Synthesis:
    """A new draft synthesis of the process, computed in the background (``tasks``)."""
    require(rules.can_synthesise(agent, process))
    if themes is not None and not 2 <= themes <= 12:
        raise ValidationError({"themes": _("Choisissez entre 2 et 12 thèmes, ou laissez vide.")})
    with transaction.atomic():
        synthesis = Synthesis.objects.create(
            process=process,
            title=_("Synthèse des contributions : %(title)s") % {"title": process.title},
            requested_themes=themes,
        )
        audit(agent, "consultations.synthesis_start", synthesis)
        transaction.on_commit(lambda: _enqueue(synthesis.pk))
    return synthesis


def _enqueue(synthesis_pk: int) -> None:
    from apps.consultations.tasks import compute_synthesis

    compute_synthesis(synthesis_pk)


def synthesis_compute(synthesis_pk: int) -> Synthesis:
    """Clusters the process's contributions and stores the themes (the task's body)."""
    # scikit-learn is imported here, in the worker, not by every web process loading the URLs.
    from apps.consultations.synthesis.themes import find_themes

    synthesis = Synthesis.objects.select_related("process").get(pk=synthesis_pk)
    found = list(contributions(synthesis.process))

    def progress(percent: int) -> None:
        Synthesis.objects.filter(pk=synthesis_pk).update(progress=min(percent, 99))

    try:
        result = find_themes([c.text for c in found], n_themes=synthesis.requested_themes, progress=progress)
    except Exception:
        Synthesis.objects.filter(pk=synthesis_pk).update(state=Synthesis.State.FAILED)
        raise
    with transaction.atomic():
        synthesis.themes.all().delete()
        for position, found_theme in enumerate(result.themes, start=1):
            members = [found[i] for i in found_theme.members]
            theme = Theme.objects.create(
                synthesis=synthesis,
                position=position,
                title=" · ".join(found_theme.key_terms[:3]).capitalize() or _("Thème %(n)d") % {"n": position},
                key_terms=found_theme.key_terms,
                quartiers=dict(Counter(str(c.territory_id or "") for c in members)),
            )
            quoted = set(found_theme.representative)
            Citation.objects.bulk_create(
                [
                    Citation(
                        theme=theme,
                        statement_id=found[i].statement_id,
                        response_id=found[i].response_id,
                        question_id=found[i].question_id,
                        closeness=closeness,
                        representative=i in quoted,
                    )
                    for i, closeness in zip(found_theme.members, found_theme.closeness, strict=True)
                ],
                batch_size=2000,
            )
        synthesis.contributions = len(found)
        synthesis.unclassified = len(result.unclassified)
        synthesis.silhouette = result.silhouette
        synthesis.state = Synthesis.State.DRAFT
        synthesis.progress = 100
        synthesis.computed_at = timezone.now()
        synthesis.save()
    return synthesis


def _editable(agent: User, synthesis: Synthesis) -> None:
    require(rules.can_synthesise(agent, synthesis.process))
    if synthesis.state != Synthesis.State.DRAFT:
        raise ValidationError(_("Seule une synthèse à relire peut être modifiée."))


def theme_edit(*, agent: User, theme: Theme, title: str, summary: str) -> Theme:
    _editable(agent, theme.synthesis)
    theme.title = " ".join(title.split())
    theme.summary = summary.strip()
    if not theme.title:
        raise ValidationError({"title": _("Donnez un titre au thème.")})
    theme.full_clean()
    theme.save(update_fields=["title", "summary"])
    return theme


def themes_merge(*, agent: User, into: Theme, merged: Theme) -> Theme:
    """``merged``'s contributions join ``into`` (its key terms and quartier counts too); ``merged`` goes."""
    _editable(agent, into.synthesis)
    if merged.synthesis_id != into.synthesis_id or merged.pk == into.pk:
        raise ValidationError({"merged": _("Choisissez un autre thème de la même synthèse.")})
    with transaction.atomic():
        locked = {t.pk: t for t in Theme.objects.select_for_update().filter(pk__in=[into.pk, merged.pk])}
        if len(locked) != 2:
            raise ValidationError({"merged": _("Ce thème n'existe plus.")})
        target, source = locked[into.pk], locked[merged.pk]
        Citation.objects.filter(theme=source).update(theme=target)
        target.key_terms = list(dict.fromkeys(target.key_terms + source.key_terms))[:10]
        counts = Counter(target.quartiers) + Counter(source.quartiers)
        target.quartiers = dict(counts)
        target.save(update_fields=["key_terms", "quartiers"])
        source.delete()
        audit(agent, "consultations.synthesis_merge", target.synthesis)
    return target


def synthesis_edit(*, agent: User, synthesis: Synthesis, title: str, introduction: str) -> Synthesis:
    _editable(agent, synthesis)
    synthesis.title = " ".join(title.split())
    synthesis.introduction = introduction.strip()
    synthesis.full_clean()
    synthesis.save(update_fields=["title", "introduction"])
    return synthesis


def synthesis_publish(*, agent: User, synthesis: Synthesis) -> Synthesis:
    _editable(agent, synthesis)
    if not synthesis.themes.exists():
        raise ValidationError(_("Une synthèse sans thème ne peut pas être publiée."))
    with transaction.atomic():
        updated = Synthesis.objects.filter(pk=synthesis.pk, state=Synthesis.State.DRAFT).update(
            state=Synthesis.State.PUBLISHED, published_at=timezone.now()
        )
        if not updated:
            raise ValidationError(_("Cette synthèse a déjà été publiée."))
        audit(agent, "consultations.synthesis_publish", synthesis)
    synthesis.refresh_from_db()
    return synthesis
