"""« Délégation de signature »: an administrator lets an agent of their scope sign the city's
answers under a title (élu·es sign with their role and need none). Granting and revoking are
audited; a revoked delegation stays as a record of who could sign when."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.answers.models import SignatureDelegation
from apps.backoffice import access
from apps.core.backoffice_kit import ADMINS, AGENTS, scope_for
from apps.core.models import Process, Territory, audit
from apps.core.roles import has_role
from apps.core.rules_kit import require

if TYPE_CHECKING:
    from apps.accounts.models import User


def delegations_in_scope(user: User) -> QuerySet[SignatureDelegation]:
    """The delegations an administrator may see and revoke: those of their scope."""
    scope = scope_for(user, ADMINS)
    delegations = SignatureDelegation.objects.select_related("user", "territory", "process", "granted_by")
    if scope.city_wide:
        return delegations
    return (
        delegations.filter(territory_id__in=scope.territory_ids)
        | delegations.filter(process_id__in=scope.process_ids)
        | delegations.filter(process__territory_id__in=scope.territory_ids)
    )


@transaction.atomic
def signature_delegation_grant(
    *,
    actor: User,
    user: User,
    title: str,
    territory: Territory | None = None,
    process: Process | None = None,
) -> SignatureDelegation:
    require(access.can_grant_role_on(actor, territory=territory, process=process))
    if user.pk == actor.pk:
        raise ValidationError(_("Une délégation de signature est donnée par un·e autre administrateur·rice."))
    if not has_role(user, AGENTS, territory=territory, process=process):
        raise ValidationError(_("La délégation de signature est donnée à un·e agent·e de ce périmètre."))
    delegation = SignatureDelegation(
        user=user, title=title.strip(), territory=territory, process=process, granted_by=actor
    )
    delegation.full_clean()
    delegation.save()
    audit(actor, "signature.delegate", delegation, user_id=user.pk, title=delegation.title)
    return delegation


@transaction.atomic
def signature_delegation_revoke(*, actor: User, delegation: SignatureDelegation) -> SignatureDelegation:
    require(access.can_grant_role_on(actor, territory=delegation.territory, process=delegation.process))
    if delegation.revoked_at is None:
        delegation.revoked_at = timezone.now()
        delegation.save(update_fields=["revoked_at"])
        audit(actor, "signature.revoke", delegation, user_id=delegation.user_id)
    return delegation
