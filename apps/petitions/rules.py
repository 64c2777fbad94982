"""One permission question per action on petitions and agoras. Views and templates ask; services
require the answer again before writing.

Moderators of a petition's territory publish or refuse it; agents of that territory enter paper
signatures, draft the answer and run agoras; the answer is signed by an élu·e (``answers``).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from apps.core.models import Role
from apps.core.roles import has_role
from apps.core.rules_kit import is_resident

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User
    from apps.petitions.models import Agora, Petition

    Person = User | AnonymousUser

AGENTS = frozenset({Role.AGENT})
MODERATORS = frozenset({Role.MODERATOR})
STAFF = frozenset({Role.AGENT, Role.ELU, Role.MODERATOR})


def can_use_backoffice(user: Person) -> bool:
    return has_role(user, STAFF)


def can_set_rules(user: Person) -> bool:
    """The rules of the game are the whole city's: a city-wide administrator sets them."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    from apps.core.models import RoleAssignment

    return RoleAssignment.objects.filter(
        user_id=user.pk, role=Role.ADMIN, territory__isnull=True, process__isnull=True
    ).exists()


def can_file(user: Person) -> bool:
    return is_resident(user)


def can_view(user: Person, petition: Petition) -> bool:
    """Published and refused petitions are public (the refusal's reason is); a pending one is
    seen by its author, its committee and the staff of its territory."""
    if petition.is_public:
        return True
    if user.is_authenticated and petition.author_id == user.pk:
        return True
    if user.is_authenticated and petition.committee.filter(user_id=user.pk).exists():
        return True
    return has_role(user, STAFF, territory=petition.territory)


def can_read_backoffice(user: Person, petition: Petition) -> bool:
    return has_role(user, STAFF, territory=petition.territory)


def can_moderate(user: Person, petition: Petition) -> bool:
    return has_role(user, MODERATORS, territory=petition.territory)


def is_collecting(petition: Petition, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return petition.state == petition.State.COLLECTING and petition.closes_at is not None and now < petition.closes_at


def sign_refusal(user: Person, petition: Petition) -> str:
    """Why ``user`` may not sign online now ("" when they may); a sentence shown to them."""
    from django.utils.translation import gettext as _

    if not is_collecting(petition):
        return _("La collecte des signatures n'est pas ouverte.")
    if not is_resident(user) or user.is_anonymous:
        return _("Connectez-vous pour signer.")
    if not user.meets_verification(petition.verification):
        return _("Cette pétition demande un compte au niveau « %(level)s ».") % {
            "level": petition.get_verification_display()
        }
    return ""


def can_sign(user: Person, petition: Petition) -> bool:
    return not sign_refusal(user, petition)


def can_enter_paper(user: Person, petition: Petition) -> bool:
    return has_role(user, AGENTS, territory=petition.territory) and is_collecting(petition)


def can_answer(user: Person, petition: Petition) -> bool:
    return has_role(user, AGENTS, territory=petition.territory)


def can_join_committee(user: Person, petition: Petition) -> bool:
    return is_resident(user) and petition.state in {petition.State.PENDING, petition.State.COLLECTING}


# --- agoras -------------------------------------------------------------------------------------


def can_create_agora(user: Person) -> bool:
    return has_role(user, AGENTS)


def can_manage_agora(user: Person, agora: Agora) -> bool:
    return has_role(user, AGENTS, territory=agora.territory)


def can_view_agora(user: Person, agora: Agora) -> bool:
    return agora.is_published or has_role(user, STAFF, territory=agora.territory)
