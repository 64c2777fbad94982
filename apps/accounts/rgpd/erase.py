"""Account deletion (RGPD article 17): every personal field is erased or unlinked, as the
manifests' holdings say; contributions stay, shown as from « Participant·e supprimé·e ».

The order: the audit trail and Django's admin log lose the person's names (read from the
account and every manifest's ``names`` first), then every manifest's ``anonymise`` runs, then
the generic fates (``DELETED``, ``UNLINKED``), then the account row is emptied. What stays,
and why, is written in the holdings (the ``why`` of each line).
"""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection, models, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext

from apps.accounts.rgpd.coverage import Fate, account_links
from apps.accounts.rgpd.export import audit_targets
from apps.core.registry import all_holdings, all_manifests

if TYPE_CHECKING:
    from apps.accounts.models import User

# Shorter names would be replaced inside unrelated words of an audit label.
MIN_NAME_LENGTH = 3


def deleted_label() -> str:
    # Stored in the database, so in the site's language, not the browser's.
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("Participant·e supprimé·e")


def _names_of(user: User) -> list[str]:
    """Every way the platform names the person (the account, and the names the modules give
    them: seats…), longest first (so that « Awa Diallo » is replaced before « Awa »)."""
    names = {user.email, user.display_name, user.first_name, user.last_name, f"{user.first_name} {user.last_name}"}
    for manifest in all_manifests():
        if manifest.personal_data is not None and manifest.personal_data.names is not None:
            names.update(manifest.personal_data.names(user))
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


def _anonymise_modules(user: User, label: str) -> None:
    """Each manifest's own anonymisation (seats keep their place under the label, contact
    data goes, votes keep turnout…), before the generic fates."""
    for manifest in all_manifests():
        if manifest.personal_data is not None and manifest.personal_data.anonymise is not None:
            manifest.personal_data.anonymise(user, label)


def _apply_fates(user: User) -> None:
    """Rows declared ``DELETED`` are deleted and links declared ``UNLINKED`` set to NULL, as
    every manifest's holdings say (follows, notifications, roles — a deleted account holds no
    power —, invitations, volunteer applications...). Runs after every module's anonymisation."""
    for holding in all_holdings():
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
    """Every field the holdings declare for the account goes back to its default (empty, NULL,
    False); then the ones that cannot be empty get a value that identifies nobody."""
    from apps.accounts.models import User

    for holding in all_holdings():
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
    _anonymise_modules(user, label)
    _apply_fates(user)
    _erase_account(user)
    _delete_sessions(user)
    return user
