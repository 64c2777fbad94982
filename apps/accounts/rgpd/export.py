"""The data export (RGPD articles 15 and 20): everything the person gave or that is about them.

The account section is built here; every other section comes from the ``personal_data`` of a
manifest (``export(user)``, in the app that holds the data), and a section named in holdings
without a function of its own is exported field by field. Acts done in a role and the audit
entries are built here from every manifest's holdings. The coverage test checks that every
named section is produced.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from apps.accounts.rgpd.coverage import AUDIT, STAFF, Holding, account_links, holdings_with_export
from apps.core.personal_data import iso
from apps.core.registry import all_holdings, all_manifests

if TYPE_CHECKING:
    from apps.accounts.models import User

FORMAT = "archipel-account-export/2"
Rows = list[dict[str, Any]]


def _account(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "email": user.email,
        "display_name": user.display_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "home_territory": user.home_territory.name if user.home_territory else None,
        "birth_date": iso(user.birth_date),
        "verification": user.verification,
        "verification_label": str(user.get_verification_display()),
        "demographics_consent": user.demographics_consent,
        "age_band": user.age_band,
        "age_band_label": str(user.get_age_band_display()) if user.age_band else "",
        "gender": user.gender,
        "gender_label": str(user.get_gender_display()) if user.gender else "",
        "email_frequency": user.email_frequency,
        "date_joined": iso(user.date_joined),
        "last_login": iso(user.last_login),
    }


def _staff_records(user: User) -> Rows:
    """Acts done in a role (answers, notes, draws, paper entries...): which records name the
    account, not their content, which belongs to the city or to other people."""
    rows: Rows = []
    for holding in holdings_with_export(STAFF):
        model = apps.get_model(holding.model)
        for field in holding.fields:
            for pk in model._default_manager.filter(**{field: user}).order_by("pk").values_list("pk", flat=True):
                rows.append({"record": holding.model, "role": field, "id": pk})
    return rows


def audit_targets(user: User) -> Q:
    """Entries about the person: whose target is the account, one of its roles, or one of
    the records a module says names the person (a council seat…)."""
    about = Q(target_type="accounts.user", target_id=str(user.pk)) | Q(
        target_type="core.roleassignment", details__user=user.pk
    )
    for manifest in all_manifests():
        data = manifest.personal_data
        if data is None or data.audit_targets is None:
            continue
        for target_type, ids in data.audit_targets(user):
            about |= Q(target_type=target_type, target_id__in=list(ids))
    return about


def _audit_entries(user: User) -> Rows:
    from apps.core.models import AuditLogEntry

    about = audit_targets(user)
    about_ids = set(AuditLogEntry.objects.filter(about).values_list("pk", flat=True))
    rows: Rows = []
    for entry in AuditLogEntry.objects.filter(about | Q(actor=user)).order_by("created_at", "pk"):
        rows.append(
            {
                "created_at": iso(entry.created_at),
                "action": entry.action,
                "by_me": entry.actor_id == user.pk,
                "target_type": entry.target_type,
                "target_id": entry.target_id,
                # What the person acted on in a role may name a third person: its label is
                # exported only when the entry is about the person.
                "target_label": entry.target_label if entry.pk in about_ids else None,
            }
        )
    return rows


# Sections built here from every manifest's holdings, after the modules' own sections.
GENERIC_SECTIONS: dict[str, Callable[[User], Rows]] = {STAFF: _staff_records, AUDIT: _audit_entries}


def _generic_rows(user: User, holdings: list[Holding]) -> Rows:
    """A section declared in holdings without an export function of its own: every field of the
    rows that link to the person, except links to other accounts (third parties)."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    rows: Rows = []
    for holding in holdings:
        model = apps.get_model(holding.model)
        links = account_links(holding)
        if not links:
            continue
        mine = Q()
        for name in links:
            mine |= Q(**{name: user})
        for obj in model._default_manager.filter(mine).order_by("pk"):
            row: dict[str, Any] = {"record": holding.model, "id": obj.pk}
            for field in model._meta.concrete_fields:
                if field.primary_key or field.related_model is user_model:
                    continue
                value = getattr(obj, field.name)
                row[field.name] = (
                    value
                    if value is None or isinstance(value, bool | int | float | str | dict | list)
                    else (iso(value) if hasattr(value, "isoformat") else str(value))
                )
            rows.append(row)
    return rows


def section_names() -> list[str]:
    """Every section of the export: the account, each manifest's, acts in a role, audit."""
    declared = {holding.export for holding in all_holdings() if holding.export is not None}
    return ["account", *sorted(declared - {"account", *GENERIC_SECTIONS}), *GENERIC_SECTIONS]


def account_export_data(user: User) -> dict[str, Any]:
    """Every personal datum Archipel holds about ``user`` (RGPD article 15 and 20): the
    account section, every manifest's sections, then the sections declared in holdings
    without a function of their own (exported field by field), acts in a role, the audit."""
    data: dict[str, Any] = {"format": FORMAT, "exported_at": timezone.now().isoformat(), "account": _account(user)}
    for manifest in all_manifests():
        if manifest.personal_data is not None and manifest.personal_data.export is not None:
            for key, rows in manifest.personal_data.export(user).items():
                if key in data:
                    raise ValueError(f"export section {key!r} is produced twice ({manifest.name})")
                data[key] = rows
    declared = {holding.export for holding in all_holdings() if holding.export is not None}
    for key in sorted(declared - set(data) - set(GENERIC_SECTIONS)):
        data[key] = _generic_rows(user, holdings_with_export(key))
    for key, build in GENERIC_SECTIONS.items():
        data[key] = build(user)
    return data
