"""Writing questionnaires and their answers: online, on a site, or typed twice from paper.
Keyword-only, checked, atomic; each answer records a participation event (never its content)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.consultations.questionnaires import answers as parsing
from apps.consultations.questionnaires import editing, rules, snapshots
from apps.consultations.questionnaires.models import (
    Channel,
    DoubleEntry,
    PaperForm,
    Question,
    Questionnaire,
    Response,
    Site,
)
from apps.core import participation
from apps.core.models import Territory, audit
from apps.core.rules_kit import require

if TYPE_CHECKING:
    from apps.accounts.models import User

PARTICIPATION_KIND = "questionnaire_answer"
ALREADY_ANSWERED = gettext_lazy("Vous avez déjà répondu à ce questionnaire : une réponse par personne.")
AGE_BANDS = ("u18", "18-29", "30-44", "45-59", "60-74", "75+")
_CHANNELS = {Channel.ONLINE: participation.ONLINE, Channel.PAPER: participation.PAPER, Channel.MEETING: "meeting"}


def _questions(questionnaire: Questionnaire) -> list[Question]:
    return list(questionnaire.questions.all())


def read_profile(data: parsing.FormData) -> tuple[dict[str, Any], dict[str, str]]:
    """The quartier and age band written on an anonymous, paper or site form (both optional)."""
    profile: dict[str, Any] = {"quartier": None, "age_band": ""}
    errors: dict[str, str] = {}
    raw = str(data.get("quartier") or "").strip()
    if raw:
        found = Territory.objects.filter(kind=Territory.Kind.QUARTIER, pk=int(raw)).first() if raw.isdigit() else None
        if found is None:
            errors["quartier"] = _("Choisissez votre quartier dans la liste.")
        else:
            profile["quartier"] = found.pk
    band = str(data.get("age_band") or "").strip()
    if band and band not in AGE_BANDS:
        errors["age_band"] = _("Choisissez votre tranche d'âge dans la liste.")
    elif band:
        profile["age_band"] = band
    return profile, errors


def _read(questionnaire: Questionnaire, data: parsing.FormData, *, with_profile: bool) -> dict[str, Any]:
    found, errors = parsing.parse(_questions(questionnaire), data)
    profile: dict[str, Any] = {"quartier": None, "age_band": ""}
    if with_profile:
        profile, profile_errors = read_profile(data)
        errors.update(profile_errors)
    if errors:
        raise ValidationError(errors)
    return {"answers": found, **profile}


def _store(
    questionnaire: Questionnaire,
    entry: Mapping[str, Any],
    *,
    channel: Channel,
    person: User | None = None,
    site: Site | None = None,
    table: str = "",
) -> Response:
    territory = Territory.objects.filter(pk=entry["quartier"]).first() if entry["quartier"] else None
    age_band = entry["age_band"]
    if person is not None:
        territory = person.home_territory or territory
        age_band = person.age_band if person.demographics_consent else ""
    response = Response(
        questionnaire=questionnaire,
        respondent=person if questionnaire.signed else None,
        channel=channel,
        site=site,
        table=table,
        territory=territory,
        age_band=age_band,
        answers=entry["answers"],
    )
    response.save(force_insert=True)
    snapshots.on_commit_answers_changed(questionnaire.pk)
    participation.record(
        module="consultations",
        kind=PARTICIPATION_KIND,
        person=person,
        process=questionnaire.process,
        channel=_CHANNELS[channel],
        territory=territory,
        age_band="" if person is not None else age_band,
    )
    return response


def response_submit(*, questionnaire: Questionnaire, person: User | None, data: parsing.FormData) -> Response:
    """An online answer. Signed questionnaires: one per person, enforced by a unique constraint
    (two parallel submissions: the second gets the French error, not a second row)."""
    user = person if person is not None and person.is_authenticated else None
    require(rules.can_answer(user or _anonymous(), questionnaire))
    try:
        with transaction.atomic():
            editing.lock_for_answers(questionnaire)
            entry = _read(questionnaire, data, with_profile=user is None)
            if (
                questionnaire.signed
                and user is not None
                and Response.objects.filter(questionnaire=questionnaire, respondent=user).exists()
            ):
                raise ValidationError(ALREADY_ANSWERED)
            return _store(questionnaire, entry, channel=Channel.ONLINE, person=user)
    except IntegrityError as error:
        raise ValidationError(ALREADY_ANSWERED) from error


def _anonymous() -> Any:
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def site_entry(*, facilitator: User, site: Site, data: parsing.FormData) -> Response:
    """One participant's answers at a site's table, entered by its facilitator (tablet or paper)."""
    require(rules.can_enter_for_site(facilitator, site))
    table = " ".join(str(data.get("table") or "").split())[:20]
    with transaction.atomic():
        editing.lock_for_answers(site.questionnaire)
        entry = _read(site.questionnaire, data, with_profile=True)
        response = _store(site.questionnaire, entry, channel=Channel.MEETING, site=site, table=table)
        audit(facilitator, "consultations.site_entry", site, table=table)
    return response


# --- paper forms, typed twice ----------------------------------------------------------------


def _contested(first: Mapping[str, Any], second: Mapping[str, Any]) -> list[str]:
    keys = set(first["answers"]) | set(second["answers"])
    differing = sorted(key for key in keys if first["answers"].get(key) != second["answers"].get(key))
    differing += [name for name in ("quartier", "age_band") if first[name] != second[name]]
    return differing


def _confirm(form: PaperForm, entry: Mapping[str, Any], agent: User) -> None:
    form.response = _store(form.questionnaire, entry, channel=Channel.PAPER)
    form.state = PaperForm.State.CONFIRMED
    form.contested = []
    form.save()
    audit(agent, "consultations.paper_confirmed", form, number=form.number)


def paper_entry(*, agent: User, questionnaire: Questionnaire, number: str, data: parsing.FormData) -> PaperForm:
    """Type one paper form. First entry: stored. Second entry (another agent, who does not see
    the first): equal, the response is created; different, the form is disputed with the
    contested questions. A disputed form is settled by an agent other than the first, whose
    entry is taken."""
    if not rules.can_manage(agent, questionnaire):
        raise PermissionDenied
    number = " ".join(number.split())
    if not number:
        raise ValidationError({"number": _("Indiquez le numéro écrit sur le questionnaire papier.")})
    with transaction.atomic():
        editing.lock_for_answers(questionnaire)
        entry = _read(questionnaire, data, with_profile=True)
        form = PaperForm.objects.select_for_update().filter(questionnaire=questionnaire, number=number).first()
        if form is None:
            try:
                with transaction.atomic():
                    form = PaperForm.objects.create(
                        questionnaire=questionnaire, number=number, first_entry=entry, first_by=agent
                    )
            except IntegrityError as error:
                raise ValidationError(
                    {
                        "number": _(
                            "Ce questionnaire vient d'être saisi par une autre personne : saisissez-le à nouveau."
                        )
                    }
                ) from error
            audit(agent, "consultations.paper_first_entry", form, number=number)
            return form
        settle_second_entry(
            form,
            agent,
            field="number",
            counted=_("Le questionnaire n° %(number)s est déjà compté.") % {"number": number},
            own=_("Vous avez fait la première saisie de ce questionnaire : une autre personne doit le saisir."),
            contested=_contested(form.first_entry, entry),
            entry=entry,
            confirm=lambda: _confirm(form, entry, agent),
            disputed_action="consultations.paper_disputed",
            number=number,
        )
        return form


def settle_second_entry(
    sheet: DoubleEntry,
    person: User,
    *,
    field: str,
    counted: str,
    own: str,
    contested: list[str],
    entry: dict[str, Any],
    confirm: Callable[[], None],
    disputed_action: str,
    **details: Any,
) -> None:
    """A later entry of a sheet typed twice (paper forms, table totals), inside the caller's
    transaction with the sheet locked: refused when already counted or typed by the first
    person; confirms when it settles a dispute or equals the first; else lists ``contested``."""
    if sheet.state == DoubleEntry.State.CONFIRMED:
        raise ValidationError({field: counted})
    if sheet.first_by_id == person.pk:
        raise ValidationError({field: own})
    if sheet.state == DoubleEntry.State.DISPUTED or not contested:
        if sheet.second_by_id is None:
            sheet.second_by = person
        confirm()
        return
    sheet.second_by = person
    sheet.second_entry = entry
    sheet.contested = contested
    sheet.state = DoubleEntry.State.DISPUTED
    sheet.save()
    audit(person, disputed_action, sheet, **details)


# --- the back office: questionnaires, questions, sites -----------------------------------------


def questionnaire_save(*, agent: User, questionnaire: Questionnaire) -> Questionnaire:
    require(rules.can_manage(agent, questionnaire))
    questionnaire.full_clean()
    with transaction.atomic():
        if questionnaire.pk is not None:
            Questionnaire.objects.select_for_update().filter(pk=questionnaire.pk).first()
            editing.settings_change_allowed(questionnaire)
        created = questionnaire.pk is None
        questionnaire.save()
        audit(
            agent,
            "consultations.questionnaire_created" if created else "consultations.questionnaire_updated",
            questionnaire,
        )
    return questionnaire


def question_add(*, agent: User, question: Question) -> Question:
    questionnaire = question.questionnaire
    check_question(question)
    with transaction.atomic():
        if editing.lock_questions(agent, questionnaire):
            raise editing.frozen_error()
        last = questionnaire.questions.order_by("-position").values_list("position", flat=True).first()
        question.position = (last or 0) + 1
        question.full_clean()
        question.save()
        audit(agent, "consultations.question_added", question)
    return question


def check_question(question: Question) -> None:
    errors: dict[str, str] = {}
    if question.has_options and len(question.options) < 2:
        errors["options"] = _("Indiquez au moins deux réponses possibles, une par ligne.")
    if question.kind == Question.Kind.MATRIX and not question.rows:
        errors["rows"] = _("Indiquez au moins une ligne du tableau, une par ligne.")
    if question.kind == Question.Kind.SCALE and question.scale_min >= question.scale_max:
        errors["scale_max"] = _("Le maximum de l'échelle doit être plus grand que le minimum.")
    condition = question.condition_question
    if condition is not None:
        if condition.questionnaire_id != question.questionnaire_id or condition.kind not in {
            Question.Kind.SINGLE,
            Question.Kind.MULTIPLE,
        }:
            errors["condition_question"] = _("La condition porte sur une question à choix posée avant celle-ci.")
        elif question.condition_option is None or question.condition_option >= len(condition.options):
            errors["condition_option"] = _("Choisissez une des réponses de la question de la condition.")
    if errors:
        raise ValidationError(errors)


def site_add(*, agent: User, site: Site, facilitators: list[User]) -> Site:
    require(rules.can_manage(agent, site.questionnaire))
    site.full_clean()
    with transaction.atomic():
        site.save()
        site.facilitators.set(facilitators)
        audit(agent, "consultations.site_added", site)
    return site
