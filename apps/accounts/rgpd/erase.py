"""Account deletion (RGPD article 17): every personal field is erased or unlinked, as
``coverage.HOLDINGS`` says; contributions stay, shown as from « Participant·e supprimé·e ».

What stays, and why, is written in ``coverage.HOLDINGS`` (the ``why`` of each line).
"""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection, models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext

from apps.accounts.rgpd.coverage import HOLDINGS, Fate, account_links
from apps.accounts.rgpd.export import audit_targets
from apps.core.registry import all_manifests

if TYPE_CHECKING:
    from apps.accounts.models import User

# Shorter names would be replaced inside unrelated words of an audit label.
MIN_NAME_LENGTH = 3


def deleted_label() -> str:
    # Stored in the database, so in the site's language, not the browser's.
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("Participant·e supprimé·e")


def _names_of(user: User) -> list[str]:
    """Every way the platform names the person, longest first (so that « Awa Diallo » is
    replaced before « Awa »)."""
    from apps.councils.models import Membership
    from apps.workshops.models import PanelMember

    names = {user.email, user.display_name, user.first_name, user.last_name, f"{user.first_name} {user.last_name}"}
    for model in (PanelMember, Membership):
        for full_name, public_name in model.objects.filter(user=user).values_list("full_name", "public_name"):
            names.update((full_name, public_name))
    return sorted((n.strip() for n in names if len(n.strip()) >= MIN_NAME_LENGTH), key=len, reverse=True)


def _scrub(text: str, names: list[str], label: str) -> str:
    for name in names:
        text = re.sub(re.escape(name), label, text, flags=re.IGNORECASE)
    return text


def _update_audit(entries: QuerySet[Any], **labels: str) -> None:
    """The one change ever made to the append-only audit log: the RGPD pseudonymisation of
    its labels. The PostgreSQL trigger that guards the log lets an UPDATE through only when
    this transaction says so and nothing but ``actor_label`` / ``target_label`` changes; the
    plain ``QuerySet.update`` goes past the manager that refuses every other update."""
    if not set(labels) <= {"actor_label", "target_label"}:
        raise ValueError(f"only the labels of the audit log are pseudonymised, not {sorted(labels)}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL archipel.rgpd_erasure = 'on'")
    models.QuerySet.update(entries, **labels)


def _pseudonymise_audit(user: User, names: list[str], label: str) -> None:
    """The audit trail is kept (legal retention of who did what in a role): the actor becomes
    a numbered deleted account, and the labels of entries about the person lose their names."""
    from apps.core.models import AuditLogEntry

    _update_audit(AuditLogEntry.objects.filter(actor=user), actor_label=f"{label} n° {user.pk}")
    for entry in AuditLogEntry.objects.filter(audit_targets(user)).only("pk", "target_label"):
        scrubbed = _scrub(entry.target_label, names, label)
        if scrubbed != entry.target_label:
            _update_audit(AuditLogEntry.objects.filter(pk=entry.pk), target_label=scrubbed)


def _anonymise_admin_log(user: User, label: str) -> None:
    """Django admin's own log names the account it changed: the entry stays, without the name."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk)).update(
        object_repr=label
    )


def _anonymise_seats(user: User, label: str) -> None:
    """Panel and council seats stay (public composition, attendance, votes of the opinion),
    tied to nobody. Seats reached through a draw the person answered are the person's too."""
    from apps.councils.models import Membership
    from apps.workshops.models import PanelMember, RecommendationRevision

    mine = Q(user=user) | Q(pool_member__user=user)
    PanelMember.objects.filter(mine).update(user=None, full_name="", public_name=label)
    Membership.objects.filter(mine).update(user=None, full_name="", public_name=label)
    RecommendationRevision.objects.filter(author=user).update(author_label=label)


def _anonymise_sortition(user: User) -> None:
    """The pool keeps the pseudonym and answers that make the draw verifiable; the contact data
    and the link go (applications to a call for volunteers are deleted by ``_apply_fates``)."""
    from apps.sortition.models import PoolMember

    PoolMember.objects.filter(user=user).update(user=None, personal={})


def _anonymise_budget_votes(user: User) -> None:
    """Budget participations stay counted (turnout) but no longer name the account: the
    link is replaced by a random opaque identity, as for a paper voter."""
    from apps.budgets.models import VoterRecord

    for record in VoterRecord.objects.filter(user=user).only("pk"):
        VoterRecord.objects.filter(pk=record.pk).update(user=None, paper_identity=secrets.token_hex(32))


def _apply_fates(user: User) -> None:
    """Rows declared ``DELETED`` are deleted and links declared ``UNLINKED`` set to NULL, as
    ``HOLDINGS`` says (follows, notifications, roles — a deleted account holds no power —,
    invitations, volunteer applications...). Runs after the model-specific steps above."""
    for holding in HOLDINGS:
        if holding.fate not in {Fate.DELETED, Fate.UNLINKED}:
            continue
        model = apps.get_model(holding.model)
        for name in account_links(holding):
            rows = model._base_manager.filter(**{name: user})
            if holding.fate is Fate.DELETED:
                rows.delete()
            else:
                rows.update(**{name: None})


def _delete_sessions(user: User) -> None:
    """Database sessions of ``user`` are deleted. Whatever the session engine, the
    unusable password changes the session auth hash, so any other session is refused
    on its next request anyway."""
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return
    doomed = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=1000):
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            doomed.append(session.pk)
    Session.objects.filter(pk__in=doomed).delete()


def _erase_account(user: User) -> None:
    """Every field ``HOLDINGS`` declares for the account goes back to its default (empty, NULL,
    False); then the ones that cannot be empty get a value that identifies nobody."""
    from apps.accounts.models import User

    for holding in HOLDINGS:
        if holding.model == User._meta.label:
            for name in holding.fields:
                field = User._meta.get_field(name)
                setattr(user, field.attname, field.get_default())  # type: ignore[union-attr]
    # ``.invalid`` is reserved (RFC 2606): the placeholder can never route an email.
    placeholder = f"supprime-{user.pk}-{secrets.token_hex(8)}@compte-supprime.invalid"
    user.email = placeholder
    user.username = placeholder
    user.email_frequency = User.EmailFrequency.NEVER
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.is_deleted = True
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


@transaction.atomic
def account_delete(*, user: User) -> User:
    """Anonymise the account: contributions stay, shown as from a deleted participant;
    every personal field is erased and the account can no longer sign in."""
    from apps.core.models import audit

    label = deleted_label()
    names = _names_of(user)  # before the seats and the account lose them
    # The deletion itself is in the trail (its actor label is pseudonymised just below).
    audit(user, "account.delete", user)
    _pseudonymise_audit(user, names, label)
    _anonymise_admin_log(user, label)
    for manifest in all_manifests():
        if manifest.personal_data is not None and manifest.personal_data.anonymise is not None:
            manifest.personal_data.anonymise(user, label)
    _anonymise_seats(user, label)
    _anonymise_sortition(user)
    _anonymise_budget_votes(user)
    _apply_fates(user)
    _erase_account(user)
    _delete_sessions(user)
    return user
