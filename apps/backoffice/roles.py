"""Role management by administrators: who holds which role where (reads and writes).

An administrator manages the roles of their own scope only, and nobody hands out a scope
wider than their own (``access.can_grant_role_on``). Every change is audited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from apps.backoffice import access
from apps.core.backoffice_kit import ADMINS, scope_for
from apps.core.models import Process, Role, RoleAssignment, Territory, audit
from apps.core.rules_kit import require

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.backoffice.access import Person

CITY_WIDE = "ville"


# --- reads ------------------------------------------------------------------------------------


def assignments_in_scope(user: Person, role: str = "") -> QuerySet[RoleAssignment]:
    """The assignments an administrator may see and revoke: those whose scope lies within
    theirs. ``role`` comes from the allowlisted filter form."""
    scope = scope_for(user, ADMINS)
    if scope.is_empty:
        return RoleAssignment.objects.none()
    assignments = RoleAssignment.objects.select_related("user", "territory", "process", "process__territory")
    if not scope.city_wide:
        assignments = assignments.filter(
            Q(territory_id__in=scope.territory_ids)
            | Q(process_id__in=scope.process_ids)
            | Q(process__territory_id__in=scope.territory_ids)
        )
    if role:
        assignments = assignments.filter(role=role)
    return assignments.order_by("user__display_name", "user_id", "role", "pk")


def grantable_scopes(user: Person) -> tuple[bool, QuerySet[Territory], QuerySet[Process]]:
    """(city-wide allowed, territories, processes) on which ``user`` may grant roles."""
    scope = scope_for(user, ADMINS)
    if scope.is_empty:
        return False, Territory.objects.none(), Process.objects.none()
    territories = Territory.objects.all() if scope.city_wide else Territory.objects.filter(pk__in=scope.territory_ids)
    processes = Process.objects.filter(scope.process_filter()).select_related("territory").order_by("title", "pk")
    return scope.city_wide, territories, processes


def scope_label(assignment: RoleAssignment) -> str:
    if assignment.process is not None:
        return _("Démarche « %(title)s »") % {"title": assignment.process.title}
    if assignment.territory is not None:
        return assignment.territory.name
    return _("Toute la ville")


# --- writes -----------------------------------------------------------------------------------


def _details(assignment: RoleAssignment) -> dict[str, Any]:
    return {
        "user": assignment.user_id,
        "role": assignment.role,
        "territory": assignment.territory_id,
        "process": assignment.process_id,
    }


@transaction.atomic
def role_grant(
    *,
    actor: User,
    user: User,
    role: str,
    territory: Territory | None = None,
    process: Process | None = None,
) -> tuple[RoleAssignment, bool]:
    """Give ``user`` the ``role`` on one scope (none: the whole city). Idempotent: granting a
    role the person already holds on that scope returns the existing assignment, created=False.
    """
    if territory is not None and process is not None:
        raise ValidationError(_("Un rôle porte sur un territoire ou sur une démarche, pas les deux."))
    require(access.can_grant_role_on(actor, territory=territory, process=process))
    if role not in Role.values:
        raise ValidationError({"role": _("Ce rôle n'existe pas.")})
    if not user.is_active or user.is_deleted:
        raise ValidationError({"email": _("Ce compte est désactivé : il ne peut pas recevoir de rôle.")})
    wanted = {"user": user, "role": role, "territory": territory, "process": process}
    existing = RoleAssignment.objects.filter(**wanted).first()
    if existing is not None:
        return existing, False
    assignment = RoleAssignment(**wanted)
    # The unique constraints are checked here too (a friendlier error than the database's).
    assignment.full_clean()
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError:
        # A parallel request granted the same role first: the database constraint kept one.
        return RoleAssignment.objects.get(**wanted), False
    audit(actor, "role.grant", assignment, **_details(assignment))
    user.__dict__.pop("_role_assignments", None)  # the per-request cache of ``has_role``
    return assignment, True


@transaction.atomic
def role_revoke(*, actor: User, assignment: RoleAssignment) -> bool:
    """Remove an assignment within the actor's scope. False when it was already gone."""
    require(access.can_revoke_role(actor, assignment))
    if assignment.user_id == actor.pk and assignment.role == Role.ADMIN:
        # Lock the actor's administrator roles (in pk order, the same order for every
        # request) so that two parallel revocations cannot each see "another one is left".
        mine = list(
            RoleAssignment.objects.select_for_update()
            .filter(user_id=actor.pk, role=Role.ADMIN)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if assignment.pk in mine and len(mine) == 1:
            raise ValidationError(
                _(
                    "Vous ne pouvez pas retirer votre dernier rôle d'administrateur·rice : "
                    "demandez-le à une autre administratrice ou un autre administrateur."
                )
            )
    deleted, _counts = RoleAssignment.objects.filter(pk=assignment.pk).delete()
    if not deleted:
        return False
    audit(actor, "role.revoke", assignment, **_details(assignment))
    actor.__dict__.pop("_role_assignments", None)
    return True
