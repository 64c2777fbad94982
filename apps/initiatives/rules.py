"""One permission question per action of the initiatives module. Views and templates ask them;
they never decide themselves."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.core.backoffice_kit import AGENTS, READERS
from apps.core.roles import has_role

if TYPE_CHECKING:
    from apps.core.models import Territory
    from apps.initiatives.models import Actor, ActorMessage, Call, Initiative


def can_file(user: Any) -> bool:
    """Anyone with an account files an idea online; an agent files for someone met elsewhere."""
    return bool(user.is_authenticated and user.is_active)


def is_main_holder(user: Any, initiative: Initiative) -> bool:
    return bool(user.is_authenticated and initiative.holder_id == user.pk)


def is_holder(user: Any, initiative: Initiative) -> bool:
    """The holder or a co-holder (holders who joined forces hold the project together)."""
    if not user.is_authenticated:
        return False
    return initiative.holder_id == user.pk or initiative.co_holders.filter(person_id=user.pk).exists()


def can_read_backoffice(user: Any, territory: Territory | None = None) -> bool:
    """Agents and élu·es of the quartier follow the door's queue and the calls."""
    return has_role(user, READERS, territory=territory)


def can_manage(user: Any, territory: Territory | None = None) -> bool:
    """Agents of the quartier take ideas, assign referents, route, record decisions and payments."""
    return has_role(user, AGENTS, territory=territory)


def can_see_initiative(user: Any, initiative: Initiative) -> bool:
    """Shown publicly with the holder's consent; the holder and the quartier's staff always."""
    return initiative.is_public or is_holder(user, initiative) or can_read_backoffice(user, initiative.territory)


def can_see_progress(user: Any, initiative: Initiative) -> bool:
    """Steps, notes and delays are the holder's and the staff's, not the public's."""
    return is_holder(user, initiative) or can_read_backoffice(user, initiative.territory)


def can_submit(user: Any, initiative: Initiative) -> bool:
    return is_holder(user, initiative) and not hasattr(initiative, "decision")


def can_see_call(user: Any, call: Call) -> bool:
    return call.is_published or can_read_backoffice(user, call.territory)


def can_manage_call(user: Any, call: Call) -> bool:
    return can_manage(user, call.territory)


# --- rejoindre, time given, récits ----------------------------------------------------------

JOINABLE_STAGES = ("filed", "routing", "call", "funded")


def can_join(user: Any, initiative: Initiative) -> bool:
    """Any resident may offer help to a public project under way, except its own holder."""
    return bool(
        user.is_authenticated
        and user.is_active
        and initiative.is_public
        and initiative.stage in JOINABLE_STAGES
        and not is_holder(user, initiative)
    )


def can_record_time(user: Any, initiative: Initiative) -> bool:
    """The holder (who saw the work done) or an agent of the quartier records time given."""
    return is_holder(user, initiative) or can_manage(user, initiative.territory)


def can_tell_story(user: Any, initiative: Initiative) -> bool:
    """The récit of a realised project is written by its holder or an agent of the quartier."""
    return initiative.stage == "realised" and (is_holder(user, initiative) or can_manage(user, initiative.territory))


def can_add_co_holder(user: Any, initiative: Initiative) -> bool:
    """The holder (not a co-holder) or an agent of the quartier makes a helper a co-holder."""
    return initiative.stage != "closed" and (is_main_holder(user, initiative) or can_manage(user, initiative.territory))


def can_merge(user: Any, initiative: Initiative) -> bool:
    """An agent of the quartier regroups similar ideas whose holders agreed to join forces."""
    return initiative.stage not in ("closed", "funded", "realised") and can_manage(user, initiative.territory)


# --- the directory of actors and the « portes ouvertes » -----------------------------------


def can_list_self(user: Any) -> bool:
    """Anyone signed in may choose to appear in the directory (and withdraw)."""
    return bool(user.is_authenticated and user.is_active)


def can_see_actor(user: Any, actor: Actor) -> bool:
    """Published entries are public; a pending or refused one, to its proposer and its agents."""
    if actor.state == "published":
        return True
    return bool(user.is_authenticated and actor.person_id == user.pk) or can_moderate_actor(user, actor)


def can_moderate_actor(user: Any, actor: Actor) -> bool:
    return can_manage(user, actor.territory)


def can_contact_actor(user: Any, actor: Actor) -> bool:
    """Signed-in people write to a published entry that someone receives, never to themselves."""
    return bool(
        user.is_authenticated
        and user.is_active
        and actor.state == "published"
        and actor.person_id is not None
        and actor.person_id != user.pk
    )


def can_read_actor_message(user: Any, message: ActorMessage) -> bool:
    """Only the person who receives the entry's messages (not the sender: they wrote it)."""
    return bool(user.is_authenticated and message.actor.person_id == user.pk)


def can_announce_open_door(user: Any, initiative: Initiative) -> bool:
    """Holders of a public project under way (or its agents) announce its open doors."""
    return (
        initiative.is_public
        and initiative.stage != "closed"
        and (is_holder(user, initiative) or can_manage(user, initiative.territory))
    )
