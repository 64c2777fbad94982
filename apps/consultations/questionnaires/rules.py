"""One permission question per action on questionnaires. Views and templates ask; they never decide."""

from __future__ import annotations

from typing import TYPE_CHECKING

from apps.core.backoffice_kit import AGENTS
from apps.core.phases import can_view_process
from apps.core.roles import has_role
from apps.core.rules_kit import is_resident, phase_allows

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User
    from apps.consultations.questionnaires.models import Questionnaire, Site

    Person = User | AnonymousUser

MODULE = "consultations"


def can_view_questionnaire(user: Person, questionnaire: Questionnaire) -> bool:
    return can_view_process(user, questionnaire.process)


def can_answer(user: Person, questionnaire: Questionnaire) -> bool:
    """Open while the process runs a « questionnaire » phase; a signed questionnaire needs an account."""
    process = questionnaire.process
    if not (process.is_published and phase_allows(process, MODULE, "answer")):
        return False
    return is_resident(user) if questionnaire.signed else True


def can_manage(user: Person, questionnaire: Questionnaire) -> bool:
    """Agents of the process's quartier (and administrators) write questions, type paper forms, export."""
    return has_role(user, AGENTS, process=questionnaire.process)


def can_view_results(user: Person, questionnaire: Questionnaire) -> bool:
    if can_manage(user, questionnaire):
        return True
    return questionnaire.results_public and can_view_questionnaire(user, questionnaire)


def can_enter_for_site(user: Person, site: Site) -> bool:
    """A site's facilitators (a role held on that site only) and the questionnaire's agents."""
    if not user.is_authenticated or not user.is_active:
        return False
    if can_manage(user, site.questionnaire):
        return True
    return site.questionnaire.process.is_published and site.facilitators.filter(pk=user.pk).exists()


def can_use_questionnaire_backoffice(user: Person) -> bool:
    return has_role(user, AGENTS)
